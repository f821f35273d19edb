"""Text as it comes in and as it goes out: refusing control characters, and cells safe for spreadsheets.

Control characters (Unicode category Cc: ESC, BEL, NUL, …) have no place in a name, an address or a
note: they are invisible on a page, can change a terminal's output, and make an xlsx file impossible to
write (XML 1.0 does not allow them). Every text field refuses them on input: the model fields carry
`no_control_characters` (single-line) or `no_control_characters_multiline` (notes: tab, line feed and
carriage return are fine there), so forms, API serializers and the import share the one check.

On the way out every spreadsheet cell we write goes through `spreadsheet_cell`: control characters
already stored are dropped (tab and line breaks kept), then text that a spreadsheet would read as a
formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe (OWASP,
"CSV injection").
Numbers stay numbers: a negative amount is not a formula.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.errors import Refused

# All of Unicode category Cc: C0 controls, DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding a control character; `multiline` allows tab, line feed and carriage return."""

    message = _("This text contains an invisible control character (for example from copying). Type it again "
                "without it.")
    code = "control_character"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = CONTROL_CHARACTERS_BUT_LINE_BREAKS if self.multiline else CONTROL_CHARACTERS
        if isinstance(value, str) and pattern.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


no_control_characters = ControlCharacterValidator()
no_control_characters_multiline = ControlCharacterValidator(multiline=True)


def entered_text(value, *, field: str, required: bool = False, message: str = "") -> str:
    """Text someone entered for an act (a note, a reason, a description) as a service keeps it: stripped, or
    `Refused` on `field` when it is required and empty (with `message`, else "This field is required.") or holds a
    control character (tab and line breaks are fine)."""
    value = (value or "").strip()
    if required and not value:
        raise Refused(message or gettext("This field is required."), field=field)
    try:
        no_control_characters_multiline(value)
    except ValidationError as error:
        raise Refused(error.messages[0], field=field) from None
    return value


def is_id(text: str) -> bool:
    """Whether `text` is a number a database id or a house number can be: ASCII digits, at most nine of them.
    (`str.isdigit` also takes "²" and other digits `int` refuses, and any length, which SQLite cannot compare.)"""
    return re.fullmatch(r"[0-9]{1,9}", text) is not None


def without_control_characters(text: str) -> str:
    """Text for a file: control characters dropped, except tab and line breaks (a note may have lines)."""
    return CONTROL_CHARACTERS_BUT_LINE_BREAKS.sub("", text)


def spreadsheet_cell(value):
    """A value as a spreadsheet cell that opens as data: text cleaned and escaped, numbers and dates as they are."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        return value
    text = without_control_characters(str(value))
    if NUMBER.fullmatch(text):  # a number rendered as text (csv): -12.50 is an amount, not a formula
        return text
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unescaped_cell(value):
    """A cell read back: the apostrophe `spreadsheet_cell` put before formula-like text is taken off."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
