"""Referrals to a community worker (the handyman refers, the community worker handles) and defect reports to the
housing corporation (sent, acknowledged, resolved)."""

import datetime

import pytest
from django.urls import reverse

from accounts.errors import Refused
from accounts.roles import Role
from fieldwork import services
from fieldwork.models import DefectReport, Referral
from tests.factories import UserFactory, assessed_household


@pytest.fixture
def household(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker, contact_name="Fatima el Amrani")


@pytest.fixture
def rented(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker, dwelling__social_rent=True)


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def refer(household, handyman, worker, reason="Hulp bij de aanvraag voor vloerisolatie."):
    return services.refer(household, by=handyman, reason=reason, community_worker=worker)


# --- Referring -------------------------------------------------------------------------------------------------


def test_the_referral_form_offers_the_households_own_community_worker(client, handyman, household,
                                                                      community_worker):
    page = page_of(client, handyman, reverse("fieldwork:refer", args=[household.pk]))

    assert f'<option value="{community_worker.pk}" selected>' in page
    assert "Waarmee het huishouden hulp nodig heeft" in page


def test_the_handyman_refers_the_household_from_its_page(client, handyman, household, community_worker):
    page = page_of(client, handyman, reverse("households:detail", args=[household.pk]))
    assert reverse("fieldwork:refer", args=[household.pk]) in page

    response = client.post(reverse("fieldwork:refer", args=[household.pk]),
                           {"community_worker": community_worker.pk, "reason": "Geldzorgen; hulp bij de lening."})

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.household, referral.community_worker, referral.referred_by) == (household, community_worker,
                                                                                    handyman)
    page = client.get(response["Location"]).content.decode()
    assert "Het huishouden is doorverwezen naar" in page
    assert "Geldzorgen; hulp bij de lening." in page


def test_a_referral_without_a_reason_or_to_someone_who_is_no_community_worker_is_refused(
        client, handyman, household, assessor):
    client.force_login(handyman)

    response = client.post(reverse("fieldwork:refer", args=[household.pk]),
                           {"community_worker": assessor.pk, "reason": " "})

    form = response.context["form"]
    assert form.errors == {"community_worker": ["Kies een opbouwwerker."],
                           "reason": ["Zeg waarmee het huishouden hulp nodig heeft."]}
    assert not Referral.objects.exists()


def test_only_the_households_handyman_and_the_coordinator_refer(client, community_worker, handyman2, household):
    page = page_of(client, community_worker, reverse("households:detail", args=[household.pk]))
    assert reverse("fieldwork:refer", args=[household.pk]) not in page
    assert client.post(reverse("fieldwork:refer", args=[household.pk]), {"reason": "x"}).status_code == 403

    client.force_login(handyman2)
    assert client.post(reverse("fieldwork:refer", args=[household.pk]), {"reason": "x"}).status_code == 404
    assert not Referral.objects.exists()


# --- The community worker's inbox ------------------------------------------------------------------------------


def test_the_community_worker_sees_her_open_referrals_on_her_start_page(client, handyman, household,
                                                                        community_worker):
    refer(household, handyman, community_worker, reason="Hulp bij de aanvraag voor vloerisolatie.")

    page = page_of(client, community_worker, reverse("accounts:start"))

    assert "Doorverwijzingen aan u" in page and "1 open doorverwijzing." in page
    assert "Fatima el Amrani" in page and "Hulp bij de aanvraag voor vloerisolatie." in page
    assert page.index("Doorverwijzingen aan u") < page.index("Huishoudens die u helpt")


def test_she_marks_a_referral_handled_with_a_note(client, handyman, household, community_worker):
    referral = refer(household, handyman, community_worker)
    page = page_of(client, community_worker, reverse("fieldwork:referrals"))
    assert "Fatima el Amrani" in page and "Markeren als afgehandeld" in page

    response = client.post(reverse("fieldwork:handle_referral", args=[referral.pk]),
                           {f"referral-{referral.pk}-note": "Gebeld; afspraak op dinsdag."})

    assert response.status_code == 302 and response["Location"] == reverse("fieldwork:referrals")
    referral.refresh_from_db()
    assert referral.handled_at is not None and referral.handled_note == "Gebeld; afspraak op dinsdag."
    assert "Geen open doorverwijzingen." in client.get(response["Location"]).content.decode()
    handled = client.get(reverse("fieldwork:referrals"), {"status": "handled"}).content.decode()
    assert "Gebeld; afspraak op dinsdag." in handled


