"""What the field-work pages read (DESIGN.md: read-side query logic in selectors), by part: the handyman's agenda and
the households without a next visit; the coordinator's workload per handyman and week."""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import Role, is_coordinator
from fieldwork.models import DefectReport, Referral, Visit
from households.models import Household

# --- The handyman's agenda ------------------------------------------------------------------------------------
# Every list here is bounded: the visits by the handyman and a range of `planned_at` (index visit_agenda), the
# households by the handyman (index household_handyman_newest), the referrals by the community worker (index
# referral_inbox); none reads a table whole, and none asks a query per row.

AGENDA_LIMIT = 200  # visits in one list: more than a handyman does in the weeks shown
UNRECORDED_LIMIT = 20
WEEKS_AHEAD = 4  # the agenda page's coming weeks, after this one


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the programme's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def visits_planned_between(handyman, first: datetime.date, after_last: datetime.date, *,
                           limit: int = AGENDA_LIMIT) -> list[Visit]:
    """The handyman's visits planned on the days `first` up to (not including) `after_last`, done or not, in the
    order of the day, with their household and dwelling."""
    return list(Visit.objects.of_handyman(handyman).with_household()
                .filter(planned_at__gte=start_of(first), planned_at__lt=start_of(after_last))
                .order_by("planned_at", "pk")[:limit])


def unrecorded_visits(handyman, today: datetime.date, *, limit: int = UNRECORDED_LIMIT) -> list[Visit]:
    """Visits planned before today and not recorded as done: the latest first."""
    return list(Visit.objects.of_handyman(handyman).planned().with_household()
                .filter(planned_at__lt=start_of(today)).order_by("-planned_at", "-pk")[:limit])


@dataclass
class Agenda:
    """A handyman's visits as of `today`: today's, the rest of this week's per day, and the coming weeks' per
    week (Monday to Sunday); `unrecorded`: visits of earlier days still to be recorded."""

    today: datetime.date
    visits_today: list[Visit] = field(default_factory=list)
    this_week: list[tuple[datetime.date, list[Visit]]] = field(default_factory=list)
    coming_weeks: list[tuple[datetime.date, list[Visit]]] = field(default_factory=list)
    unrecorded: list[Visit] = field(default_factory=list)
    limited: bool = False  # more visits than AGENDA_LIMIT in the period: the last days are not all shown


def agenda_of(handyman, today: datetime.date, *, weeks_ahead: int = 0, with_unrecorded: bool = False) -> Agenda:
    """The handyman's agenda from today to the end of this week, and `weeks_ahead` weeks after it (one query)."""
    next_monday = monday_of(today) + datetime.timedelta(weeks=1)
    end = next_monday + datetime.timedelta(weeks=weeks_ahead)
    visits = visits_planned_between(handyman, today, end, limit=AGENDA_LIMIT + 1)
    agenda = Agenda(today=today, limited=len(visits) > AGENDA_LIMIT)
    days: dict[datetime.date, list[Visit]] = {}
    weeks: dict[datetime.date, list[Visit]] = {}
    for visit in visits[:AGENDA_LIMIT]:
        day = timezone.localdate(visit.planned_at)
        if day == today:
            agenda.visits_today.append(visit)
        elif day < next_monday:
            days.setdefault(day, []).append(visit)
        else:
            weeks.setdefault(monday_of(day), []).append(visit)
    agenda.this_week = list(days.items())
    agenda.coming_weeks = list(weeks.items())
    if with_unrecorded:
        agenda.unrecorded = unrecorded_visits(handyman, today)
    return agenda


def households_without_next_visit(handyman) -> QuerySet[Household]:
    """The handyman's active households whose next visit is not planned: none of their visits is still to be
    done and the evaluation (the last) is not planned. Those waiting longest (registered first) come first;
    `visits_planned` is how many of the three they had, so `next_kind_of` tells which comes next."""
    visits = _visits_of_household()
    return (Household.objects.filter(handyman=handyman, status=Household.Status.ACTIVE)
            .filter(without_next_visit())
            .annotate(visits_planned=Coalesce(Subquery(visits.values("household").annotate(n=Count("pk"))
                                                       .values("n")[:1], output_field=IntegerField()), Value(0)))
            .select_related("dwelling").order_by("created_at", "pk"))


def next_kind_of(household: Household) -> str | None:
    """The kind of visit to plan next for a household of `households_without_next_visit` (no query)."""
    planned = household.visits_planned
    return Visit.ORDER[planned] if planned < len(Visit.ORDER) else None


def first_without_next_visit(handyman, limit: int) -> tuple[list[Household], int]:
    """The first `limit` households without a next visit (their next kind as `next_kind`), and how many there are."""
    households = households_without_next_visit(handyman)
    first = list(households[:limit])
    for household in first:
        household.next_kind = Visit.Kind(next_kind_of(household))
    total = len(first) if len(first) < limit else households.count()
    return first, total


# --- The household page's field work ---


