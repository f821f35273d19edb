# ruff: noqa: S311 (which household a simulated user opens next; nothing here is a secret)
"""The load and abuse run's users (locust; `make load` starts it against gunicorn, see bench/load/run.sh).

Fifty staff users log in (password, then the TOTP code when their role needs one) and work through their role's
main pages, weighted like a working day, with a few seconds between pages. Abusers run beside them: three post
to the public eligibility check and calculators far beyond their throttle (the 429 answers are counted in their
own row, "API: throttled (429)", not as failures), one guesses passwords for one account until the lockout answers
(counted as "refused: wrong password" and "refused: locked out", not as failures).

Everyone logs in first (at once, as at nine in the morning: the password hash makes that the heaviest minute);
when the last staff user is in, the login figures are written to LOAD_LOGIN_STATS, the statistics start afresh and
the measured LOAD_SECONDS (60) begin, for the abusers too. Requests are named by page, so the table has one row per
page, not per household. Run with LOAD_USERS_FILE set to what bench/load/prepare.py wrote. Never imported by Django
code or tests: importing locust patches with gevent.
"""

import itertools
import json
import os
import random
import re
import time
from html import unescape

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

from bench.load.totp import totp

USERS = json.load(open(os.environ["LOAD_USERS_FILE"], encoding="utf-8"))  # noqa: SIM115 (read once at start)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOCKED = "Te veel mislukte pogingen"  # accounts.lockout's message
PROGRAMME = USERS["programme"]
MEASURED_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
_accounts = {role: itertools.cycle([p for p in USERS["staff"] if p["role"] == role])
             for role in {p["role"] for p in USERS["staff"]}}
_arrived = itertools.count(1)
everyone_logged_in = Event()


def arrived(environment) -> None:
    """One more staff user logged in (or failed to); the last one starts the measured period."""
    if next(_arrived) < len(USERS["staff"]):
        return
    stats = environment.stats
    elapsed = max(time.time() - stats.total.start_time, 0.001)
    with open(os.environ["LOAD_LOGIN_STATS"], "w", encoding="utf-8") as out:
        json.dump([{"Name": entry.name, "Request Count": entry.num_requests, "Failure Count": entry.num_failures,
                    "Requests/s": entry.num_requests / elapsed,
                    "50%": entry.get_response_time_percentile(0.5) if entry.num_requests else "",
                    "95%": entry.get_response_time_percentile(0.95) if entry.num_requests else ""}
                   for entry in stats.entries.values()], out)
    stats.reset_all()
    everyone_logged_in.set()
    gevent.spawn_later(MEASURED_SECONDS, environment.runner.quit)


def csrf_token(response) -> str:
    found = CSRF.search(response.text)
    return unescape(found.group(1)) if found else response.cookies.get("csrftoken", "")


class StaffUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 4)

    def on_start(self):
        self.person = next(_accounts[self.role])
        self.households = self.person["households"] or [0]
        try:
            self._log_in()
        finally:
            arrived(self.environment)
        everyone_logged_in.wait()

    def _log_in(self):
        page = self.client.get("/login/", name="login page")
        with self.client.post("/login/", name="login", allow_redirects=False, catch_response=True, data={
                "username": self.person["username"], "password": self.person["password"],
                "csrfmiddlewaretoken": csrf_token(page)}) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.person['username']} could not log in: {answer.status_code}")
                return
        location = answer.headers.get("Location", "")
        if "/login/code/" not in location:  # the login leads to the start page, which asks for the code if needed
            first = self.client.get(location, name="login: first page", allow_redirects=False)
            location = first.headers.get("Location", "") if first.status_code == 302 else ""
        if "/login/code/" in location:
            self._second_factor(location)

    def _second_factor(self, location: str):
        page = self.client.get(location, name="login code page")
        with self.client.post(location, name="login code", allow_redirects=False, catch_response=True, data={
                "token": totp(self.person["key"]), "csrfmiddlewaretoken": csrf_token(page)}) as answer:
            if answer.status_code != 302:
                answer.failure(f"second factor refused for {self.person['username']}: {answer.status_code}")

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:  # a redirect means logged out or sent elsewhere: a failure here
                answer.failure(f"{answer.status_code} {answer.headers.get('Location', '')}")

    def household(self):
        self.page(f"/households/{random.choice(self.households)}/", "household page")

    def application(self):
        self.page(f"/applications/{random.choice(USERS['applications'])}/", "application page")


class Handyman(StaffUser):
    role = "handyman"
    fixed_count = 20

    @task(1)
    def start_page(self):
        self.page("/", "start page")

    @task(4)
    def agenda(self):
        self.page("/veldwerk/agenda/", "agenda")

    @task(2)
    def households_list(self):
        self.page("/households/", "household list")

    @task(4)
    def household_page(self):
        self.household()


