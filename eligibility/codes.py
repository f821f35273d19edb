"""The codes eligibility speaks in (DOMAIN.md, glossary and "The offer").

HouseholdType, EnergyLabel and Tenure are defined here and used by the household register
(households.models imports them): eligibility sits to the left of households (DESIGN.md, "Apps and
their direction of dependence"), so the rules read a household's values without importing households.

NormCategory: the four categories of the statutory social-minimum norm (bijstandsnorm). A single
parent has the single norm in this programme.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single")
    SINGLE_PARENT = "single_parent", _("Single parent")
    COUPLE = "couple", _("Couple")
    SINGLE_PENSION_AGE = "single_pension_age", _("Single, at pension age")
    COUPLE_PENSION_AGE = "couple_pension_age", _("Couple, at pension age")


class NormCategory(models.TextChoices):
    SINGLE = "single", _("Single (also single parent)")
    COUPLE = "couple", _("Couple")
    SINGLE_PENSION_AGE = "single_pension_age", _("Single, at pension age")
    COUPLE_PENSION_AGE = "couple_pension_age", _("Couple, at pension age")


NORM_CATEGORY = {
    HouseholdType.SINGLE: NormCategory.SINGLE,
    HouseholdType.SINGLE_PARENT: NormCategory.SINGLE,
    HouseholdType.COUPLE: NormCategory.COUPLE,
    HouseholdType.SINGLE_PENSION_AGE: NormCategory.SINGLE_PENSION_AGE,
    HouseholdType.COUPLE_PENSION_AGE: NormCategory.COUPLE_PENSION_AGE,
}


class EnergyLabel(models.TextChoices):
    A4 = "A++++", "A++++"
    A3 = "A+++", "A+++"
    A2 = "A++", "A++"
    A1 = "A+", "A+"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"
    UNKNOWN = "unknown", _("Unknown")


# From best to worst; `unknown` is not on the scale.
LABEL_SCALE = ["A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"]


class Tenure(models.TextChoices):
    OWNER_OCCUPIER = "owner_occupier", _("Owner-occupier")
    SOCIAL_RENT = "social_rent", _("Social rent (housing corporation)")
    PRIVATE_RENT = "private_rent", _("Private rent")


class Tier(models.TextChoices):
    SMALL = "small", _("Small measures")
    MEDIUM = "medium", _("Medium measures")
    LARGE = "large", _("Large insulation measure")


class Status(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNDECIDED = "undecided", _("Not yet decided")


class LargeMeasure(models.TextChoices):
    """Large insulation measures: by a contractor, or DIY (zelfwerkzaamheid) for some."""

    ROOF = "roof", _("Roof insulation")
    FLOOR = "floor", _("Floor insulation")
    CAVITY_WALL = "cavity_wall", _("Cavity-wall insulation")
    GLASS = "glass", _("HR++ glass")
    FACADE = "facade", _("Facade insulation")
    ATTIC_FLOOR = "attic_floor", _("Attic-floor insulation")
    SOIL = "soil", _("Crawl-space soil insulation")


class DiyMeasure(models.TextChoices):
    """The measures an owner may do themselves, each with a rate per m² (DOMAIN.md, "DIY route")."""

    FACADE = "facade", _("Facade")
    ROOF = "roof", _("Roof")
    ATTIC_FLOOR = "attic_floor", _("Attic floor")
    FLOOR = "floor", _("Floor")
    SOIL = "soil", _("Crawl-space soil")


class ContractorMeasure(models.TextChoices):
    """The measures with an indicative contractor's cost range (DOMAIN.md, "Contractor route")."""

    ROOF = "roof", _("Roof insulation")
    FLOOR = "floor", _("Floor insulation")
    CAVITY_WALL = "cavity_wall", _("Cavity-wall insulation")
    GLASS = "glass", _("HR++ glass")