@dataclass
class HouseholdFieldwork:
    """A household's three visits in order (None: not planned yet), the next kind to plan, its referrals and
    defect reports."""

    visits: list[tuple[str, Visit | None]]
    next_kind: str | None
    referrals: list[Referral]
    defect_reports: list[DefectReport]


def fieldwork_of_household(household: Household) -> HouseholdFieldwork:
    """Three queries, whatever the household has (each row knows its household: the permissions ask no more)."""
    visits = list(Visit.objects.filter(household=household).select_related("handyman", "planned_by"))
    referrals = list(household.referrals.select_related("community_worker", "referred_by"))
    reports = list(household.defect_reports.select_related("reported_by"))
    for row in (*visits, *referrals, *reports):
        row.household = household
    by_kind = {visit.kind: visit for visit in visits}
    return HouseholdFieldwork(
        visits=[(kind, by_kind.get(kind)) for kind in Visit.ORDER],
        next_kind=next((kind for kind in Visit.ORDER if kind not in by_kind), None),
        referrals=referrals,
        defect_reports=reports,
    )


# --- Referrals: the community worker's inbox ---

REFERRALS_PAGE = 25


def referrals_addressed_to(user) -> QuerySet[Referral]:
    """The referrals in the user's inbox: those addressed to them; for the coordinator, every referral."""
    referrals = Referral.objects.select_related("household", "household__dwelling", "community_worker",
                                                "referred_by")
    return referrals if is_coordinator(user) else referrals.filter(community_worker=user)


def referral_inbox(user, *, handled: bool, after: Referral | None = None,
                   limit: int = REFERRALS_PAGE) -> tuple[list[Referral], bool]:
    """A page of the user's open (or handled) referrals, newest first, after `after` (keyset: no count, no
    offset); and whether there are more."""
    referrals = referrals_addressed_to(user).filter(handled_at__isnull=not handled).order_by("-referred_at", "-pk")
    if after is not None:
        referrals = referrals.filter(Q(referred_at__lt=after.referred_at)
                                     | Q(referred_at=after.referred_at, pk__lt=after.pk))
    page = list(referrals[:limit + 1])
    return page[:limit], len(page) > limit


def open_referrals(user, limit: int) -> tuple[list[Referral], int]:
    """The first `limit` open referrals addressed to the user, newest first, and how many are open."""
    referrals = referrals_addressed_to(user).filter(handled_at=None).order_by("-referred_at", "-pk")
    first = list(referrals[:limit])
    return first, len(first) if len(first) < limit else referrals.count()


# --- The coordinator's workload -------------------------------------------------------------------------------
# Terms of the coordinator's workload page (per handyman, for one ISO week, Monday to Sunday, local time):
# - planned per day: his visits planned on each day of the week, done or not;
# - done: his visits done in the week (whenever they were planned);
# - households: the active households assigned to him;
# - without a next visit: those of them with no visit planned that is not done, while the evaluation is not done;
# - open trajectories: those of them whose evaluation (visit 3, which closes the field work) is not done;
# - coming weeks: his visits planned in the four weeks from the week's Monday (`HORIZON_WEEKS`), done or not.
# Each figure is a conditional count in one of two grouped queries (visits, households), so the page's number of
# queries does not grow with the handymen or their visits.

HORIZON_WEEKS = 4
WEEK_FORMAT = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{1,2})", re.IGNORECASE)
FIRST_YEAR, LAST_YEAR = 2000, 2099  # a week outside these is a typo in the address, not a week to plan


@dataclass(frozen=True)
class Week:
    """An ISO week, Monday to Sunday, in the programme's time zone; written `2025-W03` in the page's address."""

    monday: datetime.date

    @classmethod
    def of(cls, day: datetime.date) -> "Week":
        return cls(day - datetime.timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, value: str | None, *, today: datetime.date) -> "Week":
        """The week `value` names (`2025-W03`), or the week of `today` when it names none."""
        match = WEEK_FORMAT.fullmatch((value or "").strip())
        if match and FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
            try:
                return cls(datetime.date.fromisocalendar(int(match["year"]), int(match["week"]), 1))
            except ValueError:  # week 0, or 53 in a year of 52
                pass
        return cls.of(today)

    @property
    def iso(self) -> str:
        year, week, _day = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def days(self) -> list[datetime.date]:
        return [self.monday + datetime.timedelta(days=offset) for offset in range(7)]

    @property
    def sunday(self) -> datetime.date:
        return self.days[-1]

    def shifted(self, weeks: int) -> "Week":
        return Week(self.monday + datetime.timedelta(weeks=weeks))

    @property
    def previous(self) -> "Week":
        return self.shifted(-1)

    @property
    def next(self) -> "Week":
        return self.shifted(1)

    def boundaries(self) -> list[datetime.datetime]:
        """The local midnights that begin each day and end the week (8 moments; a day may last 23 or 25 hours)."""
        return [start_of(self.monday + datetime.timedelta(days=offset)) for offset in range(8)]

    @property
    def start(self) -> datetime.datetime:
        return start_of(self.monday)

    @property
    def end(self) -> datetime.datetime:
        return start_of(self.monday + datetime.timedelta(weeks=1))


