"""The visits API (/api/v1/visits/): the three visits planned and recorded through the API, in order, with the
package installed and booked on the products line; the same scoping as the pages (another handyman's visit is
404); 403 for the wrong role, 409 for a visit done already or of another kind, 400 naming the field, never 500."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from budget.models import BudgetLine
from fieldwork import services
from fieldwork.models import DefectReport, IntakeFindings, Referral, Visit
from subsidy import packages
from subsidy.models import Package
from tests.factories import assessed_household, product

K = Visit.Kind
LIST = reverse("api-v1:visit-list")
PACKAGES = reverse("api-v1:package-list")

FINDINGS = {"energy_label": "E", "glazing": "single", "roof_insulation": "none", "floor_insulation": "none",
            "wall_insulation": "partly", "crawl_space_suitable": True, "gas_m3_per_year": 1800,
            "advised_measure": "floor", "diy_possible": True, "advice": "Vloerisolatie, kruipruimte is hoog genoeg."}


def detail(visit) -> str:
    return reverse("api-v1:visit-detail", kwargs={"pk": visit.pk})


def act_url(visit, act: str) -> str:
    return reverse(f"api-v1:visit-{act}", kwargs={"pk": visit.pk})


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        return gettext(message) % values if values else gettext(message)


def drf(message: str, **values) -> str:
    """One of DRF's messages (with {braces}) in Dutch."""
    return dutch(message).format(**values)


def moment(hours: float = 0) -> str:
    return (timezone.now() + datetime.timedelta(hours=hours)).isoformat()


def products_line(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.PRODUCTS)


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.fixture
def household(people):
    """Assigned to `handyman` and `community`, assessed eligible for small and medium measures."""
    return assessed_household(people["handyman"], community_worker=people["community"])


def planned(household, people, kind: str = K.INTAKE) -> Visit:
    """The household's visits up to `kind` (the ones before it recorded), and `kind` planned."""
    handyman = people["handyman"]
    for step in Visit.ORDER:
        visit = services.plan_visit(household, by=handyman, planned_at=timezone.now() + datetime.timedelta(hours=1),
                                    mode=Visit.Mode.AT_HOME)
        if step == kind:
            return visit
        if step == K.INTAKE:
            services.record_intake(visit, by=handyman, findings=FINDINGS)
            packages.propose(household, by=handyman, items={product("LED-lamp").pk: 4})
        elif step == K.INSTALLATION:
            services.record_installation(visit, by=handyman, quantities={product("LED-lamp").pk: 4})
    raise AssertionError(kind)


# --- The three visits through the API -------------------------------------------------------------------------


