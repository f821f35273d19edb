"""Field checks for Dutch addresses and identifiers (python-stdnum), with Dutch messages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode


def normalise_postcode(value: str) -> str:
    """'1217gh' → '1217 GH'; raises ValidationError for anything that is not a Dutch postcode."""
    try:
        return nl_postcode.validate(value or "")
    except StdnumError as error:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits (not starting with 0) and two letters, e.g. 1217 GH."),
            code="invalid_postcode",
        ) from error


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_bag_id(value: str) -> None:
    """A BAG id of a dwelling (verblijfsobject): 16 digits, object type 01 at positions 5-6."""
    if not value:
        return
    if len(value) != 16 or not value.isdigit():
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
