"""Retention and anonymisation of a household's personal data (issue 14, item 4; AVG art. 5(1)(e) and 17;
docs/security.md, "Retention and anonymisation").

Retention period (bewaartermijn): a closed household's personal data is kept for its programme's
    `retention_months_after_closing` (24) after `closed_at`; when the resident asked for erasure (withdrawing
    consent, `erasure_requested_at`) from that moment instead. A household left registered (consent never given,
    refused, or withdrawn without erasure: nobody works with it) as long after its last change (`updated_at`; its
    registration when nothing changed since), and it is closed when anonymised. Never while the household is active.
Hold: an app to the right keeps the data longer (`households.extensions.register_retention_hold`): a paid or
    rejected application until the financial audit's legal term has passed (`financial_retention_years` after
    payment or decision), an application still in progress for as long as it is.
Anonymisation: the personal data goes; what the programme's figures need stays. Removed: the contact person's
    name (replaced by the fixed, language-neutral `ANONYMISED`), phone, e-mail, income (also in the stored
    assessments), the house number, letter and addition, the BAG id, free text, documents, letters and reports,
    the files of its inzage exports (their rows stay: the record that the request was answered);
    each app removes its own part (`register_anonymiser`). Kept: postcode-6, street and city (a postcode-6 lies
    within one street of one town: they add nothing to it), the dwelling's characteristics, tenure, household
    type and size, referral source, statuses, dates, measures and amounts, the ledger.

`anonymise_household` is the one way it happens: the daily `manage.py anonymise_expired` (by the system) and the
erasure the resident asks for (`households.services.request_erasure`, also when withdrawing consent).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.append_only import redact
from accounts.audit import record_event
from accounts.models import AuditEvent
from accounts.roles import ensure_may
from budget.models import Programme
from eligibility.retention import remove_income_from_assessments
from households import extensions
from households.models import Dwelling, Household, InzageExport

# What an anonymised name reads: stored once, the same in every language (the household page says it was anonymised).
ANONYMISED = "—"

RETENTION = "retention"  # the retention period after closing passed
ERASURE = "erasure"  # the resident asked for erasure when withdrawing consent
REASONS = (RETENTION, ERASURE)

# Details of audit events that may name the resident: what the admin recorded of a record (`str(obj)`: a household's
# reference and name, a dwelling's address) and a document's original file name.
PERSONAL_DETAILS = ("label", "name", "created", "changed", "deleted")


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same moment `months` later, on the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last))


def end_of_term(day: datetime.date | datetime.datetime, years: int) -> datetime.datetime:
    """The moment a term of `years` from `day` has passed (a date: from its local midnight); holds use it."""
    if not isinstance(day, datetime.datetime):
        day = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return add_months(day, 12 * years)


def _as_moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def own_period_ends_at(household: Household) -> datetime.datetime | None:
    """When the household's own retention ends, holds aside: at the erasure asked for, or the programme's months
    after closing; for a household left registered, as many months after its last change. None while the household
    is active (or already anonymised)."""
    if household.anonymised_at is not None:
        return None
    months = household.programme.retention_months_after_closing
    if household.status == Household.Status.REGISTERED:
        return add_months(household.updated_at, months)
    if household.status != Household.Status.CLOSED or not household.closed_at:
        return None
    if household.erasure_requested_at is not None:
        return household.erasure_requested_at
    return add_months(household.closed_at, months)


def retention_due_at(household: Household, *, now: datetime.datetime) -> datetime.datetime | None:
    """When the household's personal data is to be anonymised: the latest of its own period's end and every hold's
    moment. None when there is no such moment: the household is open, something still in progress holds it, or it
    is anonymised already. The moment may lie ahead (kept until then)."""
    due = own_period_ends_at(household)
    if due is None:
        return None
    for hold in extensions.retention_holds().values():
        held = hold(household, now=now)
        if held is True:
            return None
        if held:
            due = max(due, _as_moment(held))
    return due


@dataclass(frozen=True)
class Verdict:
    """A closed or registered household whose own period has passed, as of `now`: due (`due_at` ≤ now), or kept
    until `due_at` (None: for as long as something is in progress)."""

    household: Household
    due_at: datetime.datetime | None
    reason: str  # RETENTION or ERASURE
    now: datetime.datetime

    @property
    def is_due(self) -> bool:
        return self.due_at is not None and self.due_at <= self.now


def candidates(now: datetime.datetime, programme=None):
    """The not yet anonymised households whose own period has passed, as two querysets, each read through its
    partial index (one range of moments per programme), never the whole register: the closed ones
    (household_to_anonymise, on the closing moment) and those left registered (household_left_registered, on the
    last change)."""
    programmes = [programme] if programme is not None else list(Programme.objects.all())
    ended = Q(erasure_requested_at__lte=now)
    unchanged = Q(pk__in=[])
    for each in programmes:
        since = add_months(now, -each.retention_months_after_closing)
        ended |= Q(programme_id=each.pk, closed_at__lte=since)
        unchanged |= Q(programme_id=each.pk, updated_at__lte=since)
    closed = Household.objects.filter(closed_at__isnull=False, anonymised_at__isnull=True,
                                      status=Household.Status.CLOSED).filter(ended)
    registered = Household.objects.filter(status=Household.Status.REGISTERED, anonymised_at__isnull=True).filter(
        unchanged)
    if programme is not None:
        closed, registered = closed.filter(programme=programme), registered.filter(programme=programme)
    return (closed.select_related("programme").order_by("closed_at", "pk"),
            registered.select_related("programme").order_by("updated_at", "pk"))


def retention_review(now: datetime.datetime, programme=None) -> list[Verdict]:
    """Every closed or registered household whose own period has passed, due or held (the holds asked per
    household): the closed ones first, oldest closing first, then those left registered, longest unchanged first."""
    closed, registered = candidates(now, programme)
    return [Verdict(household, retention_due_at(household, now=now),
                    ERASURE if household.erasure_requested_at is not None else RETENTION, now)
            for households in (closed, registered) for household in households]


def due_for_anonymisation(now: datetime.datetime, programme=None) -> list[Verdict]:
    """The households to anonymise now, in the review's order."""
    return [verdict for verdict in retention_review(now, programme) if verdict.is_due]