def test_a_referral_handled_twice_is_a_conflict_and_keeps_the_first_note(client, handyman, household,
                                                                        community_worker):
    referral = refer(household, handyman, community_worker)
    services.handle_referral(referral, by=community_worker, note="Eerste")
    client.force_login(community_worker)

    response = client.post(reverse("fieldwork:handle_referral", args=[referral.pk]),
                           {f"referral-{referral.pk}-note": "Tweede"})

    assert response.status_code == 409
    assert "Deze doorverwijzing is al afgehandeld." in response.content.decode()
    referral.refresh_from_db()
    assert referral.handled_note == "Eerste"


def test_another_community_worker_does_not_see_it_and_the_coordinator_sees_all(client, handyman, household,
                                                                              community_worker, coordinator):
    refer(household, handyman, community_worker)
    other = UserFactory(username="community2", role=Role.COMMUNITY_WORKER)

    assert "Fatima el Amrani" not in page_of(client, other, reverse("fieldwork:referrals"))
    everyone = page_of(client, coordinator, reverse("fieldwork:referrals"))
    assert "Fatima el Amrani" in everyone and "aan " in everyone


def test_the_referrals_are_listed_a_page_at_a_time_newest_first(client, handyman, community_worker, programme):
    for number in range(27):
        refer(assessed_household(handyman, community_worker=community_worker, contact_name=f"Bewoner {number:02}"),
              handyman, community_worker)

    first = page_of(client, community_worker, reverse("fieldwork:referrals"))
    after = Referral.objects.order_by("-referred_at", "-pk")[24]
    second = client.get(reverse("fieldwork:referrals"), {"after": after.pk}).content.decode()

    assert "Bewoner 26" in first and "Bewoner 02" in first and "Bewoner 01" not in first
    assert "Oudere doorverwijzingen" in first
    assert "Bewoner 01" in second and "Bewoner 00" in second and "Bewoner 26" not in second


# The session, the user, her groups; a page of referrals with their households and people, and the one after
# `after`; each referral's permission is decided without a query.
INBOX_QUERIES = 5


@pytest.mark.parametrize("how_many", [2, 20])
def test_the_inbox_costs_the_same_number_of_queries_for_2_and_for_20(
        client, handyman, community_worker, programme, django_assert_max_num_queries, how_many):
    for _ in range(how_many):
        refer(assessed_household(handyman, community_worker=community_worker), handyman, community_worker)
    client.force_login(community_worker)

    with django_assert_max_num_queries(INBOX_QUERIES):
        response = client.get(reverse("fieldwork:referrals"))

    assert len(response.context["referrals"]) == how_many


# --- Defect reports --------------------------------------------------------------------------------------------


def test_the_handyman_reports_a_rented_home_to_its_corporation(client, handyman, rented):
    page = page_of(client, handyman, reverse("fieldwork:report_defect", args=[rented.pk]))
    assert "Dudok Wonen" in page

    response = client.post(reverse("fieldwork:report_defect", args=[rented.pk]),
                           {"description": "Schimmel in de slaapkamer.", "sent_on": datetime.date.today().isoformat()})

    assert response.status_code == 302
    report = DefectReport.objects.get()
    assert (report.housing_corporation, report.status) == ("Dudok Wonen", DefectReport.Status.SENT)
    page = client.get(response["Location"]).content.decode()
    assert "Schimmel in de slaapkamer." in page and "Verstuurd op" in page


