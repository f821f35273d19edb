"""Business acts on the household register: each one transaction, one permission check, one audit event.

register_household   a household with its dwelling, under a reference number unique in the programme
update_household     corrections to the household and its dwelling
record_consent       the resident's answer to the privacy statement: consent for processing makes the
                     household active (DOMAIN.md, "Data and privacy"); without it, a refusal is recorded
assign_household     the coordinator assigns an energy handyman and/or a community worker
close_household      the programme's work with the household ends
withdraw_consent     the resident withdraws consent: it ends, and an active household is closed
reopen_household     a closed household becomes active again (needs consent for processing)
assess_eligibility   assess the household against the programme's rules and store it (needs consent for processing)

Views and the API parse input and call these; they raise `ValidationError` (with field names) for
input that breaks a rule, and `PermissionDenied` when the user may not act.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.audit import record_event
from accounts.roles import Role, ensure_may, roles_of
from budget.models import Programme
from eligibility.models import Assessment
from eligibility.services import record_assessment
from households.models import Consent, Dwelling, Household, ReferenceCounter
from households.validators import validate_housing_corporation

REFERENCE_DIGITS = 5

HOUSEHOLD_FIELDS = ("contact_name", "phone", "email", "household_type", "residents", "net_monthly_income",
                    "energy_allowance", "referral_source")
DWELLING_FIELDS = ("street", "house_number", "house_letter", "house_number_addition", "postcode", "city", "bag_id",
                   "energy_label", "energy_label_date", "dwelling_type", "build_year", "floor_area_m2", "tenure",
                   "housing_corporation")


def duplicate_reference_error() -> ValidationError:
    return ValidationError(
        {"reference": _("A household with this reference already exists in this programme.")},
        code="duplicate_reference",
    )


def reserve_references(programme: Programme, count: int = 1) -> list[str]:
    """The programme's next `count` reference numbers, `<prefix>-00001` onwards, taken from its counter.

    Only the counter row is locked, and only until the caller's transaction ends: a registration holds it
    for a moment; an import takes all its numbers in a short transaction of its own before it starts, so
    neither bookings on the programme's budget lines nor other registrations wait for it.
    """
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            programme=programme, defaults={"last_number": _highest_reference_number(programme)})
        first = counter.last_number + 1
        ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + count)
    return [f"{programme.reference_prefix}-{number:0{REFERENCE_DIGITS}d}" for number in range(first, first + count)]


def _highest_reference_number(programme: Programme) -> int:
    """The highest number among the programme's references of the form `<prefix>-<digits>` (0 if none)."""
    pattern = rf"^{re.escape(programme.reference_prefix)}-[0-9]+$"
    last = (Household.objects.filter(programme=programme, reference__regex=pattern)
            .order_by(Length("reference").desc(), "-reference").values_list("reference", flat=True).first())
    return int(last.rsplit("-", 1)[1]) if last else 0


def _count_given_reference(programme: Programme, reference: str) -> None:
    """A reference given by hand (e.g. from the old CRM) in the generated form moves the counter past it."""
    prefix = f"{programme.reference_prefix}-"
    number = reference[len(prefix):]
    if reference.startswith(prefix) and number.isdigit():
        # Locks the counter row only when the number is beyond it (not for numbers reserved beforehand).
        ReferenceCounter.objects.filter(programme=programme, last_number__lt=int(number)).update(
            last_number=int(number))


