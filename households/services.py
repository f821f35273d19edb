"""Business acts on the household register: each one transaction, one permission check, one audit event.

register_household   a household with its dwelling, under a reference number unique in the programme
register_households_in_bulk  many at once (the import), each with its consent and assignment, exactly as
                     register_household, record_consent and assign_household would record them
update_household     corrections to the household and its dwelling
record_consent       the resident's answer to the privacy statement: consent for processing makes the
                     household active (DOMAIN.md, "Data and privacy"); without it, a refusal is recorded
assign_household     the coordinator assigns an energy handyman and/or a community worker
close_household      the programme's work with the household ends
withdraw_consent     the resident withdraws consent: it ends, and an active household is closed; with erasure its
                     personal data is removed (households.retention) at once, or when the financial term ends
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
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.audit import as_of, event_values, moment_of_acts, record_event
from accounts.bulk import insert_rows
from accounts.errors import Refused
from accounts.models import AuditEvent
from accounts.roles import Role, ensure_may, roles_of
from budget.models import Programme
from eligibility.models import Assessment
from eligibility.services import record_assessment
from households import extensions, privacy, retention
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


def return_references(programme: Programme, references: list[str]) -> bool:
    """Numbers reserved (`reserve_references`) and not used go back to the counter when they are still its last
    ones; if someone took a number meanwhile they stay a gap. True when they went back."""
    if not references:
        return True
    first, last = (int(reference.rsplit("-", 1)[1]) for reference in (references[0], references[-1]))
    return ReferenceCounter.objects.filter(programme=programme, last_number=last).update(last_number=first - 1) == 1


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
               if reference.startswith(prefix) and re.fullmatch(r"[0-9]+", reference[len(prefix):])]
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

def _household_values(*, reference: str, household: dict, status: str = Household.Status.REGISTERED) -> dict:
    """The fields of a new household record, besides its programme and who registers it."""
    return {"reference": reference, "status": status,
            **{name: value for name, value in household.items() if name in HOUSEHOLD_FIELDS}}


def _new_household(*, programme: Programme, by, reference: str, household: dict,
                   status: str = Household.Status.REGISTERED) -> Household:
    return Household(programme=programme, registered_by=by,
                     **_household_values(reference=reference, household=household, status=status))


def _dwelling_values(dwelling: dict, *, check_fields: bool = True) -> dict:
    """The fields of a household's dwelling, checked; its postcode in the one written form (as `Dwelling.save`
    writes it)."""
    values = {name: value for name, value in dwelling.items() if name in DWELLING_FIELDS}
    if check_fields:
        _full_clean(Dwelling(**values), exclude=["household"])
    validate_housing_corporation(values.get("tenure", ""), values.get("housing_corporation", ""))
    values["postcode"] = normalise_postcode(values.get("postcode", ""))
    return values


def _new_dwelling(household: Household, dwelling: dict, *, check_fields: bool = True) -> Dwelling:
    return Dwelling(household=household, **_dwelling_values(dwelling, check_fields=check_fields))


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


def _statement_id(programme_id: int, version: str, known: dict[str, int] | None = None) -> int:
    """The id of the programme's privacy statement with this version (households.privacy's register); a field
    error on `statement_version` when it has none. `known`: versions already looked up (a bulk registration's)."""
    if known is not None and version in known:
        return known[version]
    try:
        statement_id = privacy.statement_of(programme_id, version).pk
    except Refused as error:
        raise ValidationError({"statement_version": error.message}, code="unknown_statement") from None
    if known is not None:
        known[version] = statement_id
    return statement_id


def _consent_values(*, programme_id: int, statement_version: str, given_on: datetime.date, processing: bool,
                    share_address_level: bool, check_fields: bool = True, known: dict[str, int] | None = None) -> dict:
    """The fields of a consent record, besides its household and who records it; checked. The statement is named
    by its version in the household's programme."""
    values = {"statement_id": _statement_id(programme_id, statement_version, known), "given_on": given_on,
              "processing": processing, "share_address_level": share_address_level}
    if check_fields:
        _full_clean(Consent(**values), exclude=["household", "recorded_by", "statement"])
    return values


def _new_consent(household: Household, *, by, check_fields: bool = True, **answer) -> Consent:
    return Consent(household=household, recorded_by=by, **_consent_values(
        programme_id=household.programme_id, check_fields=check_fields, **answer))


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
    registered, allowed, now = 0, set(), timezone.now()  # the moment of every act of the registration
    statements: dict[str, int] = {}  # the privacy statements' ids by version, looked up once each
    for start, batch in enumerate(batched(registrations, batch_size)):
        households, dwellings, consents, acts = [], [], [], []
        for position, registration in enumerate(batch, start * batch_size):
            try:
                household, home, consent, events = _bulk_registration(
                    registration, programme=programme, by=by, allowed=allowed, check_fields=not fields_checked,
                    now=now, statements=statements)
            except ValidationError as error:
                raise RegistrationRefused(position, error) from error
            households.append(household)
            dwellings.append(home)
            consents.append(consent)
            acts.append(events)
        insert_rows(Household, households, with_ids=True)  # the records below name their households' ids
        for household, home, consent in zip(households, dwellings, consents, strict=True):
            home["household_id"] = household["id"]
            if consent is not None:
                consent["household_id"] = household["id"]
        insert_rows(Dwelling, dwellings)
        insert_rows(Consent, [consent for consent in consents if consent is not None])
        with as_of(moment_of_acts() or now):  # one moment for the events of all the registration's acts
            insert_rows(AuditEvent, [event_values(Household, household["id"], actor=by, **event)
                                     for household, events in zip(households, acts, strict=True) for event in events])
        registered += len(batch)
    return registered


def _bulk_registration(registration: Registration, *, programme: Programme, by, allowed: set, check_fields: bool,
                       now: datetime.datetime, statements: dict[str, int] | None = None
                       ) -> tuple[dict, dict, dict | None, list[dict]]:
    """The fields of the records of one registration in bulk (household, dwelling, consent or None), and its audit
    events in the order the acts happen.

    `allowed`: the permissions and people's roles already checked. Each is asked once: when their acts are checked,
    the households of a bulk registration are the same to the rules (registered by `by`, nobody assigned yet).
    """
    answer = {"share_address_level": False, **registration.consent} if registration.consent is not None else None
    # Consent for processing makes the registered household active: record_consent's `activate` transition, whose
    # condition (consent for processing in force) is this very consent; so it is built active, and reached now.
    activated = bool(answer and answer["processing"])
    household = {"programme_id": programme.pk, "registered_by_id": by.pk, **_household_values(
        reference=registration.reference, household=registration.household,
        status=Household.Status.ACTIVE if activated else Household.Status.REGISTERED)}
    if activated:
        household["reached_at"] = now  # as Household._mark_reached, for a household never reached before
    consent, events = None, [_registered_event(registration.reference)]
    if answer is not None:
        _ensure_once(by, "households.record_consent", household, allowed)
        check_consent_answer(Household.Status.REGISTERED, processing=answer["processing"],
                             share_address_level=answer["share_address_level"])
        consent = {"recorded_by_id": by.pk, **_consent_values(programme_id=programme.pk, check_fields=check_fields,
                                                              known=statements, **answer)}
        events.append(_consent_event(statement_version=answer["statement_version"], processing=consent["processing"],
                                     share_address_level=consent["share_address_level"], activated=activated))
    if registration.assignment is not None:
        assignment = {"handyman": None, "community_worker": None, "note": "", **registration.assignment}
        _ensure_once(by, "households.assign_household", household, allowed)
        for user, role, field in ((assignment["handyman"], Role.HANDYMAN, "handyman"),
                                  (assignment["community_worker"], Role.COMMUNITY_WORKER, "community_worker")):
            if user is not None and (user.pk, role) not in allowed:  # each person's role asked once
                _check_role(user, role, field)
                allowed.add((user.pk, role))
        household["handyman_id"] = assignment["handyman"].pk if assignment["handyman"] else None
        household["community_worker_id"] = assignment["community_worker"].pk if assignment["community_worker"] else None
        events.append(_assigned_event(**assignment))
    if check_fields:
        _full_clean(Household(**household), exclude=["programme", "registered_by", "handyman", "community_worker"])
    return household, _dwelling_values(registration.dwelling, check_fields=check_fields), consent, events


def _ensure_once(user, permission: str, household: dict, allowed: set) -> None:
    if permission not in allowed:
        ensure_may(user, permission, Household(**household))
        allowed.add(permission)


def refuse_if_anonymised(household: Household) -> None:
    """An anonymised household's record stays as the figures need it: no details or consent are added to it again
    (a resident who returns is registered anew)."""
    if household.anonymised_at is not None:
        raise ValidationError(_("This household's personal data has been removed. A resident who comes back is "
                                "registered as a new household."), code="anonymised")


@transaction.atomic
def update_household(household: Household, *, by, household_changes: dict, dwelling_changes: dict) -> Household:
    """Change the household's and its dwelling's details; the audit event names the changed fields."""
    ensure_may(by, "households.change_household", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    refuse_if_anonymised(household)
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
    return _record_consent(household, by=by, statement_version=statement_version, given_on=given_on,
                           processing=processing, share_address_level=share_address_level)


@transaction.atomic
def record_applicants_consent(household: Household, *, by, statement_version: str, given_on: datetime.date,
                              share_address_level: bool = False) -> Consent:
    """The consent to processing given in an application form for a registered household.

    `by`: the community worker filling in the form (who must be allowed to record consent), or None: the resident
    themself through the public form.
    """
    if by is not None:
        ensure_may(by, "households.record_consent", household)
    return _record_consent(household, by=by, statement_version=statement_version, given_on=given_on,
                           processing=True, share_address_level=share_address_level)


def _record_consent(household: Household, *, by, statement_version: str, given_on: datetime.date,
                    processing: bool, share_address_level: bool) -> Consent:
    household = Household.objects.select_for_update().get(pk=household.pk)
    refuse_if_anonymised(household)
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
                                                       share_address_level=share_address_level, activated=activated),
                 **({} if by else {"by": "applicant"}))
    return consent