def test_the_handyman_does_the_three_visits_through_the_api(api, people, household, programme):
    handyman = as_user(api, people["handyman"])

    response = handyman.post(LIST, {"household": household.reference, "planned_at": moment(1)}, format="json")
    assert response.status_code == 201, response.json()
    intake = response.json()
    assert (intake["kind"], intake["number"], intake["done"], intake["handyman"], intake["findings"]) == (
        "intake", 1, False, "handyman", None)

    response = handyman.post(reverse("api-v1:visit-intake", kwargs={"pk": intake["id"]}),
                             {**FINDINGS, "done_at": moment(), "notes": "Koude vloer"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["done"] is True
    assert (body["findings"]["energy_label"], body["findings"]["advised_measure"]) == ("E", "floor")
    assert body["findings"]["advice_figures"]["yearly_savings_minimum"] == "250.00"
    household.dwelling.refresh_from_db()
    assert household.dwelling.energy_label == "E"

    lamp, fan = product("LED-lamp"), product("Radiatorventilator")
    response = handyman.post(PACKAGES, {"household": household.pk, "items": [
        {"product": fan.pk, "quantity": 4}, {"product": lamp.pk, "quantity": 2}]}, format="json")
    assert response.status_code == 201, response.json()
    package = response.json()
    assert (package["status"], package["value"]) == ("approved", "189.00")

    installation = handyman.post(LIST, {"household": household.pk, "planned_at": moment(24)}, format="json").json()
    assert installation["kind"] == "installation"
    response = handyman.post(reverse("api-v1:visit-installation", kwargs={"pk": installation["id"]}), {
        "items": [{"product": fan.pk, "quantity": 3}, {"product": lamp.pk, "quantity": 2}],
        "package_version": package["version"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["done"] is True
    line = products_line(programme)
    assert (line.committed_open, line.spent) == (Decimal("0.00"), Decimal("144.00"))

    evaluation = handyman.post(LIST, {"household": household.pk, "planned_at": moment(48), "mode": "by_phone"},
                               format="json").json()
    assert (evaluation["kind"], evaluation["mode"]) == ("evaluation", "by_phone")
    response = handyman.post(reverse("api-v1:visit-evaluation", kwargs={"pk": evaluation["id"]}),
                             {"experience": 4, "in_use": [fan.pk], "remarks": "Warmer"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["evaluation"] == {
        "experience": 4, "remarks": "Warmer",
        "measures_in_use": [{"product": fan.pk, "name": fan.name, "in_use": True},
                            {"product": lamp.pk, "name": lamp.name, "in_use": False}]}
    assert services.next_kind(household) is None

    response = handyman.post(LIST, {"household": household.pk, "planned_at": moment(72)}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == dutch("All three visits are planned already.")


def test_the_intake_refers_the_household_and_reports_a_defect_with_it(api, people, programme):
    rented = assessed_household(people["handyman"], community_worker=people["community"], dwelling__social_rent=True)
    intake = planned(rented, people)

    response = as_user(api, people["handyman"]).post(act_url(intake, "intake"), {
        **FINDINGS, "referral": {"reason": "Hulp bij de energierekening"},
        "defect": {"description": "Schimmel in de slaapkamer"}}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(r["community_worker"], r["reason"]) for r in body["referrals"]] == [
        ("community", "Hulp bij de energierekening")]
    assert [(d["housing_corporation"], d["status"]) for d in body["defect_reports"]] == [("Dudok Wonen", "sent")]


def test_the_coordinator_plans_and_reschedules_a_visit(api, people, household):
    coordinator = as_user(api, people["coordinator"])

    response = coordinator.post(LIST, {"household": household.pk, "planned_at": moment(2), "notes": "Bel eerst"},
                                format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["handyman"], response.json()["planned_by"]) == ("handyman", "coordinator")

    later = timezone.now() + datetime.timedelta(days=3)
    response = coordinator.post(reverse("api-v1:visit-reschedule", kwargs={"pk": response.json()["id"]}),
                                {"planned_at": later.isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert datetime.datetime.fromisoformat(response.json()["planned_at"]) == later


# --- Bad input: a 400 naming the field, nothing recorded, nothing booked ---------------------------------------


def test_a_visit_done_in_the_future_is_a_400_on_done_at(api, people, household):
    intake = planned(household, people)

    response = as_user(api, people["handyman"]).post(act_url(intake, "intake"), {**FINDINGS, "done_at": moment(6)},
                                                      format="json")

    assert response.status_code == 400
    assert response.json() == {"done_at": [dutch("A visit cannot be done in the future.")]}
    assert "toekomst" in response.json()["done_at"][0]
    intake.refresh_from_db()
    assert not intake.is_done
    assert not IntakeFindings.objects.exists()


def test_an_installation_before_the_intake_is_a_400_and_nothing_is_booked(api, people, household, programme):
    services.plan_visit(household, by=people["handyman"], planned_at=timezone.now())
    installation = services.plan_visit(household, by=people["handyman"], planned_at=timezone.now())
    package = packages.propose(household, by=people["handyman"], items={product("LED-lamp").pk: 2})

    response = as_user(api, people["handyman"]).post(act_url(installation, "installation"), {
        "items": [{"product": product("LED-lamp").pk, "quantity": 2}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"done_at": [dutch("Record the intake before the installation.")]}
    package.refresh_from_db()
    assert package.status == Package.Status.APPROVED
    assert products_line(programme).spent == Decimal("0.00")


def test_an_evaluation_before_the_installation_is_a_400(api, people, household):
    intake = services.plan_visit(household, by=people["handyman"], planned_at=timezone.now())
    services.record_intake(intake, by=people["handyman"], findings=FINDINGS)
    services.plan_visit(household, by=people["handyman"], planned_at=timezone.now())
    evaluation = services.plan_visit(household, by=people["handyman"], planned_at=timezone.now())

    response = as_user(api, people["handyman"]).post(act_url(evaluation, "evaluation"), {"experience": 5},
                                                      format="json")

    assert response.status_code == 400
    assert response.json() == {"done_at": [dutch("Record the installation before the evaluation.")]}
    evaluation.refresh_from_db()
    assert not evaluation.is_done


# quantity sent for the four lamps approved, the error on the item
BAD_QUANTITIES = [
    (-1, drf("Ensure this value is greater than or equal to {min_value}.", min_value=0)),
    ("abc", drf("A valid integer is required.")),
    (None, drf("This field may not be null.")),
    (5, dutch("Give at most %(n)s.", n=4)),
]


@pytest.mark.parametrize(("quantity", "message"), BAD_QUANTITIES, ids=[repr(q) for q, _m in BAD_QUANTITIES])
def test_a_bad_installed_quantity_is_a_400_on_its_item_and_nothing_is_booked(api, people, household, programme,
                                                                             quantity, message):
    installation = planned(household, people, K.INSTALLATION)

    response = as_user(api, people["handyman"]).post(act_url(installation, "installation"), {
        "items": [{"product": product("LED-lamp").pk, "quantity": quantity}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"quantity": [message]}}}
    installation.refresh_from_db()
    assert not installation.is_done
    assert (products_line(programme).committed_open, products_line(programme).spent) == (Decimal("18.00"),
                                                                                         Decimal("0.00"))


def test_an_installation_without_an_approved_package_is_a_400(api, people, household):
    installation = planned(household, people, K.INSTALLATION)
    packages.cancel(Package.objects.get(), by=people["handyman"], reason="Bewoner wil niets")

    response = as_user(api, people["handyman"]).post(act_url(installation, "installation"), {
        "items": [{"product": product("LED-lamp").pk, "quantity": 1}]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"items": [dutch("The household has no approved products package to install.")]}


def test_a_stale_package_version_is_a_409(api, people, household):
    installation = planned(household, people, K.INSTALLATION)
    package = Package.objects.get()

    response = as_user(api, people["handyman"]).post(act_url(installation, "installation"), {
        "items": [{"product": product("LED-lamp").pk, "quantity": 4}], "package_version": package.version + 1},
        format="json")

    assert response.status_code == 409
    installation.refresh_from_db()
    assert not installation.is_done


# body changes on the intake, the field named
BAD_INTAKE = [
    ({"glazing": "paper"}, "glazing"),
    ({"glazing": None}, "glazing"),
    ({"gas_m3_per_year": -5}, "gas_m3_per_year"),
    ({"gas_m3_per_year": 25_000}, "gas_m3_per_year"),
    ({"gas_m3_per_year": "veel"}, "gas_m3_per_year"),
    ({"crawl_space_suitable": "misschien"}, "crawl_space_suitable"),
    ({"advised_measure": "sauna"}, "advised_measure"),
    ({"advice": "bel\x00me"}, "advice"),
    ({"wishes": ["warm"]}, "wishes"),
    ({"done_at": None}, "done_at"),
    ({"done_at": "gisteren"}, "done_at"),
    ({"colour": "rood"}, "colour"),
    ({"referral": None}, "referral"),
    ({"referral": "ja"}, "referral"),
    ({"defect": {"description": "Lek", "urgent": True}}, "defect"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INTAKE, ids=[f"{f}={c[f]!r}" for c, f in BAD_INTAKE])
def test_a_bad_intake_is_a_400_naming_the_field_and_nothing_is_recorded(api, people, household, changes, field):
    intake = planned(household, people)
    body = {name: value for name, value in FINDINGS.items() if name not in changes} | changes

    response = as_user(api, people["handyman"]).post(act_url(intake, "intake"), body, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()) == [field]
    intake.refresh_from_db()
    assert not intake.is_done
    assert not IntakeFindings.objects.exists()


def test_an_unknown_field_is_named_with_the_other_fields_errors(api, people, household):
    intake = planned(household, people)

    response = as_user(api, people["handyman"]).post(act_url(intake, "intake"), {"glazng": "single"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["glazng"] == ["Onbekend veld."]
    assert body["glazing"] == [drf("This field is required.")]


def test_a_referral_or_defect_report_that_cannot_be_made_is_refused_under_its_key_and_nothing_is_recorded(
        api, people, household):
    intake = planned(household, people)
    handyman = as_user(api, people["handyman"])

    response = handyman.post(act_url(intake, "intake"), {**FINDINGS, "referral": {"reason": " "}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"referral": {"reason": [dutch("Say what the household needs help with.")]}}

    response = handyman.post(act_url(intake, "intake"), {**FINDINGS, "defect": {"description": "Lek dak"}},
                             format="json")  # an owner-occupied home
    assert response.status_code == 400
    assert response.json() == {"defect": {"description": [dutch(
        "A defect report goes to the housing corporation of a rented home; this dwelling has none.")]}}

    response = handyman.post(act_url(intake, "intake"), {**FINDINGS, "referral": {
        "reason": "Hulp", "community_worker": people["assessor"].pk}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"referral": {"community_worker": [dutch("Choose a community worker.")]}}

    intake.refresh_from_db()
    assert not intake.is_done
    assert not Referral.objects.exists()
    assert not DefectReport.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"experience": 0}, "experience"),
    ({"experience": 6}, "experience"),
    ({"experience": "goed"}, "experience"),
    ({"experience": None}, "experience"),
    ({}, "experience"),
    ({"experience": 4, "in_use": [999999]}, "in_use"),
    ({"experience": 4, "in_use": "alles"}, "in_use"),
    ({"experience": 4, "mode": "by_post"}, "mode"),
    ({"experience": 4, "done_at": "morgen"}, "done_at"),
])
def test_a_bad_evaluation_is_a_400_naming_the_field(api, people, household, body, field):
    evaluation = planned(household, people, K.EVALUATION)

    response = as_user(api, people["handyman"]).post(act_url(evaluation, "evaluation"), body, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()) == [field]
    if field == "experience" and body.get("experience") is not None:
        assert response.json() == {"experience": [dutch("Give the experience as a number from 1 to 5.")]}
    evaluation.refresh_from_db()
    assert not evaluation.is_done


@pytest.mark.parametrize(("body", "field"), [
    ({"mode": "by_phone"}, "mode"),  # only the evaluation
    ({"kind": "evaluation"}, "kind"),  # the intake comes first
    ({"kind": "sauna"}, "kind"),
    ({"planned_at": "morgen"}, "planned_at"),
    ({"planned_at": None}, "planned_at"),
    ({"household": None}, "household"),
    ({"household": "abc"}, "household"),
    ({"household": 10**30}, "household"),
    ({"planned_at": "1839-05-03T17:00:00+01:00"}, "planned_at"),
    ({"when": "nu"}, "when"),
])
def test_a_bad_plan_is_a_400_naming_the_field_and_nothing_is_planned(api, people, household, body, field):
    sent = {"household": household.pk, "planned_at": moment(2), **body}

    response = as_user(api, people["handyman"]).post(LIST, sent, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()) == [field]
    assert not Visit.objects.exists()


def test_a_visit_planned_more_than_a_year_ahead_is_refused(api, people, household):
    response = as_user(api, people["handyman"]).post(LIST, {"household": household.pk, "planned_at": moment(24 * 400)},
                                                      format="json")

    assert response.status_code == 400
    assert response.json() == {"planned_at": [dutch("Plan the visit within a year.")]}


# --- States and roles -----------------------------------------------------------------------------------------


def test_recording_a_visit_twice_or_as_another_kind_is_a_409(api, people, household):
    installation = planned(household, people, K.INSTALLATION)
    intake = Visit.objects.get(kind=K.INTAKE)
    handyman = as_user(api, people["handyman"])

    response = handyman.post(act_url(intake, "intake"), FINDINGS, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == dutch("This visit has been recorded already.")

    response = handyman.post(act_url(installation, "intake"), {}, format="json")  # 409 before the body
    assert response.status_code == 409
    assert response.json()["detail"] == dutch("This is not the %(kind)s.", kind=dutch("Intake").lower())

    response = handyman.post(act_url(intake, "reschedule"), {"planned_at": moment(5)}, format="json")
    assert response.status_code == 409


def test_another_handymans_visit_is_not_found_for_reading_or_recording(api, people, household):
    intake = planned(household, people)
    other = as_user(api, people["handyman2"])

    assert other.get(detail(intake)).status_code == 404
    for act, body in (("intake", FINDINGS), ("reschedule", {"planned_at": moment(3)})):
        assert other.post(act_url(intake, act), body, format="json").status_code == 404
    response = other.post(LIST, {"household": household.pk, "planned_at": moment(2)}, format="json")
    assert response.status_code == 400
    assert response.json() == {"household": [dutch("No household with this id or reference that you may see.")]}
    assert other.get(LIST).json()["results"] == []
    intake.refresh_from_db()
    assert not intake.is_done


@pytest.mark.parametrize("role", ["community", "assessor", "finance"])
def test_roles_that_see_a_visit_may_read_it_but_not_plan_or_record_it(api, people, household, role):
    intake = planned(household, people)
    user = as_user(api, people[role])

    assert user.get(detail(intake)).status_code == 200
    assert user.post(act_url(intake, "intake"), FINDINGS, format="json").status_code == 403
    assert user.post(act_url(intake, "reschedule"), {"planned_at": moment(3)}, format="json").status_code == 403
    second = assessed_household(people["handyman"], community_worker=people["community"])
    assert user.post(LIST, {"household": second.pk, "planned_at": moment(2)}, format="json").status_code == 403
    intake.refresh_from_db()
    assert not intake.is_done


def test_anonymous_callers_are_refused(api, household, people):
    intake = planned(household, people)

    assert api.get(LIST).status_code == 403
    assert api.get(detail(intake)).status_code == 403


# --- The list -------------------------------------------------------------------------------------------------


def test_the_list_filters_on_household_kind_done_and_the_planned_days(api, people, household):
    installation = planned(household, people, K.INSTALLATION)
    intake = Visit.objects.get(kind=K.INTAKE)
    Visit.objects.filter(pk=intake.pk).update(planned_at=timezone.now() - datetime.timedelta(days=10))
    other = services.plan_visit(assessed_household(people["handyman"]), by=people["handyman"],
                                planned_at=timezone.now() + datetime.timedelta(days=5))
    handyman = as_user(api, people["handyman"])

    def listed(**filters):
        response = handyman.get(LIST, filters)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    today = timezone.localdate()
    assert listed() == [intake.pk, installation.pk, other.pk]
    assert listed(household=household.pk) == [intake.pk, installation.pk]
    assert listed(kind="intake") == [intake.pk, other.pk]
    assert listed(done="true") == [intake.pk]
    assert listed(done="false") == [installation.pk, other.pk]
    assert listed(**{"from": today.isoformat()}) == [installation.pk, other.pk]
    assert listed(to=today.isoformat()) == [intake.pk, installation.pk]
    assert listed(**{"from": (today + datetime.timedelta(days=5)).isoformat(),
                     "to": (today + datetime.timedelta(days=5)).isoformat()}) == [other.pk]
    assert listed(**{"from": "0001-01-01", "to": "9999-12-31"}) == [intake.pk, installation.pk, other.pk]
    for bad in ({"kind": "sauna"}, {"done": "misschien"}, {"from": "gisteren"}, {"household": "abc"}):
        response = handyman.get(LIST, bad)
        assert response.status_code == 400
        assert list(response.json()) == list(bad)


def test_the_list_reads_the_same_number_of_queries_however_many_visits(api, people, django_assert_max_num_queries):
    coordinator = as_user(api, people["coordinator"])
    planned(assessed_household(people["handyman"]), people)
    with django_assert_max_num_queries(20) as few:
        coordinator.get(LIST)
    for _ in range(5):
        planned(assessed_household(people["handyman"]), people)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator.get(LIST)
    assert response.json()["count"] == 6


def test_a_visit_reads_its_findings_and_referrals_in_a_fixed_number_of_queries(api, people, household,
                                                                                django_assert_max_num_queries):
    intake = planned(household, people)
    services.record_intake(intake, by=people["handyman"], findings=FINDINGS,
                           referral={"reason": "Hulp bij de rekening"})

    with django_assert_max_num_queries(10):
        response = as_user(api, people["assessor"]).get(detail(intake))
    assert response.status_code == 200
    assert response.json()["findings"]["glazing"] == "single"
    assert response.json()["evaluation"] is None