@transaction.atomic
def anonymise_household(household: Household, *, by=None, now: datetime.datetime | None = None,
                        reason: str) -> dict | None:
    """Remove the household's personal data, in every app, and record one "anonymised" event with what was removed.

    `by`: the staff user who recorded the resident's request for erasure (who must be allowed to record consent);
    None: the system (the daily run). Idempotent: a household anonymised already is left as it is (None returned,
    no event). Returns the counts per app that the event records.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    now = now or timezone.now()
    household = Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
    if by is not None:
        ensure_may(by, "households.record_consent", household)
    if household.anonymised_at is not None:
        return None
    removed = {name: anonymise(household, now=now) or {} for name, anonymise in extensions.anonymisers().items()}
    removed["eligibility"] = {"assessments": remove_income_from_assessments(household)}
    removed["households"] = _anonymise_register(household, now=now)
    record_event(household, actor=by, action="anonymised", reason=reason, removed=removed)
    return removed


@transaction.atomic
def anonymise_if_due(household: Household, *, now: datetime.datetime) -> dict | None:
    """The daily run's act on one household: checked again under the lock (it may have been reopened, or an
    application started, since the review), then anonymised by the system. None when it is not due (any more)."""
    household = Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
    due = retention_due_at(household, now=now)
    if due is None or due > now:
        return None
    reason = ERASURE if household.erasure_requested_at is not None else RETENTION
    return anonymise_household(household, by=None, now=now, reason=reason)


def _anonymise_register(household: Household, *, now: datetime.datetime) -> dict:
    closed = household.status == Household.Status.REGISTERED  # left registered: it is closed with its data gone
    if closed:
        household.close()
        household.closed_at = now
    household.contact_name = ANONYMISED
    household.phone = ""
    household.email = ""
    household.net_monthly_income = None
    household.anonymised_at = now
    household.save(update_fields=["contact_name", "phone", "email", "net_monthly_income", "anonymised_at",
                                  "updated_at", *(["status", "closed_at"] if closed else [])])
    dwellings = Dwelling.objects.filter(household=household).update(
        house_number=None, house_letter="", house_number_addition="", bag_id="")
    # An inzage export's row stays as the record that the request was answered (households.inzage); its files go.
    inzage_exports = InzageExport.objects.filter(household=household).filter(
        Q(pdf__isnull=False) | Q(json__isnull=False)).update(pdf=None, json=None)
    return {"dwelling": dwellings, "inzage_exports": inzage_exports, **({"closed": 1} if closed else {}),
            "audit_notes": redact_audit_trail(Household, [household.pk])}


def redact_audit_trail(model, object_ids: Iterable) -> int:
    """Blank the notes of the audit events of these records (free text may name the resident) and drop the details
    that may (PERSONAL_DETAILS); who did what when stays. Returns the number of events changed."""
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                       object_id__in=[str(pk) for pk in object_ids])
    personal = ~Q(note="")
    for key in PERSONAL_DETAILS:
        personal |= Q(data__has_key=key)
    return redact(events.filter(personal), note="", data=_without_personal_details)


def _without_personal_details(data: dict) -> dict:
    return {key: value for key, value in (data or {}).items() if key not in PERSONAL_DETAILS}


def forget_files(files) -> int:
    """Delete these stored files (FieldFile values) once the transaction commits, so a rolled-back anonymisation
    keeps them; returns how many there are."""
    names = [(file.storage, file.name) for file in files if file]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return len(names)
