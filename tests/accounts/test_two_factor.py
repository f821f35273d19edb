"""Two factors for staff (issue 14, item 1): who must give a code after the password, and what a wrong, reused or
backup code does."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.two_factor import needs_second_factor
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_required")]


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` periods of 30 seconds later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user, *, backup_codes=("abcd2345", "efgh6723")) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in backup_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def signed_in_with_code(client, user) -> TOTPDevice:
    """`user` signed in with their password and the code of their (new) app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrolled(user)
    client.force_login(user)
    assert client.post("/login/code/", {"token": code_of(device)}).status_code == 302
    return device


def sign_in(client, username):
    response = client.post("/login/", {"username": username, "password": "demo"})
    assert response.status_code == 302, "the password is right"
    return response


# --- Who needs it ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "needed"), [
    ("assessor", True), ("finance_officer", True), ("coordinator", True),
    ("handyman", False), ("community_worker", False),
])
def test_a_second_factor_is_required_for_the_roles_that_decide_and_pay(request, role, needed):
    user = request.getfixturevalue(role)

    assert needs_second_factor(user) is needed


def test_anyone_who_may_use_the_admin_needs_a_second_factor(roles):
    admin_only = UserFactory(username="beheer", is_staff=True)

    assert needs_second_factor(admin_only) is True


def test_field_staff_need_one_when_the_setting_names_their_roles(settings, handyman, community_worker):
    settings.SECOND_FACTOR_ROLES = ["assessor", "finance_officer", "coordinator", "handyman", "community_worker"]

    assert needs_second_factor(handyman) is True
    assert needs_second_factor(community_worker) is True


def test_field_staff_who_set_one_up_must_use_it(handyman):
    enrolled(handyman)

    assert needs_second_factor(handyman) is True


def test_demo_users_go_without_only_while_debug_excuses_them(settings, coordinator, assessor):
    settings.DEMO_USERS_WITHOUT_SECOND_FACTOR = True
    assert needs_second_factor(coordinator) is False

    enrolled(assessor)
    assert needs_second_factor(assessor) is True, "a demo user who set one up must use it"

    settings.DEMO_USERS_WITHOUT_SECOND_FACTOR = False
    assert needs_second_factor(coordinator) is True


def test_a_non_demo_user_is_not_excused_by_debug(settings, roles):
    settings.DEMO_USERS_WITHOUT_SECOND_FACTOR = True
    user = UserFactory(username="a.devries", role=Role.ASSESSOR)

    assert needs_second_factor(user) is True


def test_nobody_is_asked_when_the_tests_switch_it_off(settings, coordinator):
    settings.SECOND_FACTOR_REQUIRED = False

    assert needs_second_factor(coordinator) is False


# --- Where the middleware sends them ------------------------------------------------------------------------------


def test_after_the_password_an_assessor_without_an_app_is_sent_to_set_one_up_keeping_where_they_went(
        client, assessor):
    sign_in(client, "assessor")

    response = client.get("/households/?q=Larenseweg")

    assert response.status_code == 302
    assert response["Location"] == "/account/tweede-factor/?next=%2Fhouseholds%2F%3Fq%3DLarenseweg"


def test_after_the_password_an_enrolled_coordinator_must_give_a_code_first(client, coordinator):
    enrolled(coordinator)
    response = client.post("/login/?next=/budget/", {"username": "coordinator", "password": "demo",
                                                     "next": "/budget/"})
    assert response["Location"] == "/budget/"

    response = client.get("/budget/")

    assert response["Location"] == "/login/code/?next=%2Fbudget%2F"


def test_the_code_page_shows_no_navigation_that_would_lead_back_to_it(client, coordinator):
    enrolled(coordinator)
    client.force_login(coordinator)

    page = client.get("/login/code/").content.decode()

    assert 'aria-label="Hoofdmenu"' not in page
    assert '<a href="/account/"' not in page
    assert "Uitloggen" in page


def test_a_handyman_without_an_app_is_not_stopped(client, handyman):
    client.force_login(handyman)

    assert client.get("/").status_code == 200