@transaction.atomic
def register_applicant(*, programme: Programme, by, household: dict, dwelling: dict, statement_version: str,
                       given_on: datetime.date, share_address_level: bool = False) -> Household:
    """Register the household of someone who applies for a grant, with the consent they gave in the form, active.

    `by`: the community worker filling in the form with them (who must be allowed to register households), or
    None: the resident themself, through the public form (recorded as such, not under a staff account).
    """
    if by is not None:
        ensure_may(by, "households.add_household")
    (reference,) = reserve_references(programme)
    new = _new_household(programme=programme, by=by, reference=reference, household=household)
    if by is not None and Role.COMMUNITY_WORKER in roles_of(by):
        new.community_worker = by
    _full_clean(new)
    new.save()
    _new_dwelling(new, dwelling).save()
    record_event(new, actor=by, **_registered_event(reference), **({} if by else {"by": "applicant"}))
    _new_consent(new, by=by, statement_version=statement_version, given_on=given_on, processing=True,
                 share_address_level=share_address_level).save()
    new.activate()
    new.save()
    record_event(new, actor=by, **_consent_event(statement_version=statement_version, processing=True,
                                                 share_address_level=share_address_level, activated=True),
                 **({} if by else {"by": "applicant"}))
    return new


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
    previous_handyman_id = household.handyman_id
    household.handyman = handyman
    household.community_worker = community_worker
    household.save(update_fields=["handyman", "community_worker", "updated_at"])
    moved = extensions.after_assignment(household, previous_handyman_id=previous_handyman_id)
    record_event(household, actor=by, **_assigned_event(handyman=handyman, community_worker=community_worker,
                                                        note=note), **moved)
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
def withdraw_consent(household: Household, *, by, note: str = "", erase: bool = False) -> Household:
    """The resident withdraws consent (AVG): it ends now, and the programme stops working with them.

    An active household is closed; a registered one stays registered (nobody could work on it yet).
    `erase`: the resident also asks for their data to be erased (AVG art. 17): `request_erasure`, as they may also
    ask later, once no consent is in force.
    """
    ensure_may(by, "households.record_consent", household)
    household = Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
    if erase and household.anonymised_at is not None:
        raise ValidationError(_("This household's personal data has been removed already."), code="anonymised")
    now = timezone.now()
    ended = household.consents.filter(withdrawn_at=None).update(withdrawn_at=now, withdrawn_by_resident=True)
    if not ended:
        raise ValidationError(_("This household has no consent in force to withdraw."), code="no_consent")
    closed = household.status == Household.Status.ACTIVE
    if closed:
        household.close()
    household.save()
    record_event(household, actor=by, action="consent_withdrawn", note=note, closed=closed,
                 **({"erasure_requested": True} if erase else {}))
    if erase:
        household = request_erasure(household, by=by)
    return household