def _full_clean(instance, exclude=()) -> None:
    """Model validation, so every way in (pages, API, imports) meets the same field rules.

    The status is left out: it is protected and changes only by its transitions.
    """
    instance.full_clean(exclude=[*exclude, "status"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def register_household(*, programme: Programme, by, household: dict, dwelling: dict,
                       reference: str = "") -> Household:
    """Register a household with its dwelling; the reference is generated unless one is given."""
    ensure_may(by, "households.add_household")
    if reference:
        if Household.objects.filter(programme=programme, reference=reference).exists():
            raise duplicate_reference_error()
        _count_given_reference(programme, reference)
    else:
        (reference,) = reserve_references(programme)
    new = Household(programme=programme, reference=reference, registered_by=by,
                    **{name: value for name, value in household.items() if name in HOUSEHOLD_FIELDS})
    _full_clean(new)
    new.save()
    home = Dwelling(household=new, **{name: value for name, value in dwelling.items() if name in DWELLING_FIELDS})
    _full_clean(home, exclude=["household"])
    validate_housing_corporation(home.tenure, home.housing_corporation)
    home.save()
    record_event(new, actor=by, action="registered", reference=reference)
    return new


@transaction.atomic
def update_household(household: Household, *, by, household_changes: dict, dwelling_changes: dict) -> Household:
    """Change the household's and its dwelling's details; the audit event names the changed fields."""
    ensure_may(by, "households.change_household", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    home = Dwelling.objects.filter(household=household).first() or Dwelling(household=household)
    changed = []
    for name, value in household_changes.items():
        if name in HOUSEHOLD_FIELDS and getattr(household, name) != value:
            setattr(household, name, value)
            changed.append(name)
    for name, value in dwelling_changes.items():
        if name in DWELLING_FIELDS and getattr(home, name) != value:
            setattr(home, name, value)
            changed.append(f"dwelling.{name}")
    _full_clean(household)
    _full_clean(home, exclude=["household"])
    validate_housing_corporation(home.tenure, home.housing_corporation)
    household.save()
    home.save()
    if changed:
        record_event(household, actor=by, action="changed", fields=changed)
    return household


@transaction.atomic
def record_consent(household: Household, *, by, statement_version: str, given_on: datetime.date,
                   processing: bool, share_address_level: bool = False) -> Consent:
    """Record the resident's consent; it replaces earlier consent. Consent for processing activates."""
    ensure_may(by, "households.record_consent", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not processing and household.status != Household.Status.REGISTERED:
        raise ValidationError({"processing": _(
            "An active or closed household keeps its consent for processing; the programme cannot work "
            "without it. If the resident withdraws it, close the household first."
        )}, code="processing_needed")
    if not processing and share_address_level:
        raise ValidationError({"share_address_level": _(
            "A resident who refuses processing does not consent to sharing at address level either."
        )}, code="sharing_without_processing")
    household.consents.filter(withdrawn_at=None).update(withdrawn_at=timezone.now())
    consent = Consent(household=household, statement_version=statement_version, given_on=given_on,
                      processing=processing, share_address_level=share_address_level, recorded_by=by)
    _full_clean(consent, exclude=["household", "recorded_by"])
    consent.save()
    activated = household.status == Household.Status.REGISTERED and can_proceed(household.activate)
    if activated:
        household.activate()
        household.save()
    # Without consent for processing the resident has refused it: the history says so, not "consent recorded".
    record_event(household, actor=by, action="consent_recorded" if processing else "consent_refused",
                 statement_version=statement_version, processing=processing,
                 share_address_level=share_address_level, activated=activated)
    return consent


def _check_role(user, role: Role, field: str) -> None:
    if user is not None and role not in roles_of(user):
        raise ValidationError({field: _("%(name)s does not have the role %(role)s.")
                               % {"name": user.get_full_name() or user.username, "role": role.label}},
                              code="wrong_role")


@transaction.atomic
def assign_household(household: Household, *, by, handyman=None, community_worker=None, note: str = "") -> Household:
    """Assign the energy handyman and the community worker (either may be None: nobody)."""
    ensure_may(by, "households.assign_household", household)
    _check_role(handyman, Role.HANDYMAN, "handyman")
    _check_role(community_worker, Role.COMMUNITY_WORKER, "community_worker")
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.handyman = handyman
    household.community_worker = community_worker
    household.save(update_fields=["handyman", "community_worker", "updated_at"])
    record_event(household, actor=by, action="assigned", note=note,
                 handyman=handyman.username if handyman else None,
                 community_worker=community_worker.username if community_worker else None)
    return household


@transaction.atomic
def close_household(household: Household, *, by, reason: str) -> Household:
    """End the programme's work with the household, with the reason in the audit trail."""
    ensure_may(by, "households.close_household", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not can_proceed(household.close):
        raise ValidationError(_("This household is already closed."), code="already_closed")
    household.close()
    household.save()
    record_event(household, actor=by, action="closed", note=reason)
    return household


@transaction.atomic
def withdraw_consent(household: Household, *, by, note: str = "") -> Household:
    """The resident withdraws consent (AVG): it ends now, and the programme stops working with them.

    An active household is closed; a registered one stays registered (nobody could work on it yet).
    """
    ensure_may(by, "households.record_consent", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    ended = household.consents.filter(withdrawn_at=None).update(withdrawn_at=timezone.now(),
                                                                withdrawn_by_resident=True)
    if not ended:
        raise ValidationError(_("This household has no consent in force to withdraw."), code="no_consent")
    closed = household.status == Household.Status.ACTIVE
    if closed:
        household.close()
        household.save()
    record_event(household, actor=by, action="consent_withdrawn", note=note, closed=closed)
    return household


@transaction.atomic
def reopen_household(household: Household, *, by, reason: str) -> Household:
    """Work with a closed household again; it needs consent for processing in force."""
    ensure_may(by, "households.reopen_household", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != Household.Status.CLOSED:
        raise ValidationError(_("Only a closed household can be reopened."), code="not_closed")
    if not can_proceed(household.reopen):
        raise ValidationError(_("Record the resident's consent for processing first; then reopen the household."),
                              code="processing_needed")
    household.reopen()
    household.save()
    record_event(household, actor=by, action="reopened", note=reason)
    return household


def consent_needed_error() -> ValidationError:
    return ValidationError(_(
        "The resident has not consented to processing, so their eligibility is not assessed yet. The household "
        "becomes active once the resident consents to processing; record that consent first."
    ), code="consent_needed")


@transaction.atomic
def assess_eligibility(household: Household, *, by, on_date: datetime.date | None = None) -> Assessment:
    """Assess the household against its programme's rules on the date (today) and store the assessment.

    Assessing is processing the resident's data: only with their consent for processing in force (the
    household page says processing starts at consent). Raises `NoParametersOnDate` before the first rules.
    """
    ensure_may(by, "households.assess_eligibility", household)
    household = Household.objects.select_for_update().get(pk=household.pk)  # consent is not withdrawn meanwhile
    if not household.has_processing_consent():
        raise consent_needed_error()
    return record_assessment(household, by=by, on_date=on_date)