def test_an_unverified_coordinator_may_still_open_the_public_pages_log_out_and_the_health_check(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/aanvragen/").status_code == 200
    assert client.get("/health/").status_code == 200
    assert client.get("/eligibility/self-check/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/households/").status_code == 302  # logged out now: to the login page
    assert client.get("/households/")["Location"].startswith("/login/")


def test_the_api_answers_an_unverified_session_403_with_a_dutch_sentence(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/api/v1/households/")

    assert response.status_code == 403
    assert "tweede factor" in response.json()["detail"]


def test_a_token_client_of_the_api_is_not_a_session_and_is_not_stopped(api, coordinator, programme):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=coordinator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert api.get("/api/v1/households/").status_code == 200


def test_the_admin_is_refused_without_a_second_factor(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    enrolled(coordinator)
    client.force_login(coordinator)

    response = client.get("/admin/budget/programme/")

    assert response.status_code == 302
    assert response["Location"] == "/login/code/?next=%2Fadmin%2Fbudget%2Fprogramme%2F"


def test_the_admins_own_login_page_leads_to_ours(client, coordinator):
    response = client.get("/admin/login/?next=/admin/budget/")

    assert response["Location"] == "/login/?next=%2Fadmin%2Fbudget%2F"
    response = client.post("/admin/login/", {"username": "coordinator", "password": "demo"})
    assert response["Location"] == "/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session, "no password-only sign-in through the admin"


def test_the_admin_opens_after_the_code(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    device = enrolled(coordinator)
    client.force_login(coordinator)

    response = client.post("/login/code/", {"token": code_of(device), "next": "/admin/"})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- Enrolment -----------------------------------------------------------------------------------------------------


def secret_on(page) -> bytes:
    import base64

    secret = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', page.content.decode()).group(1)
    return base64.b32decode(secret.replace(" ", ""))


def test_enrolment_shows_a_qr_code_and_the_secret_and_the_first_code_confirms_it(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/account/tweede-factor/?next=/budget/")

    text = page.content.decode()
    assert '<svg viewBox=' in text and 'class="qr-code"' in text
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert secret_on(page) == device.bin_key
    assert client.get("/account/tweede-factor/").context["secret"] == page.context["secret"], "same app on reload"

    response = client.post("/account/tweede-factor/", {"token": code_of(device), "next": "/budget/"})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert "Deze worden alleen nu getoond." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200, "this session is verified"
    assert list(AuditEvent.objects.filter(object_id=str(coordinator.pk)).values_list("action", flat=True)) == [
        "second_factor_enrolled", "second_factor_enrolment_started"]


def test_a_wrong_first_code_does_not_confirm_the_app(client, coordinator):
    client.force_login(coordinator)
    client.get("/account/tweede-factor/")
    device = TOTPDevice.objects.get(user=coordinator)

    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post("/account/tweede-factor/", {"token": wrong})

    assert "De code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/budget/")["Location"].startswith("/account/tweede-factor/")


def test_an_enrolled_person_who_has_not_given_a_code_cannot_set_up_a_second_app(client, coordinator):
    enrolled(coordinator)
    client.force_login(coordinator)

    response = client.get("/account/tweede-factor/")

    assert response["Location"].startswith("/login/code/")
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


# --- The code after the password ---------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_in_dutch(client, assessor):
    device = enrolled(assessor)
    client.force_login(assessor)

    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post("/login/code/", {"token": wrong})

    assert "De code klopt niet" in response.content.decode()
    assert client.get("/")["Location"].startswith("/login/code/")


def test_a_code_once_accepted_is_refused_the_second_time(client, assessor):
    device = enrolled(assessor)
    code = code_of(device)
    client.force_login(assessor)
    assert client.post("/login/code/", {"token": code})["Location"] == "/"

    client.logout()
    client.force_login(assessor)
    response = client.post("/login/code/", {"token": code})

    assert response.status_code == 200
    assert "De code klopt niet of is al gebruikt" in response.content.decode()


def test_wrong_codes_in_a_row_make_the_person_wait_and_say_how_long(client, assessor):
    device = enrolled(assessor)
    client.force_login(assessor)
    client.post("/login/code/", {"token": "000000" if code_of(device) != "000000" else "111111"})

    response = client.post("/login/code/", {"token": code_of(device)})

    assert re.search(r"Te veel foute codes\. Probeer het over \d+ seconde", response.content.decode())
    assert client.get("/")["Location"].startswith("/login/code/"), "not even the right code while waiting"


def test_a_backup_code_works_once(client, finance_officer):
    enrolled(finance_officer, backup_codes=["k7mq2xz4"])
    client.force_login(finance_officer)

    response = client.post("/login/code/", {"token": "K7MQ 2XZ4"})

    assert response["Location"] == "/"
    assert not StaticToken.objects.filter(token="k7mq2xz4").exists()
    client.logout()
    client.force_login(finance_officer)
    assert "De code klopt niet" in client.post("/login/code/", {"token": "k7mq2xz4"}).content.decode()


def test_new_backup_codes_replace_the_old_ones_and_are_shown_once(client, coordinator):
    device = enrolled(coordinator, backup_codes=["oldcode2"])
    client.force_login(coordinator)
    client.post("/login/code/", {"token": code_of(device)})

    response = client.post("/account/reservecodes/")

    codes = response.context["codes"]
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(codes)
    assert "Uw eerdere reservecodes werken niet meer." in response.content.decode()
    assert not any(code in client.get("/account/").content.decode() for code in codes), "shown once only"
    assert AuditEvent.objects.filter(action="backup_codes_regenerated", actor=coordinator).count() == 1


def test_my_account_page_shows_my_roles_and_my_second_factor(client, coordinator):
    device = enrolled(coordinator, backup_codes=["aaaa2222", "bbbb3333", "cccc4444"])
    client.force_login(coordinator)
    client.post("/login/code/", {"token": code_of(device)})

    page = client.get("/account/").content.decode()

    assert "Coördinator" in page
    assert "Ingesteld" in page
    assert re.search(r"Reservecodes over</dt><dd>3</dd>", page)


# --- Reset by a coordinator --------------------------------------------------------------------------------------


def test_a_coordinator_resets_an_assessors_second_factor_with_a_reason_audited(client, coordinator, assessor):
    enrolled(assessor)
    signed_in_with_code(client, coordinator)

    response = client.post(f"/medewerkers/{assessor.pk}/tweede-factor-resetten/", {"reason": "Telefoon verloren"})

    assert response["Location"] == "/medewerkers/"
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticDevice.objects.filter(user=assessor).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert (event.object_id, event.actor, event.note) == (str(assessor.pk), coordinator, "Telefoon verloren")
    client.force_login(assessor)
    assert client.get("/")["Location"].startswith("/account/tweede-factor/"), "enrols again at the next login"


def test_a_reset_ends_the_persons_sessions_too(client, coordinator, assessor):
    from django.test import Client

    theirs = Client()
    signed_in_with_code(theirs, assessor)
    assert theirs.get("/").status_code == 200
    signed_in_with_code(client, coordinator)

    client.post(f"/medewerkers/{assessor.pk}/tweede-factor-resetten/", {"reason": "Telefoon gestolen"})

    assert theirs.get("/")["Location"].startswith("/login/"), "a stolen, signed-in phone does not outlive the reset"


def test_a_reset_needs_a_reason(client, coordinator, assessor):
    enrolled(assessor)
    signed_in_with_code(client, coordinator)

    response = client.post(f"/medewerkers/{assessor.pk}/tweede-factor-resetten/", {"reason": "  "})

    assert "Geef de reden van het resetten op." in response.content.decode()
    assert TOTPDevice.objects.filter(user=assessor).exists()


@pytest.mark.parametrize("role", ["assessor", "finance_officer", "handyman", "community_worker"])
def test_only_a_coordinator_may_reset_a_second_factor(client, request, role, coordinator):
    actor = request.getfixturevalue(role)
    enrolled(coordinator)
    signed_in_with_code(client, actor)

    response = client.post(f"/medewerkers/{coordinator.pk}/tweede-factor-resetten/", {"reason": "zomaar"})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()


def test_a_coordinator_cannot_reset_their_own(client, coordinator, roles):
    signed_in_with_code(client, coordinator)

    response = client.post(f"/medewerkers/{coordinator.pk}/tweede-factor-resetten/", {"reason": "nieuwe telefoon"})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator).exists()


# --- The staff page ----------------------------------------------------------------------------------------------


def test_the_staff_page_lists_roles_second_factor_and_last_login_in_few_queries(
        client, settings, users_by_role, django_assert_max_num_queries):
    settings.SECOND_FACTOR_REQUIRED = False
    coordinator = users_by_role["coordinator"]
    enrolled(users_by_role["assessor"])
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        page = client.get("/medewerkers/")
    for number in range(15):
        UserFactory(username=f"klusser{number}", role=Role.HANDYMAN)

    with django_assert_max_num_queries(12):
        more = client.get("/medewerkers/")

    assert page.status_code == 200
    rows = {person.username: person for person in more.context["people"]}
    assert len(rows) == 6 + 15
    assert rows["assessor"].has_second_factor and not rows["finance"].has_second_factor
    assert rows["assessor"].role_labels == ["Beoordelaar"]
    assert "Tweede factor resetten" in more.content.decode()


def test_the_coordinator_finds_the_staff_page_in_the_navigation(client, settings, coordinator, assessor):
    settings.SECOND_FACTOR_REQUIRED = False
    client.force_login(coordinator)
    assert "/medewerkers/" in [item["url"] for item in client.get("/").context["nav_items"]]

    client.force_login(assessor)
    assert "/medewerkers/" not in [item["url"] for item in client.get("/").context["nav_items"]]
    assert client.get("/medewerkers/").status_code == 403


def test_every_page_links_to_my_account(client, settings, handyman):
    settings.SECOND_FACTOR_REQUIRED = False
    client.force_login(handyman)

    assert '<a href="/account/"' in client.get("/").content.decode()
