"""The plain-text rule of names, notes, labels and sources (``documents.schemas.PlainText``): no character that hides
or disguises text is stored."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from marshmallow import ValidationError

from oil_blends.documents.schemas import PlainText

FILLERS = (0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800)  # blank letters: a name of them looks empty


def invisible() -> list[str]:
    """Every character of the running Python's Unicode database that is a control or format character, a line or
    paragraph separator, or a blank filler."""
    return [
        chr(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.category(chr(point)) in ("Cc", "Cf", "Zl", "Zp") or point in FILLERS
    ]


def test_every_control_format_and_filler_character_is_refused_in_a_line():
    one_line = PlainText()
    passed = []
    for character in invisible():
        try:
            one_line(f"Lav{character}ender")
        except ValidationError as error:
            assert error.messages[0].startswith("must be plain text: it holds"), error.messages
        else:
            passed.append(f"U+{ord(character):04X} {unicodedata.name(character, '')}")
    assert passed == []


@pytest.mark.parametrize("kept", ["\t", "\n", "\r"])
def test_text_over_lines_keeps_its_tabs_and_line_breaks(kept):
    assert PlainText(lines=True)(f"Steam{kept}distilled") == f"Steam{kept}distilled"


@pytest.mark.parametrize(
    "text", ["Lavender", "Ylang-ylang (extra)", "Rosa × damascena", "ラベンダー", "زيت اللوز", "Œillet 10 %", "👍"]
)
def test_ordinary_text_of_any_script_passes(text):
    assert PlainText()(text) == text


@pytest.mark.parametrize(
    ("character", "name"),
    [("\u061c", "ARABIC LETTER MARK"), ("\u00ad", "SOFT HYPHEN"), ("\U000e0041", "TAG LATIN CAPITAL LETTER A")],
)
def test_the_marks_a_review_found_stored_are_refused(character, name):
    assert unicodedata.name(character) == name
    with pytest.raises(ValidationError, match=f"U\\+{ord(character):04X}"):
        PlainText(blank=True)(f"label{character}")
