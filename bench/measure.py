"""Timing the pages and API lists of issue 10, logged in as the role that uses them (Django's test client).

Per page: the status, the number of queries, the 50th and 95th percentile of the response time over
the runs (after warm-up requests), and the time spent in the database alone (the sum of the queries'
durations, measured around each `execute` with `connection.execute_wrapper`), as its median.
"""

import math
import re
import statistics
import time
import traceback
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from budget.models import BudgetLine, LedgerEntry, Programme


@dataclass(frozen=True)
class Page:
    name: str
    username: str
    url: str
    oldest_page: bool = False  # the URL is the ledger's first page: measure its last (oldest) page instead


@dataclass
class Timing:
    page: Page
    status: int | None = None
    queries: int = 0
    seconds: list[float] = field(default_factory=list)
    sql_seconds: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def p50_ms(self) -> float:
        return percentile(self.seconds, 50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 95) * 1000

    @property
    def sql_ms(self) -> float:
        return statistics.median(self.sql_seconds) * 1000 if self.sql_seconds else math.nan


def percentile(values: list[float], p: int) -> float:
    """The nearest-rank percentile (with 20 runs, p95 is the second slowest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class QueryClock:
    """Counts the queries and adds up their durations while it is installed (`connection.execute_wrapper`)."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def pages(programme: Programme) -> list[Page]:
    """The pages of issue 10's table and the API lists, each as the role that uses it."""
    User = get_user_model()
    finance = User.objects.filter(groups__name="finance_officer").order_by("username").first()
    coordinator = User.objects.filter(groups__name="coordinator").order_by("username").first()
    handyman = (User.objects.filter(groups__name="handyman").annotate(households=Count("households_as_handyman"))
                .order_by("-households", "username").first())
    busiest = (BudgetLine.objects.filter(programme=programme).annotate(booked=Count("entries"))
               .order_by("-booked", "pk").first())
    households = reverse("households:list")
    ledger = reverse("budget:ledger", args=[busiest.pk])
    postcode = (programme.households.filter(dwelling__isnull=False).order_by("pk")
                .values_list("dwelling__postcode", flat=True).first()) or "1221 CN"
    return [
        Page("budget overview", finance.username, f"{reverse('budget:overview')}?programme={programme.slug}"),
        Page(f"ledger of {busiest.kind}, newest page", finance.username, ledger),
        Page(f"ledger of {busiest.kind}, oldest page", finance.username, ledger, oldest_page=True),
        Page("household list, page 1", coordinator.username, households),
        Page(f"household search, postcode {postcode}", coordinator.username,
             f"{households}?{urlencode({'q': postcode})}"),
        Page('household search "1221"', coordinator.username, f"{households}?q=1221"),
        Page("household list, sorted by name", coordinator.username, f"{households}?sort=name"),
        Page("start page, finance", finance.username, reverse("accounts:start")),
        Page("start page, coordinator", coordinator.username, reverse("accounts:start")),
        Page("start page, handyman", handyman.username, reverse("accounts:start")),
        Page("API households", coordinator.username, reverse("api-v1:household-list")),
        Page("API households (handyman)", handyman.username, reverse("api-v1:household-list")),
        Page("API budget lines", finance.username, reverse("api-v1:budget-line-list", args=[programme.slug])),
        *application_pages(programme, coordinator=coordinator, finance=finance),
        *fieldwork_pages(programme, coordinator=coordinator, finance=finance, handyman=handyman),
        *report_pages(programme, coordinator=coordinator, finance=finance),
        *security_pages(programme, coordinator=coordinator),
    ]


def report_pages(programme: Programme, *, coordinator, finance) -> list[Page]:
    from bench.reports import report_pages as pages_of_reports  # bench.reports reads Page from here

    return pages_of_reports(programme, coordinator=coordinator, finance=finance)


def security_pages(programme: Programme, *, coordinator) -> list[Page]:
    from bench.security import security_pages as pages_of_security  # bench.security reads Page from here

    return pages_of_security(programme, coordinator=coordinator)


def application_pages(programme: Programme, *, coordinator, finance) -> list[Page]:
    """Issue 11's pages: the assessor's queue and start page, the lists, an application, the payments due."""
    from subsidy.models import Application

    User = get_user_model()
    assessor = User.objects.filter(groups__name="assessor").order_by("username").first()
    awaiting = (Application.objects.filter(programme=programme).awaiting_decision()
                .order_by("decision_due_on", "pk").first())
    applications = reverse("subsidy:list")
    return [
        Page("start page, assessor (queue)", assessor.username, reverse("accounts:start")),
        Page("assessor's queue", assessor.username, reverse("subsidy:queue")),
        Page("applications, overdue", coordinator.username, f"{applications}?overdue=on"),
        Page("applications, page 1", coordinator.username, applications),
        Page("application page", assessor.username, reverse("subsidy:application", args=[awaiting.pk])),
        Page("payments due", finance.username, reverse("subsidy:payments")),
        Page("API applications", coordinator.username, reverse("api-v1:application-list")),
    ]


