"""Staff sessions: the idle timeout, the end at browser close, and log out everywhere (oneself or the coordinator)."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import AccountSecurity, AuditEvent
from accounts.sessions import ACTIVE_AT

pytestmark = pytest.mark.django_db

IDLE = "Je bent uitgelogd omdat je 30 minuten niets hebt gedaan."
ENDED = "Je bent overal uitgelogd. Log opnieuw in."


def logged_in(user) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "demo"})
    assert response.status_code == 302
    return client


def start(client):
    return client.get(reverse("accounts:start"))


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Idle timeout ---------------------------------------------------------------------------------------------


def test_after_thirty_idle_minutes_the_next_request_goes_to_the_login_page_with_the_reason(handyman, clock):
    client = logged_in(handyman)
    clock.advance(minutes=29)
    assert start(client).status_code == 200

    clock.advance(minutes=30, seconds=1)
    response = start(client)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:start')}"
    assert not is_logged_in(client)
    login_page = client.get(response.url)
    assert IDLE in login_page.text


def test_working_keeps_the_session_going_past_the_idle_time(handyman, clock):
    client = logged_in(handyman)

    for _ in range(8):  # two hours, a request every quarter
        clock.advance(minutes=15)
        assert start(client).status_code == 200

    assert is_logged_in(client)


def test_a_session_ends_at_its_longest_even_while_working(handyman, clock):
    client = logged_in(handyman)

    for _ in range(39):  # nine hours and three quarters, a request every quarter
        clock.advance(minutes=15)
        assert start(client).status_code == 200
    clock.advance(minutes=16)  # ten hours and a minute after logging in
    response = start(client)

    assert response.status_code == 302
    assert not is_logged_in(client)
    assert "Je bent uitgelogd omdat je sessie zo lang duurde als mag. Log opnieuw in." in client.get(response.url).text


def test_the_idle_time_is_a_setting(handyman, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = logged_in(handyman)
    clock.advance(minutes=6)

    response = client.get(reverse("accounts:start"), follow=True)

    assert "Je bent uitgelogd omdat je 5 minuten niets hebt gedaan." in response.text


def test_the_last_activity_is_written_at_most_once_a_minute(handyman, clock):
    client = logged_in(handyman)
    logged_in_at = client.session[ACTIVE_AT]

    clock.advance(seconds=40)
    start(client)
    assert client.session[ACTIVE_AT] == logged_in_at

    clock.advance(seconds=30)
    start(client)
    assert client.session[ACTIVE_AT] == pytest.approx(logged_in_at + 70)


def test_an_idle_htmx_request_sends_the_whole_page_to_the_login(handyman, clock):
    client = logged_in(handyman)
    clock.advance(minutes=31)

    response = client.get(reverse("accounts:start"), headers={"HX-Request": "true",
                                                              "HX-Current-URL": "http://testserver/households/?q=a"})

    assert response["HX-Redirect"] == f"{reverse('accounts:login')}?next=/households/%3Fq%3Da"
    assert not is_logged_in(client)


def test_an_idle_api_request_is_refused_as_not_logged_in(handyman, clock):
    client = logged_in(handyman)
    clock.advance(minutes=31)

    response = client.get("/api/v1/households/")

    assert response.status_code in (401, 403)
    assert not is_logged_in(client)


def test_the_session_cookie_ends_with_the_browser():
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_session_cookie_has_no_expiry_date(handyman):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "handyman", "password": "demo"})

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_checking_the_session_costs_no_query_of_its_own(handyman):
    client = logged_in(handyman)
    client.post(reverse("accounts:end_my_sessions"))
    client = logged_in(handyman)  # now with an AccountSecurity row

    with CaptureQueriesContext(connection) as queries:
        assert start(client).status_code == 200

    alone = [q["sql"] for q in queries if 'FROM "accounts_accountsecurity"' in q["sql"]]
    assert alone == []


# --- Log out everywhere -----------------------------------------------------------------------------------------


def test_logging_out_everywhere_ends_this_session_and_every_other_one(handyman):
    here, elsewhere = logged_in(handyman), logged_in(handyman)
    token = Token.objects.create(user=handyman)

    response = here.post(reverse("accounts:end_my_sessions"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Je bent overal uitgelogd: op dit apparaat en op alle andere." in response.text
    assert not is_logged_in(here)
    other = elsewhere.get(reverse("accounts:start"), follow=True)
    assert ENDED in other.text
    assert not is_logged_in(elsewhere)
    assert not Token.objects.filter(pk=token.pk).exists()
    event = AuditEvent.objects.for_object(handyman).get(action="sessions_ended")
    assert event.actor == handyman


def test_after_logging_out_everywhere_a_new_login_works(handyman):
    logged_in(handyman).post(reverse("accounts:end_my_sessions"))

    again = logged_in(handyman)

    assert start(again).status_code == 200


def test_the_coordinator_logs_a_staff_member_out_everywhere_with_a_reason(handyman, coordinator):
    theirs = logged_in(handyman)
    office = logged_in(coordinator)

    response = office.post(reverse("accounts:end_sessions", args=[handyman.pk]), {"reason": "Telefoon kwijt"})

    assert response.status_code == 302
    assert start(theirs).status_code == 302
    assert start(office).status_code == 200  # the coordinator's own sessions go on
    assert AccountSecurity.objects.get(user=handyman).sessions_ended_at is not None
    event = AuditEvent.objects.for_object(handyman).get(action="sessions_ended")
    assert (event.actor, event.note) == (coordinator, "Telefoon kwijt")


def test_only_the_coordinator_ends_someone_elses_sessions(handyman, assessor):
    theirs = logged_in(handyman)

    response = logged_in(assessor).post(reverse("accounts:end_sessions", args=[handyman.pk]))

    assert response.status_code == 403
    assert start(theirs).status_code == 200
    assert not AuditEvent.objects.filter(action="sessions_ended").exists()


def test_a_reason_too_long_ends_nothing_and_says_why(handyman, coordinator):
    theirs = logged_in(handyman)

    response = logged_in(coordinator).post(reverse("accounts:end_sessions", args=[handyman.pk]),
                                           {"reason": "x" * 501}, follow=True)

    assert "Houd de reden korter dan 500 tekens." in response.text
    assert start(theirs).status_code == 200


def test_logging_out_everywhere_is_a_post(handyman):
    client = logged_in(handyman)

    assert client.get(reverse("accounts:end_my_sessions")).status_code == 405
    assert start(client).status_code == 200
