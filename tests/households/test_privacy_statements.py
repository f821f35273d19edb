"""The register of privacy statements (issue 14, item 7): versions with their text and dates, consent that refers to
one, the public form that shows the current one, and a version's text that never changes once stored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Refused
from accounts.models import AuditEvent
from households.forms import ConsentForm
from households.models import Consent, PrivacyStatement
from households.privacy import current_statement, record_statement, statement_of
from subsidy.models import Application
from tests.factories import HouseholdFactory, PrivacyStatementFactory
from tests.subsidy.test_public_form import APPLY, form

TODAY = datetime.date.today()
REGISTER = reverse("households:privacy_statements")
NEW = reverse("households:privacy_statement_new")


def new_version(**changes) -> dict:
    return {"version": "2025-1", "title": "Privacyverklaring 2025", "valid_from": TODAY.isoformat(),
            "text": "De gemeente is verantwoordelijk.\n\nU mag uw gegevens inzien.", **changes}


def test_the_reference_data_holds_hilversums_statement_in_dutch(programme):
    statement = current_statement(programme)

    assert (statement.version, statement.valid_from) == ("2022-1", datetime.date(2022, 1, 1))
    for subject in ("verwerkingsverantwoordelijke", "toestemming", "publieke taak", "energieklusser",
                    "opbouwwerker", "postcodegebied", "7 jaar", "inzage", "intrekken", "Autoriteit Persoonsgegevens"):
        assert subject in statement.text


def test_the_current_statement_is_the_newest_that_applies_on_the_day(programme):
    newer = PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1))
    PrivacyStatementFactory(programme=programme, version="2099-1", valid_from=datetime.date(2099, 1, 1))

    assert current_statement(programme) == newer
    assert current_statement(programme, on=datetime.date(2023, 6, 1)).version == "2022-1"


def test_today_is_the_local_day_of_the_applications_clock(programme, monkeypatch):
    later = PrivacyStatementFactory(programme=programme, version="2099-1", valid_from=datetime.date(2099, 1, 1))
    # 31 December 2098, 23:30 UTC: already 1 January 2099 in Amsterdam.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2098, 12, 31, 23, 30, tzinfo=datetime.UTC))

    assert current_statement(programme) == later


def test_a_coordinator_records_a_new_version_and_the_trail_says_so(programme, coordinator):
    statement = record_statement(programme, by=coordinator, version="2025-1", title="Privacyverklaring 2025",
                                 text="Tekst.\r\n\r\nMeer tekst.", valid_from=TODAY)

    assert (statement.created_by, statement.text) == (coordinator, "Tekst.\n\nMeer tekst.")
    assert current_statement(programme) == statement
    event = AuditEvent.objects.for_object(statement).get()
    assert (event.action, event.actor, event.data["version"]) == ("privacy_statement.recorded", coordinator, "2025-1")


def test_a_stored_version_never_changes_a_new_text_needs_a_new_version(programme, coordinator):
    before = statement_of(programme, "2022-1").text

    with pytest.raises(Refused) as refused:
        record_statement(programme, by=coordinator, version="2022-1", title="Andere titel", text="Andere tekst.",
                         valid_from=TODAY)

    assert refused.value.field == "version"
    assert "nieuwe versie" in str(refused.value)
    assert statement_of(programme, "2022-1").text == before
    assert PrivacyStatement.objects.filter(programme=programme).count() == 1


def test_only_the_coordinator_records_statements(programme, assessor):
    with pytest.raises(PermissionDenied):
        record_statement(programme, by=assessor, version="2025-1", title="T", text="T", valid_from=TODAY)

    assert not PrivacyStatement.objects.filter(version="2025-1").exists()


def test_the_register_page_lists_the_versions_and_marks_the_current_one(client, programme, coordinator,
                                                                        django_assert_max_num_queries):
    for number in range(1, 6):
        PrivacyStatementFactory(programme=programme, version=f"2023-{number}", valid_from=datetime.date(2023, 1, 1),
                                created_by=coordinator)
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        page = client.get(REGISTER).content.decode()

    assert "2022-1" in page and "2023-5" in page
    assert page.count("geldt vandaag") == 1


def test_the_new_version_form_stores_it_and_goes_back_to_the_register(client, programme, coordinator):
    client.force_login(coordinator)

    response = client.post(NEW, new_version())

    assert response.status_code == 302
    assert statement_of(programme, "2025-1").title == "Privacyverklaring 2025"


def test_the_new_version_form_says_per_field_in_dutch_what_is_missing_or_taken(client, programme, coordinator):
    client.force_login(coordinator)

    empty = client.post(NEW, {}).context["form"]
    taken = client.post(NEW, new_version(version="2022-1")).context["form"]

    assert empty.errors["version"] == ["Vul de versie in, bijvoorbeeld 2024-1."]
    assert empty.errors["text"] == ["Vul de tekst van de verklaring in zoals de bewoner die leest."]
    assert set(empty.errors) == {"version", "title", "valid_from", "text"}
    assert "staat al in het register" in taken.errors["version"][0]
    assert PrivacyStatement.objects.count() == 1


@pytest.mark.parametrize("version", ["2024/1", "2024 1", "versie:3", "2024-1?"])
def test_a_version_is_letters_digits_dots_hyphens_and_underscores(client, programme, coordinator, version):
    """A version is part of its page's address: another character made the register, the public form and the
    household page fail (a 500) instead of linking to it."""
    client.force_login(coordinator)

    form = client.post(NEW, new_version(version=version)).context["form"]
    with pytest.raises(Refused) as refused:
        record_statement(programme, by=coordinator, version=version, title="T", text="T", valid_from=TODAY)
    with pytest.raises(ValidationError) as invalid:
        PrivacyStatement(programme=programme, version=version, title="T", text="T", valid_from=TODAY).full_clean()

    message = "Een versie bestaat uit letters, cijfers, punten, streepjes en liggende streepjes, bijvoorbeeld 2024-1."
    assert form.errors["version"] == [message]
    assert (refused.value.field, refused.value.message) == ("version", message)
    assert invalid.value.message_dict["version"] == [message]
    assert PrivacyStatement.objects.count() == 1


def test_a_version_with_another_character_given_to_a_consent_or_application_is_a_field_error(programme):
    with pytest.raises(Refused) as refused:
        statement_of(programme, "2022/1", field="privacy_statement_version")

    assert refused.value.field == "privacy_statement_version"
    assert "letters, cijfers, punten" in refused.value.message


def test_an_import_rows_version_with_another_character_is_an_error_in_its_column():
    form = ConsentForm(data={"statement_version": "2022/1", "given_on": "2024-03-01", "processing": True})

    assert "letters, cijfers, punten" in form.errors["statement_version"][0]


def test_a_versions_text_is_public_and_the_current_one_has_its_own_address(client, programme):
    PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1),
                            text="Nieuwe tekst.\n\n<script>alert(1)</script>")

    current = client.get(reverse("households:privacy_statement_current", args=["hilversum-2022"]))
    older = client.get(reverse("households:privacy_statement", args=["hilversum-2022", "2022-1"]))

    assert current.status_code == older.status_code == 200
    assert "<p>Nieuwe tekst.</p>" in current.content.decode()
    assert "<script>alert(1)</script>" not in current.content.decode()
    assert "Autoriteit Persoonsgegevens" in older.content.decode()
    assert "niet de versie die vandaag geldt" in older.content.decode()


def test_the_public_form_shows_the_current_statement_and_records_consent_to_it(client, programme):
    statement = PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1),
                                        title="Privacyverklaring 2024")

    page = client.get(APPLY).content.decode()
    client.post(APPLY, form(privacy_statement_version="2024-1"))

    assert "Privacyverklaring 2024" in page and "versie 2024-1" in page
    assert reverse("households:privacy_statement", args=["hilversum-2022", "2024-1"]) in page
    assert 'name="privacy_statement_version" value="2024-1"' in page
    application = Application.objects.get()
    assert application.privacy_statement == statement
    assert Consent.objects.get(household=application.household).statement == statement


def test_a_statement_that_changed_while_filling_in_the_form_asks_for_consent_again(client, programme):
    PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1))

    response = client.post(APPLY, form(privacy_statement_version="2022-1"))

    assert "versie 2024-1" in response.context["form"].errors["privacy_consent"][0]
    assert not Application.objects.exists()


def test_the_staff_consent_page_offers_the_register_and_records_the_chosen_version(client, programme, coordinator):
    household = HouseholdFactory(programme=programme)
    PrivacyStatementFactory(programme=programme, version="2024-1", valid_from=datetime.date(2024, 1, 1))
    client.force_login(coordinator)
    url = reverse("households:consent", args=[household.pk])

    page = client.get(url)
    client.post(url, {"statement_version": "2022-1", "given_on": TODAY.isoformat(), "decision": "consents"})
    unknown = client.post(url, {"statement_version": "1999-1", "given_on": TODAY.isoformat(),
                                "decision": "consents"})

    assert page.context["form"]["statement_version"].value() == "2024-1"  # the current one, chosen
    assert household.consents.get().statement.version == "2022-1"
    assert unknown.context["form"].errors["statement_version"] == [
        "Kies een privacyverklaring uit het register van het programma."]


def test_an_import_row_with_a_version_the_register_lacks_is_refused_on_its_column(programme, coordinator, handyman):
    from tests.households.test_import_dry_run import JANSEN, dry_run

    job = dry_run(programme, coordinator, JANSEN.replace(";2022-1;", ";1999-1;"))

    assert [(error["column"], error["message"][:40]) for error in job.errors] == [
        ("consent_statement_version", "Het programma heeft geen privacyverklari")]