def test_an_owner_occupied_home_has_no_corporation_and_the_page_says_so(client, handyman, household):
    page = page_of(client, handyman, reverse("fieldwork:report_defect", args=[household.pk]))

    assert "deze woning heeft er geen" in page
    assert "<textarea" not in page
    response = client.post(reverse("fieldwork:report_defect", args=[household.pk]), {"description": "Lek"})
    assert response.status_code == 200
    assert not DefectReport.objects.exists()


def test_a_report_sent_in_the_future_or_without_description_is_refused(client, handyman, rented):
    client.force_login(handyman)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    response = client.post(reverse("fieldwork:report_defect", args=[rented.pk]),
                           {"description": "", "sent_on": tomorrow.isoformat()})

    assert response.context["form"].errors == {"description": ["Beschrijf wat er mis is met de woning."],
                                               "sent_on": ["De datum kan niet in de toekomst liggen."]}
    assert not DefectReport.objects.exists()


def test_the_corporations_answer_is_recorded_with_its_dates(client, handyman, rented):
    sent = datetime.date.today() - datetime.timedelta(days=10)
    report = services.report_defect(rented, by=handyman, description="Lekkend dak.", sent_on=sent)
    client.force_login(handyman)
    acknowledged = sent + datetime.timedelta(days=2)

    response = client.post(reverse("fieldwork:update_defect", args=[report.pk]),
                           {"acknowledged_on": acknowledged.isoformat()})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.acknowledged_on, report.status) == (acknowledged, DefectReport.Status.ACKNOWLEDGED)


@pytest.mark.parametrize(("field", "days_after_sent", "message"), [
    ("acknowledged_on", -1, "De datum kan niet vóór het versturen van de melding liggen"),
    ("resolved_on", 11, "De datum kan niet in de toekomst liggen."),
])
def test_the_answers_dates_are_not_before_sent_nor_in_the_future(client, handyman, rented, field, days_after_sent,
                                                                 message):
    sent = datetime.date.today() - datetime.timedelta(days=10)
    report = services.report_defect(rented, by=handyman, description="Lekkend dak.", sent_on=sent)
    client.force_login(handyman)

    response = client.post(reverse("fieldwork:update_defect", args=[report.pk]),
                           {field: (sent + datetime.timedelta(days=days_after_sent)).isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    report.refresh_from_db()
    assert (report.acknowledged_on, report.resolved_on) == (None, None)


def test_resolved_before_acknowledged_is_refused(client, handyman, rented):
    sent = datetime.date.today() - datetime.timedelta(days=10)
    report = services.report_defect(rented, by=handyman, description="Lekkend dak.", sent_on=sent)
    client.force_login(handyman)

    response = client.post(reverse("fieldwork:update_defect", args=[report.pk]),
                           {"acknowledged_on": (sent + datetime.timedelta(days=5)).isoformat(),
                            "resolved_on": (sent + datetime.timedelta(days=3)).isoformat()})

    assert response.context["form"].errors == {
        "resolved_on": ["De melding kan niet zijn opgelost voordat de ontvangst is bevestigd."]}


def test_the_service_refuses_resolved_before_acknowledged_too(handyman, rented):
    sent = datetime.date.today() - datetime.timedelta(days=10)
    report = services.report_defect(rented, by=handyman, description="Lekkend dak.", sent_on=sent)
    services.update_defect(report, by=handyman, acknowledged_on=sent + datetime.timedelta(days=5))

    with pytest.raises(Refused) as refused:
        services.update_defect(report, by=handyman, resolved_on=sent + datetime.timedelta(days=3))

    assert refused.value.field == "resolved_on"
    report.refresh_from_db()
    assert report.resolved_on is None


def test_another_handyman_cannot_see_or_update_a_report(client, handyman, handyman2, rented):
    report = services.report_defect(rented, by=handyman, description="Lekkend dak.")
    client.force_login(handyman2)

    assert client.get(reverse("fieldwork:update_defect", args=[report.pk])).status_code == 404
    assert client.post(reverse("fieldwork:report_defect", args=[rented.pk]),
                       {"description": "x", "sent_on": datetime.date.today().isoformat()}).status_code == 404
    assert DefectReport.objects.count() == 1
