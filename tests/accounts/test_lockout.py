"""Login protection: 30 wrong passwords, the lock per account and per address, its cool-off, a forged address."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Te veel mislukte pogingen. Probeer het over"
WRONG = "Voer een juiste gebruikersnaam en wachtwoord in."


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def finance(roles):
    return UserFactory(username="financien", role="finance_officer")


def log_in(client, username, password="demo", **headers):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **headers)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_after_five_and_the_cool_off_opens_it_again(client, finance, clock):
    answers = [log_in(client, "financien", f"raden{attempt}") for attempt in range(30)]

    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert all(WRONG in answer.text for answer in answers[:4])
    assert [answer.status_code for answer in answers[4:]] == [429] * 26
    assert "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw." in answers[4].text

    clock.advance(minutes=10)
    refused = log_in(client, "financien", "demo")
    assert refused.status_code == 429
    assert "Probeer het over 5 minuten opnieuw." in refused.text
    assert not is_logged_in(client)

    clock.advance(minutes=5, seconds=1)
    allowed = log_in(client, "financien", "demo")
    assert allowed.status_code == 302
    assert is_logged_in(client)


def test_the_lock_holds_for_the_account_from_another_address_and_in_other_capitals(client, finance):
    for _ in range(5):
        log_in(client, "financien", "fout", REMOTE_ADDR="198.51.100.1")

    answer = log_in(client, " FinanCIEN ", "demo", REMOTE_ADDR="203.0.113.9")

    assert answer.status_code == 429
    assert LOCKED in answer.text


def test_an_unknown_username_is_locked_the_same_way_without_telling_it_does_not_exist(client, finance):
    unknown = [log_in(client, "bestaat-niet", "fout") for _ in range(6)]
    known = [log_in(client, "financien", "fout", REMOTE_ADDR="198.51.100.2") for _ in range(6)]

    assert [a.status_code for a in unknown] == [a.status_code for a in known] == [200] * 4 + [429] * 2
    assert unknown[-1].context["form"].non_field_errors() == known[-1].context["form"].non_field_errors()
    assert unknown[3].context["form"].non_field_errors() == known[3].context["form"].non_field_errors()


def test_a_successful_login_forgives_the_accounts_failures(client, finance):
    for _ in range(4):
        log_in(client, "financien", "fout")
    assert log_in(client, "financien").status_code == 302
    client.post(reverse("accounts:logout"))

    again = [log_in(client, "financien", "fout").status_code for _ in range(4)]

    assert again == [200] * 4


def test_twenty_failures_from_one_address_lock_the_address_across_accounts(client, finance, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 100  # only the address's limit counts here
    answers = [log_in(client, f"gok{attempt}", "fout").status_code for attempt in range(20)]

    assert answers == [200] * 19 + [429]
    refused = log_in(client, "financien", "demo")
    assert refused.status_code == 429
    assert LOCKED in refused.text
    assert log_in(client, "financien", "demo", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_addresses_of_one_ipv6_network_count_as_one(client, finance, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 100
    answers = [log_in(client, f"gok{attempt}", "fout", REMOTE_ADDR=f"2001:db8:1:2::{attempt + 1:x}").status_code
               for attempt in range(20)]

    assert answers == [200] * 19 + [429]
    assert log_in(client, "financien", REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 429  # the same /64
    assert log_in(client, "financien", REMOTE_ADDR="2001:db8:1:3::1").status_code == 302  # another network


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_a_forged_forwarded_for_does_not_escape_the_address_lock(client, finance, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.LOGIN_FAILURES_PER_ACCOUNT = 100
    appended = {0: "", 1: ", 198.51.100.7", 2: ", 198.51.100.7, 10.0.0.1"}[proxies]

    answers = [log_in(client, f"gok{attempt}", "fout", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}{appended}")
               .status_code for attempt in range(21)]

    assert answers == [200] * 19 + [429] * 2
    assert log_in(client, "financien", HTTP_X_FORWARDED_FOR=f"192.0.2.1{appended}").status_code == 429


def test_a_lock_is_recorded_on_the_account_with_the_address_and_in_the_log(client, finance, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.lockout"):
        for _ in range(5):
            log_in(client, "financien", "fout", REMOTE_ADDR="198.51.100.4")

    event = AuditEvent.objects.for_object(finance).get(action="login_locked")
    assert event.actor is None
    assert event.data["address"] == "198.51.100.4"
    assert event.data["locked"] == "account"
    assert "Login lockout of the account" in caplog.text
    assert "198.51.100.4" in caplog.text


def test_what_is_tried_during_the_lock_does_not_lengthen_it(client, finance, clock):
    for _ in range(5):
        log_in(client, "financien", "fout")
    clock.advance(minutes=14)
    log_in(client, "financien", "fout")
    clock.advance(minutes=1, seconds=1)

    assert log_in(client, "financien").status_code == 302


def test_failures_older_than_the_window_no_longer_count(client, finance, clock):
    for _ in range(4):
        log_in(client, "financien", "fout")
    clock.advance(minutes=16)

    assert [log_in(client, "financien", "fout").status_code for _ in range(4)] == [200] * 4


def test_the_login_page_keeps_its_fields_and_button(client):
    page = client.get(reverse("accounts:login"))

    assert 'name="username"' in page.text
    assert 'name="password"' in page.text
    assert "Inloggen" in page.text
