"""Read-side queries for large-measure applications: who sees which, the lists, the queue and their counts.

Scoping follows the household (`subsidy.view_application`): assessors, finance officers and the coordinator see
every application; handymen and community workers those of the households they work on
(`households.rules.households_worked_on_by`, the same predicate as the household register).

The queue (DESIGN.md, "The large-measure application: states"): applications awaiting a decision, the running
ones by deadline (the nearest first), then those whose term is suspended while the applicant provides
information, by the day they were paused.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from eligibility.parameters import rule_set_on
from households.models import Household
from households.rules import households_worked_on_by, sees_every_household_role
from subsidy import deadlines
from subsidy.models import DEADLINE_ORDER, Application, queue_group

S = Application.Status

def applications_visible_to(user) -> QuerySet[Application]:
    """The applications `user` may see (the list-level twin of `subsidy.view_application`)."""
    applications = Application.objects.with_list_details()
    if sees_every_household_role(user):
        return applications
    return applications.filter(household__in=Household.objects.filter(households_worked_on_by(user)).values("pk"))


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=Application.AWAITING_DECISION, decision_due_on__lt=today)


def due_soon_q(today: datetime.date, days: int = deadlines.NEAR_DUE_DAYS) -> Q:
    return Q(status__in=Application.AWAITING_DECISION, decision_due_on__gte=today,
             decision_due_on__lte=today + datetime.timedelta(days=days))


def by_deadline(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Awaiting a decision by deadline (the nearest first), the suspended ones after them by the day they were
    paused; then the others, newest first (the order of the index `application_by_deadline`)."""
    return applications.order_by(queue_group(), *DEADLINE_ORDER)


def search_applications(applications: QuerySet[Application], *, today: datetime.date, status: str = "",
                        overdue: bool = False, due_soon: bool = False, measure: str = "", route: str = "",
                        q: str = "") -> QuerySet[Application]:
    """The list's filters; each one given narrows the list."""
    if status:
        applications = applications.filter(status=status)
    if overdue:
        applications = applications.filter(overdue_q(today))
    if due_soon:
        applications = applications.filter(due_soon_q(today))
    if measure:
        applications = applications.filter(measure=measure)
    if route:
        applications = applications.filter(route=route)
    q = q.strip()
    if q:
        applications = applications.filter(Q(reference__icontains=q) | Q(applicant_name__icontains=q))
    return by_deadline(applications)


def application_counts(applications: QuerySet[Application], today: datetime.date) -> dict:
    """How many applications there are per state, overdue and due within the week, in one query.

    {"total", "overdue", "due_soon", "awaiting", "by_status": {status: n}}.
    """
    counts = applications.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=due_soon_q(today)),
        awaiting=Count("pk", filter=Q(status__in=Application.AWAITING_DECISION)),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in S.values},
    )
    return {"total": counts["total"], "overdue": counts["overdue"], "due_soon": counts["due_soon"],
            "awaiting": counts["awaiting"],
            "by_status": {status: counts[f"status_{status}"] for status in S.values}}


def queue(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The assessor's queue: submitted, in review and information requested, by deadline."""
    return by_deadline(applications.filter(status__in=Application.AWAITING_DECISION))


def with_urgency(applications, today: datetime.date) -> list[Application]:
    """The rows, each awaiting a decision with its `urgency` against its deadline (None for the others)."""
    rows = list(applications)
    for application in rows:
        application.urgency = (deadlines.urgency(application.decision_due_on, today)
                               if application.is_awaiting_decision else None)
    return rows


def applications_of_household(household) -> QuerySet[Application]:
    """A household's applications, newest first (the household page's section)."""
    return Application.objects.filter(household=household).order_by("-created_at", "-pk")


def grant_valid_until(application: Application) -> tuple[int, datetime.date] | None:
    """The rule set's validity (months, as of the submission) and the last day to request the payout of a decided
    grant; None before a decision."""
    if application.decided_at is None:
        return None
    decided_on = timezone.localdate(application.decided_at)
    submitted_on = timezone.localdate(application.submitted_at) if application.submitted_at else decided_on
    months = rule_set_on(application.programme, submitted_on).grant_validity_months
    return months, deadlines.add_months(decided_on, months)
