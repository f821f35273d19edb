"""The load and abuse run of issue 14 (`make load`): the parts that run without locust, so they keep working.

The run itself is not a test (it needs gunicorn, PostgreSQL and a quiet machine); these check that its users can
log in with the codes the locust process computes, and that its table reads locust's figures right. The locustfile
is never imported here: locust patches with gevent on import.
"""

import csv
import datetime

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.load import prepare, summary
from bench.load.totp import totp
from fieldwork.models import Visit
from households.models import Household

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's SHA-1 test key, "12345678901234567890"


def test_the_code_is_rfc_6238s_and_django_otps():
    assert totp(KEY, at=59, digits=8) == "94287082"  # RFC 6238, appendix B
    assert totp(KEY, at=1111111109, digits=8) == "07081804"
    assert totp(KEY) == f"{TOTP(bytes.fromhex(KEY)).token():06d}"


def test_the_load_users_log_in_with_their_password_and_the_code_of_their_device(programme, coordinator,
                                                                                  monkeypatch):
    monkeypatch.setattr(prepare, "HOUSEHOLDS_PER_HANDYMAN", 1)

    users = prepare.make_load_users()

    staff = users["staff"]
    assert {role: sum(p["role"] == role for p in staff) for role, _count, _prefix in prepare.ROLES} == {
        "handyman": 20, "community_worker": 10, "assessor": 10, "finance_officer": 5, "coordinator": 5}
    assessor = next(p for p in staff if p["role"] == "assessor")
    assert authenticate(username=assessor["username"], password=assessor["password"]) is not None
    device = TOTPDevice.objects.get(user_id=assessor["pk"], confirmed=True)
    assert device.verify_token(totp(assessor["key"]))
    needs_code = {p["username"] for p in staff if p["key"]}
    assert needs_code == {p["username"] for p in staff if p["role"] in settings.SECOND_FACTOR_ROLES}
    handyman = next(p for p in staff if p["role"] == "handyman")
    household = Household.objects.get(pk__in=handyman["households"])
    assert household.handyman_id == handyman["pk"] and household.community_worker_id is not None
    assert Visit.objects.get(household=household).planned_at >= timezone.now() - datetime.timedelta(days=1)
    assert authenticate(username=users["guessed"], password=assessor["password"]) is not None


def test_running_it_again_gives_new_secrets_and_no_more_households(programme, coordinator, monkeypatch):
    monkeypatch.setattr(prepare, "HOUSEHOLDS_PER_HANDYMAN", 1)
    first = prepare.make_load_users()
    households = Household.objects.count()

    again = prepare.make_load_users()

    assert Household.objects.count() == households
    assert again["staff"][0]["password"] != first["staff"][0]["password"]
    assert TOTPDevice.objects.filter(name="load").count() == sum(1 for p in again["staff"] if p["key"])


FIELDS = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
          "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", "50%", "66%",
          "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]


def write_stats(prefix, rows):
    with open(f"{prefix}_stats.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, FIELDS, restval="")
        writer.writeheader()
        for name, count, failures, rate, p50, p95 in rows:
            writer.writerow({"Type": "GET", "Name": name, "Request Count": count, "Failure Count": failures,
                             "Requests/s": rate, "50%": p50, "95%": p95})


@pytest.mark.parametrize(("failures", "status"), [(0, 0), (2, 1)])
def test_the_table_shows_each_page_the_refusals_apart_and_fails_on_failures(tmp_path, capsys, failures, status):
    prefix = str(tmp_path / "run")
    write_stats(prefix, [("household page", 300, failures, 5.0, 41, 120), ("login", 0, 0, 0, "N/A", "N/A"),
                         ("API: throttled (429)", 500, 0, 8.3, 3, 9), ("Aggregated", 800, failures, 13.3, 12, 95)])

    assert summary.main([prefix]) == status

    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split() == ["household", "page", "300", "5.0", "41", "120", str(failures)]
    assert not any(line.startswith("login ") for line in lines)  # no requests: no row
    refusals = lines.index("expected refusals (not failures):")
    assert lines[refusals + 1].startswith("API: throttled (429)")
    assert lines[-1].split() == ["total", "800", "13.3", "12", "95", str(failures)]
