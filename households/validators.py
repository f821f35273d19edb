"""Field checks for Dutch addresses, identifiers and dates (python-stdnum), with Dutch messages.

The bounds are plausible ranges: a value outside them is a typing mistake, not a real dwelling.
"""

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode


def normalise_postcode(value: str) -> str:
    """'1217gh' → '1217 GH'; raises ValidationError for anything that is not a Dutch postcode."""
    written = _written_postcode(value or "")
    if written is None:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits (not starting with 0) and two letters, e.g. 1217 GH."),
            code="invalid_postcode",
        )
    return written


@functools.lru_cache(maxsize=8192)  # an import writes the same postcodes again and again
def _written_postcode(value: str) -> str | None:
    try:
        return nl_postcode.validate(value)
    except StdnumError:
        return None


MAX_HOUSE_NUMBER = 99999
FIRST_LABEL_DATE = datetime.date(2008, 1, 1)  # energy labels for dwellings exist since 1 January 2008
FIRST_CONSENT_DATE = datetime.date(2000, 1, 1)


def validate_label_date(value: datetime.date | None) -> None:
    if value is not None and not FIRST_LABEL_DATE <= value <= datetime.date.today():
        raise ValidationError(_("Enter the label date: from 1 January 2008 (the first energy labels) up to today."),
                              code="invalid_label_date")


def validate_consent_date(value: datetime.date | None) -> None:
    if value is None:
        return
    if value > datetime.date.today():
        raise ValidationError(_("Consent cannot be given on a date in the future."), code="future_consent")
    if value < FIRST_CONSENT_DATE:
        raise ValidationError(_("Enter the date the consent was given, e.g. 15-03-2023."), code="invalid_consent_date")


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_bag_id(value: str) -> None:
    """A BAG id of a dwelling (verblijfsobject): 16 digits, object type 01 at positions 5-6."""
    if not value:
        return
    if not re.fullmatch(r"[0-9]{16}", value):
        raise ValidationError(_("A BAG id has exactly 16 digits."), code="invalid_bag_id")
    if value[4:6] != "01":
        raise ValidationError(
            _("This BAG id is not a dwelling (object type 01 at positions 5 and 6)."), code="invalid_bag_type"
        )


def validate_build_year(value: int) -> None:
    this_year = datetime.date.today().year
    if value is not None and not 1500 <= value <= this_year:
        raise ValidationError(
            _("Enter a build year between 1500 and %(year)s.") % {"year": this_year}, code="invalid_build_year"
        )


def validate_housing_corporation(tenure: str, housing_corporation: str) -> None:
    """Social rent is rented from a housing corporation: name it (defect reports go there)."""
    if tenure == "social_rent" and not (housing_corporation or "").strip():
        raise ValidationError(
            {"housing_corporation": _("Enter the housing corporation: the dwelling is rented from one.")},
            code="housing_corporation_needed",
        )


# A privacy statement's version is part of its page's address (/privacyverklaring/<programme>/<version>/).
STATEMENT_VERSION = re.compile(r"[A-Za-z0-9._-]+")
STATEMENT_VERSION_MESSAGE = _("A version consists of letters, digits, dots, hyphens and underscores, e.g. 2024-1.")


def validate_statement_version(value: str) -> None:
    """Letters, digits, dots, hyphens and underscores only: the version names its page's address."""
    if value and not STATEMENT_VERSION.fullmatch(value):
        raise ValidationError(STATEMENT_VERSION_MESSAGE, code="invalid_version")