@transaction.atomic
def request_erasure(household: Household, *, by, note: str = "") -> Household:
    """The resident asks for their personal data to be erased (AVG art. 17), without consent for processing in force
    (withdrawn earlier, refused, or never given; with consent in force it is withdrawn with erasure).

    An open household is closed, and anonymised at once through `households.retention` when nothing holds it;
    otherwise the daily run anonymises it when the hold ends (a paid or rejected application: the financial term).
    """
    ensure_may(by, "households.record_consent", household)
    household = Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
    if household.anonymised_at is not None:
        raise ValidationError(_("This household's personal data has been removed already."), code="anonymised")
    if household.erasure_requested_at is not None:
        raise ValidationError(_("The resident's request for erasure is recorded already."), code="erasure_requested")
    if household.has_processing_consent():
        raise ValidationError(_("The resident's consent for processing is in force: withdraw it, with erasure, on the "
                                "withdrawal page."), code="consent_in_force")
    now = timezone.now()
    closed = can_proceed(household.close)
    if closed:
        household.close()
    household.erasure_requested_at = now
    household.save()
    record_event(household, actor=by, action="erasure_requested", note=note, closed=closed)
    due = retention.retention_due_at(household, now=now)
    if due is not None and due <= now:
        retention.anonymise_household(household, by=by, now=now, reason=retention.ERASURE)
        household.refresh_from_db()
    return household


@transaction.atomic
def reopen_household(household: Household, *, by, reason: str) -> Household:
    """Work with a closed household again; it needs consent for processing in force."""
    ensure_may(by, "households.reopen_household", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != Household.Status.CLOSED:
        raise ValidationError(_("Only a closed household can be reopened."), code="not_closed")
    if household.anonymised_at is not None:
        raise ValidationError(_("This household's personal data has been removed: register the resident anew."),
                              code="anonymised")
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
    return record_assessment(household, by=by, on_date=on_date,
                             large_measures_taken=extensions.large_measures_taken(household))