class CommunityWorker(StaffUser):
    role = "community_worker"
    fixed_count = 10

    @task(1)
    def start_page(self):
        self.page("/", "start page")

    @task(3)
    def households_list(self):
        self.page("/households/", "household list")

    @task(3)
    def household_page(self):
        self.household()


class Assessor(StaffUser):
    role = "assessor"
    fixed_count = 10

    @task(1)
    def start_page(self):
        self.page("/", "start page")

    @task(4)
    def queue(self):
        self.page("/applications/queue/", "assessor's queue")

    @task(4)
    def application_page(self):
        self.application()

    @task(1)
    def household_page(self):
        self.household()


class FinanceOfficer(StaffUser):
    role = "finance_officer"
    fixed_count = 5

    @task(1)
    def start_page(self):
        self.page("/", "start page")

    @task(3)
    def budget(self):
        self.page("/budget/", "budget overview")

    @task(2)
    def payments(self):
        self.page("/payments/", "payments")

    @task(1)
    def application_page(self):
        self.application()


class Coordinator(StaffUser):
    role = "coordinator"
    fixed_count = 5

    @task(2)
    def start_page(self):
        self.page("/", "start page")

    @task(2)
    def budget(self):
        self.page("/budget/", "budget overview")

    @task(1)
    def report(self):
        self.page("/rapportage/", "programme report")

    @task(2)
    def households_list(self):
        self.page("/households/", "household list")

    @task(1)
    def household_page(self):
        self.household()


# --- Abuse ---------------------------------------------------------------------------------------------------------

CHECK = {"programme": PROGRAMME, "date": "2022-09-01", "household_type": "single", "net_monthly_income": "1360.75",
         "energy_allowance_received": False, "energy_label": "C", "tenure": "owner_occupier"}
DIY = {"programme": PROGRAMME, "date": "2022-09-01", "measure": "roof", "area_m2": "70"}
FINANCING = {"programme": PROGRAMME, "date": "2022-09-01", "yearly_income": "30000", "loan_years": 15,
             "yearly_interest_rate": "0.04", "measures": [{"measure": "roof", "cost": "3000"}]}


class ApiHammer(HttpUser):
    """The public calculators from one address, by three clients as fast as answered: far past their 60 a minute."""

    fixed_count = 3
    wait_time = between(0.05, 0.15)

    def on_start(self):
        everyone_logged_in.wait()

    def call(self, url: str, body: dict, name: str):
        with self.client.post(url, json=body, name=name, catch_response=True) as answer:
            if answer.status_code == 429:
                answer.request_meta["name"] = "API: throttled (429)"
                answer.success()
            elif answer.status_code != 200:
                answer.failure(f"{answer.status_code}")

    @task(2)
    def check(self):
        self.call("/api/v1/eligibility/check", CHECK, "API: eligibility check")

    @task(1)
    def diy(self):
        self.call("/api/v1/calculations/diy", DIY, "API: DIY calculation")

    @task(1)
    def financing(self):
        self.call("/api/v1/calculations/financing", FINANCING, "API: financing")


class PasswordGuesser(HttpUser):
    """Seven wrong passwords for one account, then its right one: refused until the lockout answers, then locked.

    Stays far below the per-address limit (settings.LOGIN_FAILURES_PER_ADDRESS, 20), so the staff users of the same
    address still log in. Then it rests for the rest of the run."""

    fixed_count = 1
    attempts = 8

    def wait_time(self):
        return 1 if self.attempts else 3600

    def on_start(self):
        self.password = USERS["staff"][0]["password"]
        self.csrf = csrf_token(self.client.get("/login/", name="login page"))  # valid for every attempt
        everyone_logged_in.wait()

    @task
    def guess(self):
        if not self.attempts:
            return
        self.attempts -= 1
        password = self.password if self.attempts == 0 else f"wrong-{random.randrange(10**6)}"
        with self.client.post("/login/", name="refused: wrong password", allow_redirects=False, catch_response=True,
                              data={"username": USERS["guessed"], "password": password,
                                    "csrfmiddlewaretoken": self.csrf}) as answer:
            if answer.status_code in (200, 429) and LOCKED in answer.text:
                answer.request_meta["name"] = "refused: locked out"
                answer.success()
            elif answer.status_code == 200 and password != self.password:
                answer.success()
            elif answer.status_code == 302:
                answer.failure("the right password was let in after seven wrong ones: no lockout")
            else:
                answer.failure(f"a guess was answered {answer.status_code}")


@events.quitting.add_listener
def _exit_code(environment, **_kwargs):
    """Failures make the run fail; the throttle's and the lockout's refusals are the expected answers."""
    environment.process_exit_code = 1 if environment.stats.total.num_failures else 0
