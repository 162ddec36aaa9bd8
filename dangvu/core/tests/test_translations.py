"""The Vietnamese catalogue is complete: the UI never falls back to English for a Vietnamese user."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # after the header


def test_every_message_has_a_vietnamese_translation():
    untranslated = [
        e
        for e in _entries()
        if re.search(r'^msgstr(\[0\])? ""\n?$', e, re.M)
        and not re.search(r'^"', e.split("msgstr", 1)[1], re.M)
    ]
    assert untranslated == []


def test_no_translation_is_marked_fuzzy():
    assert [e for e in _entries() if "#, fuzzy" in e] == []


def test_placeholders_are_kept_in_translations():
    for entry in _entries():
        msgid = entry.split("msgstr", 1)[0]
        msgstr = entry.split("msgstr", 1)[1]
        assert set(re.findall(r"%\(\w+\)[sd]", msgid)) == set(re.findall(r"%\(\w+\)[sd]", msgstr))
