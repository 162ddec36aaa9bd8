from dangvu.core.vietnamese import fold, name_sort_key, normalize_name


def _sorted(names):
    return sorted(names, key=name_sort_key)


def test_names_sort_by_given_name_first():
    assert _sorted(["Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Cường"]) == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    ]


def test_same_given_name_sorts_by_family_then_middle_name():
    assert _sorted(["Nguyễn Văn An", "Lê Thị An", "Lê Anh An"]) == ["Lê Anh An", "Lê Thị An", "Nguyễn Văn An"]


def test_vietnamese_letters_follow_the_vietnamese_alphabet():
    # a < ă < â, d < đ, o < ô < ơ, u < ư: not the byte order of Unicode.
    assert _sorted(["Lê Ân", "Lê Ăn", "Lê An"]) == ["Lê An", "Lê Ăn", "Lê Ân"]
    assert _sorted(["Lê Đức", "Lê Dung", "Lê Eo"]) == ["Lê Dung", "Lê Đức", "Lê Eo"]
    assert _sorted(["Lê Ơn", "Lê Ôn", "Lê On"]) == ["Lê On", "Lê Ôn", "Lê Ơn"]


def test_tones_decide_only_between_equal_letters_in_dictionary_order():
    # level, huyền, hỏi, ngã, sắc, nặng
    assert _sorted(["Lê Bạ", "Lê Bá", "Lê Bã", "Lê Bả", "Lê Bà", "Lê Ba"]) == [
        "Lê Ba",
        "Lê Bà",
        "Lê Bả",
        "Lê Bã",
        "Lê Bá",
        "Lê Bạ",
    ]
    assert _sorted(["Lê Bá", "Lê Bac"]) == ["Lê Bá", "Lê Bac"]


def test_decomposed_and_composed_input_sort_and_fold_the_same():
    composed = "Nguyễn Thị Đào"
    decomposed = __import__("unicodedata").normalize("NFD", composed)
    assert name_sort_key(composed) == name_sort_key(decomposed)
    assert fold(composed) == fold(decomposed) == "nguyen thi dao"


def test_sort_key_is_digits_only_so_every_database_collation_agrees():
    assert name_sort_key("Nguyễn Văn An").isdigit()


def test_fold_ignores_case_accents_and_extra_spaces():
    assert fold("  NGUYỄN   Văn  Đạt ") == "nguyen van dat"


def test_normalize_name_collapses_spaces():
    assert normalize_name("  Trần   Thị\tBình ") == "Trần Thị Bình"
