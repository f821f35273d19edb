"""The decision term: 28 days from submission, suspended while information is awaited, extended once (Awb)."""

import datetime

import pytest
from django.utils import timezone

from accounts.errors import Conflict, Refused
from subsidy import deadlines, services
from subsidy.models import Application
from tests.factories import application_in

D = datetime.date


def test_the_decision_is_due_28_days_after_submission_across_a_month_end():
    assert deadlines.decision_due_on(D(2026, 1, 20), term_days=28) == D(2026, 2, 17)


def test_a_pause_and_an_extension_move_the_deadline():
    suspended = deadlines.days_suspended(D(2026, 2, 5), D(2026, 2, 12))
    assert suspended == 7
    assert deadlines.decision_due_on(D(2026, 1, 20), term_days=28, suspended_days=suspended,
                                     extended_days=14) == D(2026, 3, 10)


def test_information_given_the_same_day_suspends_nothing():
    assert deadlines.days_suspended(D(2026, 2, 5), D(2026, 2, 5)) == 0


@pytest.mark.parametrize(("days", "already", "message"), [
    (0, 0, "minstens één dag"), (29, 0, "ten hoogste de termijn"), ("abc", 0, "heel aantal"),
    (7, 7, "al eens verlengd"),
])
def test_an_extension_is_once_and_at_most_the_term(days, already, message):
    with pytest.raises(Refused, match=message):
        deadlines.check_extension(days, term_days=28, already_extended=already)


@pytest.mark.parametrize(("due", "overdue", "due_soon"), [
    (D(2026, 3, 9), True, False), (D(2026, 3, 10), False, True), (D(2026, 3, 17), False, True),
    (D(2026, 3, 18), False, False), (None, False, False),
])
def test_urgency_in_the_queue(due, overdue, due_soon):
    urgency = deadlines.urgency(due, D(2026, 3, 10))
    assert (urgency.overdue, urgency.due_soon) == (overdue, due_soon)


class Clock:
    """Moves the services' today (timezone.now) to the given day, at noon in Amsterdam."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_services_keep_the_deadline_through_a_pause_and_an_extension(programme, users_by_role, monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(D(2026, 1, 20))
    application = application_in("in_review", users_by_role)
    assert application.decision_due_on == D(2026, 2, 17)
    assessor = users_by_role["assessor"]

    clock.set(D(2026, 2, 5))
    application = services.request_info(application, by=assessor, message="Stuur het eigendomsbewijs.")
    assert application.decision_due_on is None
    assert Application.objects.overdue(D(2026, 3, 1)).count() == 0  # a paused term is not overdue

    clock.set(D(2026, 2, 12))
    application = services.provide_info(application, by=services.Actor.APPLICANT, note="Bijgevoegd")
    assert (application.suspended_days, application.decision_due_on) == (7, D(2026, 2, 24))

    application = services.extend_term(application, by=assessor, days=14, reason="Advies constructeur nodig")
    assert application.decision_due_on == D(2026, 3, 10)
    with pytest.raises(Refused, match="al eens verlengd"):
        services.extend_term(application, by=assessor, days=1, reason="Nog eens")
    assert Application.objects.overdue(D(2026, 3, 11)).get() == application


def test_a_decided_application_cannot_be_extended(programme, users_by_role):
    application = application_in("approved", users_by_role)
    with pytest.raises(Conflict):
        services.extend_term(application, by=users_by_role["assessor"], days=5, reason="Te laat")


@pytest.mark.parametrize(("day", "months", "later"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2028, 1, 31), 1, D(2028, 2, 29)), (D(2026, 3, 15), 12, D(2027, 3, 15)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
])
def test_a_grant_stands_for_whole_months_ending_on_the_months_last_day_when_shorter(day, months, later):
    assert deadlines.add_months(day, months) == later
