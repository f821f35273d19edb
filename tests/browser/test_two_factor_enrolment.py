"""The coordinator sets up a second factor on a phone: scans (here: reads) the secret, confirms it with the app's
first code, sees the backup codes once, and at the next login must give a code after the password."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.test_household_journey import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for `secret` (as the page writes it), now or a period of 30 s later."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def give_password(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()


def test_the_coordinator_enrols_sees_the_backup_codes_once_and_then_signs_in_with_a_code(
        page, live_server, coordinator, second_factor_required):
    page.set_viewport_size(PHONE)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    give_password(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor instellen")
    expect(page.locator("svg.qr-code")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    secret = page.locator("#secret").inner_text()
    page.get_by_label("Code").fill("000000" if code_for(secret) != "000000" else "111111")
    page.get_by_role("button", name="Bevestigen en verder").click()
    expect(page.locator(".errorlist")).to_contain_text("De code klopt niet")

    time.sleep(1.1)  # django-otp lets a second try wait a second after a wrong code
    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Bevestigen en verder").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw reservecodes")
    expect(page.get_by_role("list", name="Reservecodes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    if page.get_by_role("button", name="Menu").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Uitloggen", exact=True).click()
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()

    give_password(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit uw app")
    page.get_by_label("Code").fill(code_for(secret, steps_ahead=1))  # the code of now was used at enrolment
    page.get_by_role("button", name="Bevestigen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("Reservecodes over")).to_be_visible()
    assert problems == []
