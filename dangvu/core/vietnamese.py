"""Vietnamese names: the stored sort key (given name first, in the Vietnamese alphabet) and accent
folding for search that ignores diacritics.

The sort key is made of digits only, so that SQLite's byte order and any PostgreSQL collation sort it
the same way.
"""

import functools
import re
import unicodedata

# The Vietnamese alphabet, in dictionary order (f, j, w, z follow for foreign names).
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tones in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a different letter rather than a tone.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """A name as stored: NFC, single spaces, no leading or trailing space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


class _BareLetters(dict):
    """A str.translate table: each character without its diacritics (đ, Đ -> d, D), worked out the
    first time the character is met. Decomposing character by character and dropping the combining
    marks gives what decomposing the whole text does: canonical reordering only moves combining
    marks, and they are all dropped."""

    def __missing__(self, code: int) -> str:
        character = {"đ": "d", "Đ": "D"}.get(chr(code), chr(code))
        decomposed = unicodedata.normalize("NFD", character)
        self[code] = bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return bare


_BARE = _BareLetters()


@functools.lru_cache(maxsize=8192)  # cells, genders and name words repeat across an import
def fold(text: str) -> str:
    """Lower case without diacritics: 'Nguyễn Thị Đào' -> 'nguyen thi dao'."""
    # One table look-up per character instead of normalising and filtering every text anew.
    bare = text if text.isascii() else text.translate(_BARE)
    return _SPACES.sub(" ", bare.lower()).strip()


def _letter_code(letter: str) -> str:
    position = ALPHABET.find(letter)
    return f"{10 + position:02d}" if position >= 0 else f"{90 + min(ord(letter) % 10, 9)}"


# The codes of ASCII characters, for words without accents (numbers, foreign names): no tones, and
# spaces dropped as _clusters drops them.
_ASCII_CODES = {i: ("" if chr(i).isspace() else _letter_code(chr(i))) for i in range(128)}


@functools.lru_cache(maxsize=4096)  # names repeat their words: Nguyễn, Văn, Thị...
def _letters_and_tones(word: str) -> tuple[str, str]:
    if word.isascii():  # a word met once (a number in a name) is not worth decomposing
        letters = word.lower().translate(_ASCII_CODES)
        return letters, "0" * (len(letters) // 2)
    letters, tones = [], []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in LETTER_MARKS))
        letters.append(_letter_code(letter))
        tones.append(str(max((TONES.get(m, 0) for m in marks), default=0)))
    return "".join(letters), "".join(tones)


def _clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        elif not ch.isspace():
            clusters.append(ch)
    return clusters


def name_sort_key(full_name: str) -> str:
    """Sort key: the given name (last word), then the middle name, then the family name (first
    word), each letter by the Vietnamese alphabet and tones breaking ties.

    'Nguyễn Văn An' sorts before 'Trần Thị Bình' (An < Bình); 'Nguyễn Anh An' before 'Lê Văn An'
    (Anh < Văn); 'Lê Văn An' before 'Nguyễn Văn An'.
    """
    words = normalize_name(full_name).split(" ")
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words if words[0] else []
    # Per word: its letters, then "00", then its tones, so a tone decides only between equal letters.
    return "".join(f"{letters}00{tones}" for letters, tones in map(_letters_and_tones, ordered))[:250]