def fieldwork_pages(programme: Programme, *, coordinator, finance, handyman) -> list[Page]:
    """Issue 12's pages: the handyman's agenda, a visit, a household with its field work, proposing a package, the
    coordinator's workload, the packages waiting and their figures, the catalogue, the API lists."""
    from fieldwork.models import Visit
    from subsidy.models import Package

    planned = Visit.objects.filter(handyman=handyman, done_at=None, kind="installation").order_by("planned_at", "pk")
    visit = planned.first()
    installed = Package.objects.filter(household__handyman=handyman, status="installed").order_by("pk").first()
    return [
        Page("handyman's agenda", handyman.username, reverse("fieldwork:agenda")),
        Page("installation visit (phone screen)", handyman.username,
             reverse("fieldwork:record_installation", args=[visit.pk])),
        Page("household page with field work", handyman.username,
             reverse("households:detail", args=[installed.household_id])),
        Page("proposing a package", handyman.username,
             reverse("subsidy:propose_package", args=[installed.household_id])),
        Page("workload per handyman, this week", coordinator.username, reverse("fieldwork:workload")),
        Page("one handyman's week", coordinator.username, reverse("fieldwork:handyman_week", args=[handyman.pk])),
        Page("packages waiting for a decision", coordinator.username, reverse("subsidy:packages_waiting")),
        Page("package figures", finance.username, reverse("subsidy:package_figures")),
        Page("product catalogue", coordinator.username, reverse("subsidy:catalogue")),
        Page("API visits (handyman)", handyman.username, reverse("api-v1:visit-list")),
        Page("API packages", coordinator.username, reverse("api-v1:package-list")),
    ]


def verified(client: Client, user) -> None:
    """Let `client`'s session (logged in as `user`) count as having given the second factor (issue 14): the pages
    are measured as staff work, the two-factor middleware's own cost included."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure(page_list: list[Page], *, runs: int, warm_up: int = 2, say=print) -> list[Timing]:
    timings = []
    for page in page_list:
        client = Client()
        user = get_user_model().objects.get(username=page.username)
        client.force_login(user)
        verified(client, user)
        if page.oldest_page:
            page = replace(page, url=deep_ledger_url(client, page.url))
        timing = measure_page(client, page, runs=runs, warm_up=warm_up)
        say(row(timing))
        timings.append(timing)
    return timings


def measure_page(client: Client, page: Page, *, runs: int, warm_up: int) -> Timing:
    timing = Timing(page)  # the page with the URL measured
    try:
        for _ in range(warm_up):
            client.get(page.url)
        for _ in range(runs):
            clock = QueryClock()
            with connection.execute_wrapper(clock):
                start = time.perf_counter()
                response = client.get(page.url)
                timing.seconds.append(time.perf_counter() - start)
            timing.sql_seconds.append(clock.seconds)
            timing.status, timing.queries = response.status_code, clock.queries
    except Exception as error:  # a page that fails at this scale is reported, the others still measured
        timing.status, timing.error = 500, f"{type(error).__name__}: {error}"
        traceback.print_exc()
    return timing


# --- The ledger's deep page, whichever way the ledger pages ------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


OLDEST = re.compile(r"^\s*(oldest|oudste|last|laatste)\s*$", re.IGNORECASE)


def deep_ledger_url(client: Client, url: str) -> str:
    """The ledger's last (oldest) page, read from the links on its first page.

    An "Oldest"/"Last" link is followed as it is; numbered pages (`?page=`) go to the last number;
    keyset links (e.g. `?older_than=<date>.<id>`) are pointed at the last page's first entry.
    """
    html = client.get(url).content.decode()
    parser = _Links()
    parser.feed(html)
    paging = [link for link in parser.links if (link.get("href") or "").startswith("?")]
    for link in paging:
        if link.get("rel") == "last" or OLDEST.match(link["text"]):
            return url + link["href"].replace("&amp;", "&")
    line_pk = int(url.rstrip("/").rsplit("/", 1)[1])
    entries = LedgerEntry.objects.filter(line_id=line_pk).order_by("-booked_on", "-pk")
    size = _page_size()
    total = entries.count()
    following = next((link for link in paging if link.get("rel") == "next"), None)
    if following is None or total <= size:
        return url
    query = dict(parse_qsl(urlsplit(following["href"]).query))
    if query.get("page", "").isdigit():
        return f"{url}?{urlencode({**query, 'page': math.ceil(total / size)})}"
    # Keyset: the link names the last entry shown (its date and id); name the one above the last page instead.
    shown = entries.values_list("booked_on", "pk")[size - 1]
    above_last = entries.values_list("booked_on", "pk")[max(size - 1, (math.ceil(total / size) - 1) * size - 1)]
    moved = {name: value.replace(shown[0].isoformat(), above_last[0].isoformat()).replace(
        str(shown[1]), str(above_last[1])) for name, value in query.items()}
    return f"{url}?{urlencode(moved)}"


def _page_size() -> int:
    from budget import views

    return getattr(views, "LEDGER_PAGE_SIZE", 50)


# --- The table -------------------------------------------------------------------------------------

HEADER = f"{'page / API list':<46} {'user':<20} {'status':>6} {'queries':>7} {'p50 ms':>9} {'p95 ms':>9} {'SQL ms':>9}"


def row(timing: Timing) -> str:
    if timing.error:
        return f"{timing.page.name:<46} {timing.page.username:<20} {'ERROR':>6}  {timing.error}"
    return (f"{timing.page.name:<46} {timing.page.username:<20} {timing.status or '-':>6} {timing.queries:>7} "
            f"{timing.p50_ms:>9,.0f} {timing.p95_ms:>9,.0f} {timing.sql_ms:>9,.0f}")
