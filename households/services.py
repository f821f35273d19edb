"""Business acts on the household register: each one transaction, one permission check, one audit event.

register_household   a household with its dwelling, under a reference number unique in the programme
register_households_in_bulk  many at once (the import), each with its consent and assignment, exactly as
                     register_household, record_consent and assign_household would record them
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
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.audit import new_event, record_event
from accounts.roles import Role, ensure_may, roles_of
from budget.models import Programme
from eligibility.models import Assessment
from eligibility.services import record_assessment
from households.models import Consent, Dwelling, Household, ReferenceCounter
from households.validators import normalise_postcode, validate_housing_corporation

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


def count_given_references(programme: Programme, references: Iterable[str]) -> None:
    """References given by hand (e.g. from the old CRM) in the generated form move the counter past them.

    An import calls it before its long transaction (with `reserve_references`, after this), so that the
    numbers it hands out never meet the ones given in its file and the counter row is not held for the run.
    """
    prefix = f"{programme.reference_prefix}-"
    numbers = [int(reference[len(prefix):]) for reference in references
               if reference.startswith(prefix) and reference[len(prefix):].isdigit()]
    if numbers:
        # Locks the counter row only when the number is beyond it (not for numbers reserved beforehand).
        ReferenceCounter.objects.filter(programme=programme, last_number__lt=max(numbers)).update(
            last_number=max(numbers))


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
        count_given_references(programme, [reference])
    else:
        (reference,) = reserve_references(programme)
    new = _new_household(programme=programme, by=by, reference=reference, household=household)
    _full_clean(new)
    new.save()
    home = _new_dwelling(new, dwelling)
    home.save()
    record_event(new, actor=by, **_registered_event(reference))
    return new


# The records of a registration, shared by register_household and register_households_in_bulk so they cannot drift.

def _new_household(*, programme: Programme, by, reference: str, household: dict,
                   status: str = Household.Status.REGISTERED) -> Household:
    return Household(programme=programme, reference=reference, registered_by=by, status=status,
                     **{name: value for name, value in household.items() if name in HOUSEHOLD_FIELDS})


def _new_dwelling(household: Household, dwelling: dict, *, check_fields: bool = True) -> Dwelling:
    """The household's dwelling, checked; its postcode in the one written form (as `Dwelling.save` writes it)."""
    home = Dwelling(household=household,
                    **{name: value for name, value in dwelling.items() if name in DWELLING_FIELDS})
    if check_fields:
        _full_clean(home, exclude=["household"])
    validate_housing_corporation(home.tenure, home.housing_corporation)
    home.postcode = normalise_postcode(home.postcode)
    return home


def _registered_event(reference: str) -> dict:
    return {"action": "registered", "reference": reference}


def check_consent_answer(status: str, *, processing: bool, share_address_level: bool) -> None:
    """The resident's answer fits the household's state: raises the consent page's errors otherwise."""
    if not processing and status != Household.Status.REGISTERED:
        raise ValidationError({"processing": _(
            "An active or closed household keeps its consent for processing; the programme cannot work "
            "without it. If the resident withdraws it, close the household first."
        )}, code="processing_needed")
    if not processing and share_address_level:
        raise ValidationError({"share_address_level": _(
            "A resident who refuses processing does not consent to sharing at address level either."
        )}, code="sharing_without_processing")


def _new_consent(household: Household, *, by, statement_version: str, given_on: datetime.date,
                 processing: bool, share_address_level: bool, check_fields: bool = True) -> Consent:
    consent = Consent(household=household, statement_version=statement_version, given_on=given_on,
                      processing=processing, share_address_level=share_address_level, recorded_by=by)
    if check_fields:
        _full_clean(consent, exclude=["household", "recorded_by"])
    return consent


def _consent_event(*, statement_version: str, processing: bool, share_address_level: bool, activated: bool) -> dict:
    # Without consent for processing the resident has refused it: the history says so, not "consent recorded".
    return {"action": "consent_recorded" if processing else "consent_refused",
            "statement_version": statement_version, "processing": processing,
            "share_address_level": share_address_level, "activated": activated}


def _assigned_event(*, handyman, community_worker, note: str) -> dict:
    return {"action": "assigned", "note": note, "handyman": handyman.username if handyman else None,
            "community_worker": community_worker.username if community_worker else None}


@dataclass
class Registration:
    """One household for `register_households_in_bulk`, with what the consent and assign pages would add."""

    household: dict
    dwelling: dict
    reference: str
    consent: dict | None = None  # record_consent's keywords: statement_version, given_on, processing, …
    assignment: dict | None = None  # assign_household's keywords: handyman, community_worker, note


class RegistrationRefused(Exception):
    """`register_households_in_bulk` refused the registration at `position` (from 0); nothing is registered."""

    def __init__(self, position: int, error: ValidationError):
        super().__init__(position, error)
        self.position, self.error = position, error


BULK_BATCH_SIZE = 1000  # rows per INSERT: well within PostgreSQL's and SQLite's limits on parameters


