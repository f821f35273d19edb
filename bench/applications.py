"""Large-measure applications at a city's scale: one for about every twentieth household, in every state.

Written in bulk (`accounts.bulk.insert_rows`) with the values the services would have given them: owner-occupied
households that are active, a reference `HIL-A00001…`, the decision term (due 28 days after submission, moved by
a pause, empty while information is awaited), amounts for the granted ones, one event per application (its
submission). The ledger is not touched (the bench's ledger has its own grants); the pages that read
applications — the queue, the list, the start pages, the payments due, the API — are what is measured.
"""

import datetime
import random
import secrets
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.bulk import insert_rows
from accounts.models import AuditEvent
from bench.bulk import next_id, reset_sequence
from budget.models import Programme
from households.models import Household
from households.privacy import statement_of
from subsidy.models import Application

S = Application.Status
SHARES = [(S.DRAFT, 5), (S.SUBMITTED, 15), (S.IN_REVIEW, 20), (S.INFO_REQUESTED, 10), (S.APPROVED, 15),
          (S.REJECTED, 10), (S.WITHDRAWN, 5), (S.LAPSED, 2), (S.PAYOUT_REQUESTED, 5), (S.PAYOUT_SET, 5), (S.PAID, 8)]
MEASURES = ["roof", "floor", "cavity_wall", "glass"]
PER_HOUSEHOLDS = 20


def write_applications(programme: Programme, staff, rng: random.Random, *, say) -> int:
    households = list(Household.objects.filter(programme=programme, status=Household.Status.ACTIVE,
                                               dwelling__tenure="owner_occupier")
                      .order_by("pk").values("pk", "contact_name", "household_type", "net_monthly_income"))
    chosen = rng.sample(households, min(len(households), programme.households.count() // PER_HOUSEHOLDS))
    states = [state for state, share in SHARES for _ in range(share)]
    first, first_event = next_id(Application), next_id(AuditEvent)
    content_type = ContentType.objects.get_for_model(Application).pk
    today = timezone.localdate()
    statement_id = statement_of(programme, "2022-1").pk
    rows, events = [], []
    for number, household in enumerate(chosen, start=1):
        state = rng.choice(states)
        awaiting = state in Application.AWAITING_DECISION
        submitted_on = today - datetime.timedelta(days=rng.randint(1, 45) if awaiting else rng.randint(60, 900))
        submitted_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10)))
        quote = Decimal(rng.randrange(100_000, 600_000)) / 100
        grant = min(quote, Decimal("5000.00"))
        granted = state in (*Application.GRANTED, S.LAPSED)
        suspended = rng.randint(0, 10) if state in (S.IN_REVIEW, *Application.GRANTED) else 0
        payout = grant - Decimal(rng.randrange(0, 20_000)) / 100 if state in (S.PAYOUT_SET, S.PAID) else None
        row = {
            "id": first + number - 1, "programme_id": programme.pk, "household_id": household["pk"],
            "reference": f"{programme.reference_prefix}-A{number:05d}", "status_token": secrets.token_urlsafe(32),
            "status": state, "version": 1, "applicant_name": household["contact_name"], "email": "", "phone": "",
            "owner_occupier": True, "measure": rng.choice(MEASURES), "route": "contractor", "quote_amount": quote,
            "diy_area_m2": None, "household_type": household["household_type"],
            "net_monthly_income": household["net_monthly_income"], "income_proof": "income_details",
            "declaration_true": True, "privacy_statement_id": statement_id,
            "submitted_at": None if state == S.DRAFT else submitted_at, "requested_grant": grant,
            "calculation": {"route": "contractor", "grant": str(grant), "lines": [{"label": "Offerte",
                                                                                   "amount": str(quote)}]},
            "term_days": 28, "suspended_days": suspended, "extended_days": 0,
            "decision_due_on": (None if state in (S.DRAFT, S.INFO_REQUESTED)
                                else submitted_on + datetime.timedelta(days=28 + suspended)),
            "suspended_since": today - datetime.timedelta(days=rng.randint(1, 14)) if state == S.INFO_REQUESTED
            else None,
            "granted_amount": grant if granted else None,
            "decided_at": submitted_at + datetime.timedelta(days=20) if granted or state == S.REJECTED else None,
            "decided_by_id": staff.assessor.pk if granted or state == S.REJECTED else None,
            "invoice_amount": grant if state in (S.PAYOUT_REQUESTED, S.PAYOUT_SET, S.PAID) else None,
            "iban": "NL91ABNA0417164300" if state in (S.PAYOUT_REQUESTED, S.PAYOUT_SET, S.PAID) else "",
            "account_holder": household["contact_name"][:70] if state in (S.PAYOUT_REQUESTED, S.PAYOUT_SET, S.PAID)
            else "",
            "payout_amount": payout, "payout_set_by_id": staff.assessor.pk if payout is not None else None,
            "payout_set_at": submitted_at + datetime.timedelta(days=50) if payout is not None else None,
            "paid_on": submitted_on + datetime.timedelta(days=55) if state == S.PAID else None,
            "paid_by_id": staff.finance[0].pk if state == S.PAID else None,
            "created_at": submitted_at, "updated_at": submitted_at,
        }
        rows.append(row)
        if state != S.DRAFT:
            events.append({"id": first_event + len(events), "content_type_id": content_type,
                           "object_id": str(row["id"]), "actor_id": None, "action": "application.submit",
                           "note": "", "data": {"from_status": "draft", "to_status": "submitted", "by": "applicant"},
                           "at": submitted_at})
    insert_rows(Application, rows, own_ids=True)
    insert_rows(AuditEvent, events, own_ids=True)
    reset_sequence(Application)
    reset_sequence(AuditEvent)
    say(f"  {len(rows):,} large-measure applications")
    return len(rows)
