"""Text in and out: control characters refused on input, spreadsheet cells that open as data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.text import (
    is_id,
    no_control_characters,
    no_control_characters_multiline,
    spreadsheet_cell,
    unescaped_cell,
)

CONTROL = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]  # all of Unicode category Cc


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_every_control_character_is_refused_in_single_line_text(character):
    with pytest.raises(ValidationError, match="onzichtbaar stuurteken"):
        no_control_characters(f"Jan{character}sen")


@pytest.mark.parametrize("character", [c for c in CONTROL if c not in "\t\n\r"])
def test_notes_refuse_control_characters_but_keep_tabs_and_line_breaks(character):
    no_control_characters_multiline("Eerste regel\r\nTweede\tregel")
    with pytest.raises(ValidationError):
        no_control_characters_multiline(f"Eerste regel{character}")


def test_ordinary_text_with_accents_and_symbols_is_accepted():
    no_control_characters("Ëlif Çelik-’t Hart, € 12 · straße")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_read_as_a_formula_is_written_as_text(start):
    assert spreadsheet_cell(f"{start}1+1") == f"'{start}1+1"
    assert unescaped_cell(spreadsheet_cell(f"{start}1+1")) == f"{start}1+1"


@pytest.mark.parametrize("value", [Decimal("-12.50"), -3, 0, 2.5, None, True, datetime.date(2024, 1, 2), "-12.50",
                                   "-12,50", "Kerkstraat", "'quoted"])
def test_numbers_dates_and_plain_text_are_left_as_they_are(value):
    assert spreadsheet_cell(value) == value


def test_control_characters_are_dropped_before_the_formula_check():
    assert spreadsheet_cell("\x1b=cmd") == "'=cmd"
    assert spreadsheet_cell("Factuur\x07 12\nregel twee") == "Factuur 12\nregel twee"


@pytest.mark.parametrize(("text", "expected"), [
    ("1", True), ("123456789", True), ("1234567890", False), ("", False), ("²", False), ("١٢", False), ("-1", False),
    ("1 ", False), ("99999999999999999999999", False),
])
def test_an_id_is_one_to_nine_ascii_digits(text, expected):
    assert is_id(text) is expected