@transaction.atomic
def register_households_in_bulk(registrations: Iterable[Registration], *, programme: Programme, by,
                                fields_checked: bool = False, batch_size: int = BULK_BATCH_SIZE) -> int:
    """Register many households at once: the records and audit events register_household, record_consent and
    assign_household would write for each, with the same rules, inserted `batch_size` at a time.

    The references are taken beforehand, each way in a short transaction of its own: `count_given_references`
    for the given ones, then `reserve_references` for the new ones (a given reference already in the register
    breaks the unique constraint: IntegrityError). So this transaction, however long, holds no lock that other
    registrations or bookings wait for. A refused registration raises RegistrationRefused: nothing is registered.

    `fields_checked`: the values come cleaned by the pages' registration, dwelling and consent forms, which ran the
    models' field validators on them (the import's rows do); they are not run a second time. The rules across
    fields and records (housing corporation, the consent answer, roles, permissions) are applied either way.
    """
    ensure_may(by, "households.add_household")
    registered, allowed = 0, set()
    for start, batch in enumerate(batched(registrations, batch_size)):
        households, dwellings, consents, acts = [], [], [], []
        for position, registration in enumerate(batch, start * batch_size):
            try:
                household, home, consent, events = _bulk_registration(
                    registration, programme=programme, by=by, allowed=allowed, check_fields=not fields_checked)
            except ValidationError as error:
                raise RegistrationRefused(position, error) from error
            households.append(household)
            dwellings.append(home)
            consents.extend([consent] if consent else [])
            acts.append(events)
        insert_new(households, with_ids=True)  # the events name their households' ids
        insert_new(dwellings)
        insert_new(consents)
        insert_new([new_event(household, actor=by, **event)
                    for household, events in zip(households, acts, strict=True) for event in events])
        registered += len(batch)
    return registered


def insert_new(instances: list, *, with_ids: bool = False) -> None:
    """Insert unsaved instances of one model as `bulk_create` would; on PostgreSQL with COPY, several times faster.

    Each value is prepared by its field exactly as for an INSERT (`pre_save`, then `get_db_prep_save`: JSON,
    decimals, aware datetimes, amounts in cents, `auto_now_add`); a foreign key to an instance saved just
    before takes its id. `with_ids`: the instances get their ids (on PostgreSQL taken from the table's
    sequence in one query, then written explicitly), as `bulk_create` gives them.
    """
    if not instances:
        return
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances)
        return
    meta = model._meta
    relations = [field for field in meta.concrete_fields if field.many_to_one or field.one_to_one]
    for instance in instances:
        for field in relations:  # as Model._prepare_related_fields_for_save does for bulk_create
            if getattr(instance, field.attname) is None and field.is_cached(instance):
                related = field.get_cached_value(instance)
                if related is not None:
                    setattr(instance, field.attname, related.pk)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as from an INSERT
        if with_ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(instances)])
            for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
                instance.pk = pk
        fields = [field for field in meta.concrete_fields if not getattr(field, "generated", False)
                  and (with_ids or not field.primary_key)]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        preparations = [(field.pre_save, field.get_db_prep_save) for field in fields]
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([prepare(pre_save(instance, True), connection) for pre_save, prepare in preparations])
    for instance in instances:
        instance._state.adding, instance._state.db = False, connection.alias


def _bulk_registration(registration: Registration, *, programme: Programme, by, allowed: set[str],
                       check_fields: bool):
    """The unsaved records of one registration in bulk, and its audit events in the order the acts happen.

    `allowed`: the permissions already checked. Each is asked once: when their acts are checked, the households
    of a bulk registration are the same to the rules (registered by `by`, nobody assigned yet).
    """
    answer = {"share_address_level": False, **registration.consent} if registration.consent is not None else None
    # Consent for processing makes the registered household active: record_consent's `activate` transition, whose
    # condition (consent for processing in force) is this very consent; so it is built active, and reached now.
    activated = bool(answer and answer["processing"])
    household = _new_household(programme=programme, by=by, reference=registration.reference,
                               household=registration.household,
                               status=Household.Status.ACTIVE if activated else Household.Status.REGISTERED)
    if activated:
        household._mark_reached()
    consent, events = None, [_registered_event(registration.reference)]
    if answer is not None:
        _ensure_once(by, "households.record_consent", household, allowed)
        check_consent_answer(Household.Status.REGISTERED, processing=answer["processing"],
                             share_address_level=answer["share_address_level"])
        consent = _new_consent(household, by=by, check_fields=check_fields, **answer)
        events.append(_consent_event(statement_version=consent.statement_version, processing=consent.processing,
                                     share_address_level=consent.share_address_level, activated=activated))
    if registration.assignment is not None:
        _ensure_once(by, "households.assign_household", household, allowed)
        assignment = {"handyman": None, "community_worker": None, "note": "", **registration.assignment}
        _check_role(assignment["handyman"], Role.HANDYMAN, "handyman")
        _check_role(assignment["community_worker"], Role.COMMUNITY_WORKER, "community_worker")
        household.handyman, household.community_worker = assignment["handyman"], assignment["community_worker"]
        events.append(_assigned_event(**assignment))
    if check_fields:
        _full_clean(household, exclude=["programme", "registered_by", "handyman", "community_worker"])
    return household, _new_dwelling(household, registration.dwelling, check_fields=check_fields), consent, events


def _ensure_once(user, permission: str, household: Household, allowed: set[str]) -> None:
    if permission not in allowed:
        ensure_may(user, permission, household)
        allowed.add(permission)


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
    check_consent_answer(household.status, processing=processing, share_address_level=share_address_level)
    household.consents.filter(withdrawn_at=None).update(withdrawn_at=timezone.now())
    consent = _new_consent(household, by=by, statement_version=statement_version, given_on=given_on,
                           processing=processing, share_address_level=share_address_level)
    consent.save()
    activated = household.status == Household.Status.REGISTERED and can_proceed(household.activate)
    if activated:
        household.activate()
        household.save()
    record_event(household, actor=by, **_consent_event(statement_version=statement_version, processing=processing,
                                                       share_address_level=share_address_level, activated=activated))
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
    record_event(household, actor=by, **_assigned_event(handyman=handyman, community_worker=community_worker,
                                                        note=note))
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