@dataclass(frozen=True)
class HandymanWorkload:
    """One handyman's row on the workload page (see the terms above)."""

    handyman: object
    planned_per_day: tuple[int, ...]
    done: int
    households: int
    without_next_visit: int
    open_trajectories: int
    coming_weeks: int

    @property
    def planned(self) -> int:
        return sum(self.planned_per_day)


def active_handymen():
    """The users who hold the handyman role and are active, by name."""
    return (get_user_model().objects.filter(groups__name=Role.HANDYMAN.value, is_active=True)
            .order_by("first_name", "last_name", "username"))


def _visits_of_household():
    return Visit.objects.filter(household=OuterRef("pk")).order_by()


def _planned_visit():
    return _visits_of_household().filter(done_at=None)


def _evaluated():
    return _visits_of_household().filter(kind=Visit.Kind.EVALUATION).exclude(done_at=None)


def without_next_visit() -> Q:
    """A household with no visit still to be done whose evaluation (the last) is not planned (the agenda's
    `households_without_next_visit`; the workload counts the same households from its grouped counts)."""
    return ~Q(Exists(_planned_visit())) & ~Q(Exists(_visits_of_household().filter(kind=Visit.Kind.EVALUATION)))


def _household_counts() -> tuple[dict, dict, dict]:
    assigned = dict(Household.objects.filter(status=Household.Status.ACTIVE, handyman__isnull=False)
                    .values("handyman").order_by().annotate(n=Count("pk")).values_list("handyman", "n"))
    of_active = (Visit.objects.filter(household__status=Household.Status.ACTIVE, household__handyman__isnull=False)
                 .values("household__handyman").order_by())
    with_visit_to_do = dict(of_active.filter(done_at=None).annotate(n=Count("household", distinct=True))
                            .values_list("household__handyman", "n"))
    evaluated = dict(of_active.filter(kind=Visit.Kind.EVALUATION, done_at__isnull=False).annotate(n=Count("pk"))
                     .values_list("household__handyman", "n"))
    return assigned, with_visit_to_do, evaluated


def workload(week: Week, *, households: bool = True) -> list[HandymanWorkload]:
    """Every active handyman's figures for `week` (five queries, however many handymen, visits or households;
    two without the household figures, `households=False`: the start page's bars of the week's visits)."""
    bounds = week.boundaries()
    horizon_end = week.shifted(HORIZON_WEEKS).start
    done_in_week = Q(done_at__gte=week.start, done_at__lt=week.end)
    in_horizon = Q(planned_at__gte=week.start, planned_at__lt=horizon_end)
    per_day = {f"day{offset}": Count("pk", filter=Q(planned_at__gte=start, planned_at__lt=end))
               for offset, (start, end) in enumerate(itertools.pairwise(bounds))}
    visits = {row["handyman"]: row for row in (
        Visit.objects.filter(in_horizon | done_in_week).values("handyman").order_by()
        .annotate(**per_day, done=Count("pk", filter=done_in_week), coming=Count("pk", filter=in_horizon)))}
    # Per handyman, grouped counts that read indexes rather than probing each household: his active households;
    # those of them with a visit still to do; those whose evaluation is done (the two are apart: the evaluation
    # comes last). Without a next visit: neither; open: not evaluated.
    assigned, with_visit_to_do, evaluated = _household_counts() if households else ({}, {}, {})
    rows = []
    for handyman in active_handymen():
        seen = visits.get(handyman.pk, {})
        households, closed = assigned.get(handyman.pk, 0), evaluated.get(handyman.pk, 0)
        rows.append(HandymanWorkload(
            handyman=handyman, planned_per_day=tuple(seen.get(f"day{offset}", 0) for offset in range(7)),
            done=seen.get("done", 0), households=households,
            without_next_visit=households - with_visit_to_do.get(handyman.pk, 0) - closed,
            open_trajectories=households - closed, coming_weeks=seen.get("coming", 0)))
    return rows


def visits_of_handyman_in_week(handyman, week: Week):
    """His visits planned in `week`, in the order of the day, with their households and dwellings (one query)."""
    return (Visit.objects.of_handyman(handyman).filter(planned_at__gte=week.start, planned_at__lt=week.end)
            .with_household().order_by("planned_at", "pk"))


def households_of_handyman(handyman):
    """His open households (registered or active), by reference, each with `next_visit_at` and `next_visit_kind`
    (the first visit planned that is not done; None: none) and `evaluated` (the field work is closed); one query."""
    first_planned = _planned_visit().order_by("planned_at", "pk")
    return (Household.objects.filter(handyman=handyman).exclude(status=Household.Status.CLOSED)
            .select_related("dwelling")
            .annotate(next_visit_at=Subquery(first_planned.values("planned_at")[:1]),
                      next_visit_kind=Subquery(first_planned.values("kind")[:1]),
                      evaluated=Exists(_evaluated()))
            .order_by("reference", "pk"))
