"""The visits' pages as the handyman uses them: the visit's page, and recording the intake, the installation (one
phone screen) and the evaluation. Refusals come back in Dutch at their field, with nothing saved and nothing
booked on the products line."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetLine
from fieldwork import services
from fieldwork.models import DefectReport, IntakeFindings, Referral, Visit
from subsidy import packages
from subsidy.models import Package
from tests.factories import assessed_household, product

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "advised_measure": "floor"}

INTAKE_FORM = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
               "wall_insulation": "partly", "crawl_space_suitable": "yes", "gas_m3_per_year": "1800",
               "electricity_kwh_per_year": "", "wishes": "Warmere woonkamer", "advised_measure": "floor",
               "diy_possible": "no", "advice": "Vloerisolatie door een aannemer."}


def soon(hours=1):
    return timezone.now() + datetime.timedelta(hours=hours)


def in_the_form(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def products_line(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)


def totals(programme) -> tuple[Decimal, Decimal]:
    line = products_line(programme)
    return line.committed_open, line.spent


@pytest.fixture
def household(programme, handyman, community_worker):
    return assessed_household(handyman, community_worker=community_worker, contact_name="Fatima el Amrani",
                              phone="06 12345678")


@pytest.fixture
def intake(household, handyman):
    return services.plan_visit(household, by=handyman, planned_at=soon())


@pytest.fixture
def lamp(programme):
    return product("LED-lamp")  # € 4,50


@pytest.fixture
def fan(programme):
    return product("Radiatorventilator")  # € 45,00


@pytest.fixture
def installation(household, handyman, intake, lamp, fan):
    """The intake done; a package of 4 LED lamps and 2 radiator fans (€ 108,00) approved; the installation planned."""
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    packages.propose(household, by=handyman, items={lamp.pk: 4, fan.pk: 2})
    return services.plan_visit(household, by=handyman, planned_at=soon(2))


@pytest.fixture
def evaluation(household, handyman, installation, lamp, fan):
    services.record_installation(installation, by=handyman, quantities={lamp.pk: 4, fan.pk: 1})
    return services.plan_visit(household, by=handyman, planned_at=soon(3), mode="by_phone")


def text(response) -> str:
    """The page as read: amounts with an ordinary space (the page writes € and the amount with a no-break space)."""
    return response.content.decode().replace("\xa0", " ")


def url(name, visit):
    return reverse(f"fieldwork:{name}", args=[visit.pk])


# --- The visit's page -----------------------------------------------------------------------------------------


def test_the_visit_page_shows_where_who_how_to_call_and_the_button_to_record(client, handyman, intake):
    client.force_login(handyman)
    page = text(client.get(url("visit", intake)))

    dwelling = intake.household.dwelling
    assert dwelling.address_line in page
    assert "Fatima el Amrani" in page
    assert 'href="tel:0612345678"' in page
    assert "Bezoek 1: Intake" in page
    assert url("record_intake", intake) in page


def test_who_may_see_but_not_record_gets_no_button(client, community_worker, intake):
    client.force_login(community_worker)
    page = text(client.get(url("visit", intake)))

    assert "Fatima el Amrani" in page
    assert url("record_intake", intake) not in page


# --- Visit 1: the intake --------------------------------------------------------------------------------------


def test_the_intake_form_shows_each_measures_indicative_cost_and_yearly_saving(client, handyman, intake):
    client.force_login(handyman)
    page = text(client.get(url("record_intake", intake)))

    assert "Vloerisolatie" in page
    assert "kost € 1.500,00 – € 2.900,00" in page
    assert "bespaart € 250,00 per jaar" in page
    assert "bespaart € 450,00 – € 800,00 per jaar" in page  # the roof
    assert 'name="defect_description"' not in page  # an owner-occupier's home has no corporation to report to


def test_the_handyman_records_the_intake_and_sees_the_advice_with_its_figures(client, handyman, intake):
    client.force_login(handyman)
    response = client.post(url("record_intake", intake), INTAKE_FORM, follow=True)

    intake.refresh_from_db()
    assert intake.is_done
    findings = IntakeFindings.objects.get(visit=intake)
    assert (findings.crawl_space_suitable, findings.diy_possible, findings.gas_m3_per_year) == (True, False, 1800)
    assert findings.electricity_kwh_per_year is None
    page = text(response)
    assert "De intake is vastgelegd." in page
    assert "€ 1.500,00 – € 2.900,00" in page
    assert "€ 250,00" in page
    assert "Vloerisolatie door een aannemer." in page


def test_the_intake_refers_to_the_households_community_worker_and_reports_a_defect(client, programme, handyman,
                                                                                   community_worker):
    household = assessed_household(handyman, community_worker=community_worker, dwelling__social_rent=True)
    intake = services.plan_visit(household, by=handyman, planned_at=soon())
    client.force_login(handyman)
    page = text(client.get(url("record_intake", intake)))
    assert "Dudok Wonen" in page

    client.post(url("record_intake", intake), {
        **INTAKE_FORM, "refer": "on", "referral_community_worker": community_worker.pk,
        "referral_reason": "Hulp bij de aanvraag", "report_defect": "on", "defect_description": "Schimmel"})

    referral = Referral.objects.get(household=household)
    assert (referral.community_worker, referral.visit) == (community_worker, intake)
    assert DefectReport.objects.get(household=household).housing_corporation == "Dudok Wonen"


def test_a_referral_without_a_reason_is_refused_at_its_field_and_nothing_is_saved(client, handyman, intake):
    client.force_login(handyman)
    response = client.post(url("record_intake", intake), {**INTAKE_FORM, "refer": "on", "referral_reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["referral_reason"]
    intake.refresh_from_db()
    assert not intake.is_done
    assert not IntakeFindings.objects.exists()
    assert not Referral.objects.exists()


def test_an_intake_done_in_the_future_is_refused_in_dutch_and_nothing_is_saved(client, handyman, intake):
    client.force_login(handyman)
    response = client.post(url("record_intake", intake), {**INTAKE_FORM, "done_at": in_the_form(soon(24))})

    assert response.status_code == 200
    assert response.context["form"].errors["done_at"] == ["Een bezoek kan niet in de toekomst gedaan zijn."]
    intake.refresh_from_db()
    assert intake.done_at is None
    assert not IntakeFindings.objects.exists()


def test_a_missing_finding_is_asked_for_in_dutch(client, handyman, intake):
    client.force_login(handyman)
    response = client.post(url("record_intake", intake), {**INTAKE_FORM, "glazing": ""})

    assert response.context["form"].errors["glazing"] == ["Dit veld is vereist."]
    assert not IntakeFindings.objects.exists()


# --- Visit 2: the installation --------------------------------------------------------------------------------


def test_the_installation_screen_lists_the_approved_products_with_the_running_total(client, handyman, installation,
                                                                                    lamp, fan):
    client.force_login(handyman)
    response = client.get(url("record_installation", installation))

    page = text(response)
    assert f'name="quantity_{lamp.pk}"' in page
    assert f'name="quantity_{fan.pk}"' in page
    assert 'aria-label="Eén minder: LED-lamp"' in page
    assert response.context["total"] == Decimal("108.00")
    assert "€ 108,00" in page
    assert "€ 330,00" in page  # the limit per dwelling
    assert "Geïnstalleerd" in page


def test_the_handyman_installs_fewer_and_the_products_line_spends_that_and_releases_the_rest(
        client, programme, handyman, installation, lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "1", "notes": "Boven niet"},
        follow=True)

    installation.refresh_from_db()
    assert installation.is_done
    package.refresh_from_db()
    assert (package.status, package.installed_value) == (Package.Status.INSTALLED, Decimal("63.00"))
    assert totals(programme) == (Decimal("0.00"), Decimal("63.00"))
    page = text(response)
    assert "De installatie is vastgelegd." in page
    assert "1 × Radiatorventilator" in page
    assert "€ 63,00" in page


def test_without_script_minus_lowers_the_number_and_the_total_and_records_nothing(client, programme, handyman,
                                                                                 installation, lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "2", "step": f"{fan.pk}:-1"})

    assert response.status_code == 200
    assert response.context["total"] == Decimal("63.00")
    assert f'name="quantity_{fan.pk}" value="1"' in text(response)
    installation.refresh_from_db()
    assert not installation.is_done
    assert totals(programme) == (Decimal("108.00"), Decimal("0.00"))


def test_plus_stops_at_the_number_approved(client, handyman, installation, lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "2", "step": f"{fan.pk}:+1"})

    assert f'name="quantity_{fan.pk}" value="2"' in text(response)


@pytest.mark.parametrize(("lamps", "fans", "field", "message"), [
    ("5", "2", "lamp", "Geef hoogstens 4."),
    ("-1", "2", "lamp", "Geef minstens 0."),
    ("0", "0", None, "Er is niets geplaatst: annuleer het pakket in plaats daarvan."),
])
def test_quantities_above_approved_or_below_one_in_all_are_refused_and_nothing_is_booked(
        client, programme, handyman, installation, lamp, fan, lamps, fans, field, message):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": lamps, f"quantity_{fan.pk}": fans})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"quantity_{lamp.pk}" if field else "__all__"] == [message]
    assert message in text(response)
    package.refresh_from_db()
    assert package.status == Package.Status.APPROVED
    installation.refresh_from_db()
    assert not installation.is_done
    assert totals(programme) == (Decimal("108.00"), Decimal("0.00"))


def test_an_installation_before_the_intake_is_refused_and_nothing_is_booked(client, programme, household, handyman,
                                                                          intake, lamp):
    installation = services.plan_visit(household, by=handyman, planned_at=soon(2))
    package = packages.propose(household, by=handyman, items={lamp.pk: 2})
    client.force_login(handyman)
    assert "Leg eerst de intake vast" in text(client.get(url("record_installation", installation)))

    response = client.post(url("record_installation", installation),
                           {"version": package.version, f"quantity_{lamp.pk}": "2"})

    assert response.context["form"].errors["done_at"] == ["Leg eerst de intake vast, dan de installatie."]
    installation.refresh_from_db()
    assert not installation.is_done
    assert totals(programme) == (Decimal("9.00"), Decimal("0.00"))


def test_an_installation_done_in_the_future_is_refused_and_nothing_is_booked(client, programme, handyman,
                                                                            installation, lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "2",
        "done_at": in_the_form(soon(24))})

    assert response.context["form"].errors["done_at"] == ["Een bezoek kan niet in de toekomst gedaan zijn."]
    assert totals(programme) == (Decimal("108.00"), Decimal("0.00"))


def test_a_package_changed_meanwhile_is_a_conflict_and_nothing_is_booked(client, programme, handyman, installation,
                                                                       lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman)
    response = client.post(url("record_installation", installation), {
        "version": package.version - 1 if package.version > 1 else package.version + 1,
        f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "2"})

    assert response.status_code == 409
    assert "Iemand anders heeft dit pakket intussen gewijzigd" in text(response)
    assert totals(programme) == (Decimal("108.00"), Decimal("0.00"))


def test_without_an_approved_package_the_screen_says_so_and_offers_to_propose_one(client, household, handyman,
                                                                                  intake):
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    installation = services.plan_visit(household, by=handyman, planned_at=soon(2))
    client.force_login(handyman)
    page = text(client.get(url("record_installation", installation)))

    assert "Het huishouden heeft geen goedgekeurd productenpakket om te installeren." in page
    assert reverse("subsidy:propose_package", args=[household.pk]) in page


def test_a_package_above_the_limit_waits_for_the_coordinator_and_the_screen_says_so(client, household, handyman,
                                                                                   intake, fan):
    services.record_intake(intake, by=handyman, findings=FINDINGS)
    packages.propose(household, by=handyman, items={fan.pk: 8}, motivation="Grote woning")  # € 360,00
    installation = services.plan_visit(household, by=handyman, planned_at=soon(2))
    client.force_login(handyman)
    page = text(client.get(url("record_installation", installation)))

    assert "wacht op de coördinator" in page
    assert 'name="quantity_' not in page


def test_another_handymans_household_is_not_found_and_nothing_is_booked(client, programme, handyman2, installation,
                                                                      lamp, fan):
    package = Package.objects.get(household=installation.household)
    client.force_login(handyman2)
    response = client.post(url("record_installation", installation), {
        "version": package.version, f"quantity_{lamp.pk}": "4", f"quantity_{fan.pk}": "2"})

    assert response.status_code == 404
    installation.refresh_from_db()
    assert not installation.is_done
    assert totals(programme) == (Decimal("108.00"), Decimal("0.00"))


def test_a_recorded_visit_sends_its_form_back_to_the_visit_page(client, handyman, evaluation, installation):
    client.force_login(handyman)
    response = client.get(url("record_installation", installation))

    assert response.status_code == 302
    assert response["Location"] == url("visit", installation)


# --- Visit 3: the evaluation ----------------------------------------------------------------------------------


def test_the_evaluation_is_recorded_by_phone_and_closes_the_field_work(client, handyman, evaluation, lamp, fan):
    client.force_login(handyman)
    page = text(client.get(url("record_evaluation", evaluation)))
    assert "LED-lamp" in page and "Radiatorventilator" in page
    assert "sluit het veldtraject" in page

    response = client.post(url("record_evaluation", evaluation), {
        "experience": "4", "in_use": [str(lamp.pk)], "remarks": "Warmer", "mode": "by_phone"}, follow=True)

    evaluation.refresh_from_db()
    assert (evaluation.is_done, evaluation.mode) == (True, Visit.Mode.BY_PHONE)
    assert evaluation.evaluation.measures_in_use == [
        {"product": fan.pk, "name": "Radiatorventilator", "in_use": False},
        {"product": lamp.pk, "name": "LED-lamp", "in_use": True}]
    page = text(response)
    assert "4 van 5" in page
    assert "Deze evaluatie sloot het veldtraject van het huishouden af." in page


def test_an_evaluation_without_an_experience_is_asked_for_in_dutch(client, handyman, evaluation):
    client.force_login(handyman)
    response = client.post(url("record_evaluation", evaluation), {"mode": "at_home"})

    assert response.context["form"].errors["experience"] == ["Kies hoe de bewoner de hulp waardeert, van 1 tot 5."]
    evaluation.refresh_from_db()
    assert not evaluation.is_done


def test_an_evaluation_before_the_installation_is_refused_in_dutch(client, household, handyman, installation):
    evaluation = services.plan_visit(household, by=handyman, planned_at=soon(3))
    client.force_login(handyman)
    response = client.post(url("record_evaluation", evaluation), {"experience": "5", "mode": "at_home"})

    assert response.context["form"].errors["done_at"] == ["Leg eerst de installatie vast, dan de evaluatie."]
    evaluation.refresh_from_db()
    assert not evaluation.is_done
