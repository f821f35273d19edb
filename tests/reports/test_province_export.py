"""The province's data-platform export on a known register: the exact file (CSV and JSON), no personal data, the
address level only for consenting households, the audit trail, and the coordinator's page."""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from households.models import Household
from households.services import record_consent, withdraw_consent
from reports.models import ProvinceExport
from reports.province import POSTCODE6_COLUMNS, csv_content, make_province_export, request_export
from subsidy import packages
from tests.factories import HouseholdFactory, application_in, assessed_household, product

pytestmark = pytest.mark.django_db


def reached(postcode: str, **dwelling):
    return HouseholdFactory(active=True, dwelling__postcode=postcode,
                            **{f"dwelling__{name}": value for name, value in dwelling.items()})


def with_installed_package(handyman, postcode: str):
    household = assessed_household(handyman, dwelling__postcode=postcode)
    fan = product("Radiatorventilator")
    package = packages.propose(household, by=handyman, items={fan.pk: 1})
    packages.install(package, by=handyman, quantities={fan.pk: 1})
    return household


@pytest.fixture
def register(people):
    """22 reached households in 5 postcode-6 areas, and one that was never reached.

    1211 AB: 8 dwellings, label D 6 and G 2, terraced, built 1962; 2 with a products package installed, 1 with roof
             insulation paid.
    1217 GH: 5 apartments with label C built 1970.  1217 JK: 3 with label E (below 5).
    1221 CE: 2 with label D, build year unknown.     1221 CF: 4 with label D, dwelling type unknown.
    """
    for _ in range(3):
        reached("1211 AB")
    for _ in range(2):
        with_installed_package(people["handyman"], "1211 AB")
    application_in("paid", people, household__dwelling__postcode="1211 AB")
    for _ in range(2):
        reached("1211 AB", energy_label="G")
    HouseholdFactory(dwelling__postcode="1211 AB", dwelling__energy_label="A")  # registered, never reached
    for _ in range(5):
        reached("1217 GH", energy_label="C", dwelling_type="apartment", build_year=1970)
    for _ in range(3):
        reached("1217 JK", energy_label="E")
    for _ in range(2):
        reached("1221 CE", build_year=None)
    for _ in range(4):
        reached("1221 CF", dwelling_type="")
    return people


def made(people, *, level="postcode6", file_format="csv") -> ProvinceExport:
    export = request_export(_programme(), by=people["coordinator"], level=level, file_format=file_format)
    make_province_export.call(export.pk)
    export.refresh_from_db()
    return export


def _programme():
    from budget.models import Programme

    return Programme.objects.get(slug="hilversum-2022")


def csv_rows(export) -> list[dict]:
    return list(csv.DictReader(io.StringIO(bytes(export.content).decode("utf-8")), delimiter=";"))


def nonzero(row: dict) -> dict:
    return {key: value for key, value in row.items() if value not in ("0", 0)}


def test_the_csv_per_postcode6_holds_no_cell_below_5_and_no_cell_the_totals_give_away(register):
    export = made(register)

    rows = csv_rows(export)

    assert export.status == "done" and export.rows == 4
    assert bytes(export.content).decode().startswith("area_level;area;dwellings;label_a_or_better;label_b;")
    assert [nonzero(row) for row in rows] == [
        {"area_level": "postcode6", "area": "1211AB", "dwellings": "8", "label_d": "x", "label_g": "x",
         "type_terraced": "8", "built_1946_1964": "8", "package_installed": "x", "large_roof_paid": "x"},
        {"area_level": "postcode6", "area": "1217GH", "dwellings": "5", "label_c": "5", "type_apartment": "5",
         "built_1965_1974": "5"},
        {"area_level": "postcode4_remainder", "area": "1217", **{column: "x" for column in POSTCODE6_COLUMNS[2:]}},
        {"area_level": "postcode4_remainder", "area": "1221", "dwellings": "6", "label_d": "6", "type_terraced": "x",
         "type_unknown": "x", "built_1946_1964": "x", "built_unknown": "x"},
    ]
    assert export.counts == {"rows": 4, "dwellings": 22, "postcode6_areas": 2, "postcode4_remainders": 2,
                             "suppressed_cells": 4 + len(POSTCODE6_COLUMNS[2:]) + 4}


def test_the_json_has_the_same_rows_and_describes_itself(register):
    export = made(register, file_format="json")

    document = json.loads(bytes(export.content))

    assert {key: document[key] for key in ("format", "version", "level", "suppression")} == {
        "format": "warmhuis-province-export", "version": 1, "level": "postcode6",
        "suppression": {"threshold": 5, "marker": None}}
    assert document["programme"] == {"code": "hilversum-2022", "name": _programme().name, "municipality": "Hilversum"}
    assert datetime.datetime.fromisoformat(document["made_at"])
    assert document["columns"] == list(POSTCODE6_COLUMNS)
    assert [row["area"] for row in document["rows"]] == ["1211AB", "1217GH", "1217", "1221"]
    first = document["rows"][0]
    assert (first["dwellings"], first["label_d"], first["label_b"], first["large_roof_approved"]) == (8, None, 0, 0)


def test_no_personal_data_leaves_with_the_postcode6_level(register):
    export = made(register)
    content = bytes(export.content).decode()

    for household in Household.objects.select_related("dwelling"):
        assert household.reference not in content
        assert household.contact_name not in content
        assert household.email not in content
        assert household.dwelling.street not in content
    assert "1250" not in content  # the income


@pytest.fixture
def consents(people):
    """A: consents to address-level sharing. B: consents to processing only. C: consented, then replaced it with
    consent without. D: consented, then withdrew consent altogether (the household is closed, still reached)."""
    coordinator, today = people["coordinator"], datetime.date.today()

    def household(postcode, number, *answers):
        household = HouseholdFactory(dwelling__postcode=postcode, dwelling__house_number=number)
        for share in answers:
            record_consent(household, by=coordinator, statement_version="2022-1", given_on=today, processing=True,
                           share_address_level=share)
        return household

    a = household("1211 AB", 12, True)
    a.dwelling.house_letter, a.dwelling.house_number_addition = "a", "2"
    a.dwelling.save()
    return {"a": a, "b": household("1211 AB", 14, False), "c": household("1211 AB", 16, True, False),
            "d": withdrawn(household("1211 AB", 18, True), coordinator)}


def withdrawn(household, by):
    withdraw_consent(household, by=by)
    household.refresh_from_db()
    return household


def test_the_address_level_holds_only_households_whose_current_consent_includes_it(consents, people):
    export = made(people, level="address")

    rows = csv_rows(export)

    assert consents["d"].status == Household.Status.CLOSED and consents["d"].reached_at is not None
    assert rows == [{"postcode": "1211AB", "house_number": "12", "house_letter": "a", "house_number_addition": "2",
                     "energy_label": "D", "dwelling_type": "terraced", "build_year": "1962",
                     "build_year_band": "built_1946_1964", "floor_area_m2": "84.0", "package_installed": "false",
                     "large_measure": "", "large_measure_status": ""}]
    assert export.counts == {"rows": 1, "addresses": 1}
    assert consents["a"].contact_name not in bytes(export.content).decode()


def test_a_household_leaves_the_address_level_when_its_consent_is_withdrawn(consents, people):
    before = made(people, level="address", file_format="json")
    withdrawn(consents["a"], people["coordinator"])
    after = made(people, level="address", file_format="json")

    assert [row["house_number"] for row in json.loads(bytes(before.content))["rows"]] == [12]
    assert json.loads(bytes(after.content))["rows"] == []


def test_the_address_level_names_the_large_measure_and_the_package(people):
    household = with_installed_package(people["handyman"], "1222 PN")
    record_consent(household, by=people["coordinator"], statement_version="2022-1", given_on=datetime.date.today(),
                   processing=True, share_address_level=True)
    application = application_in("approved", people, household__dwelling__postcode="1215 BM", measure="floor")
    record_consent(application.household, by=people["coordinator"], statement_version="2022-1",
                   given_on=datetime.date.today(), processing=True, share_address_level=True)

    rows = json.loads(bytes(made(people, level="address", file_format="json").content))["rows"]

    assert [(row["postcode"], row["package_installed"], row["large_measure"], row["large_measure_status"])
            for row in rows] == [("1215BM", False, "floor", "approved"), ("1222PN", True, "", "")]


def test_every_export_is_recorded_in_the_audit_trail(register, client, immediate_tasks):
    coordinator = register["coordinator"]
    client.force_login(coordinator)

    client.post(reverse("reports:province"), {"programme": _programme().pk, "level": "postcode6",
                                              "file_format": "csv"})
    export = ProvinceExport.objects.get()
    client.get(reverse("reports:province_download", args=[export.pk]))

    events = list(AuditEvent.objects.for_object(export).order_by("pk"))
    scope = {"level": "postcode6", "format": "csv", "programme": "hilversum-2022"}
    assert [(event.action, event.actor) for event in events] == [
        ("province_export_requested", coordinator), ("province_export_made", None),
        ("province_export_downloaded", coordinator)]
    assert events[0].data == scope and events[2].data == scope
    assert events[1].data == {**scope, "rows": 4, "dwellings": 22, "postcode6_areas": 2, "postcode4_remainders": 2,
                              "suppressed_cells": 46}


def test_the_coordinator_makes_an_export_and_downloads_it_from_the_list(register, client, immediate_tasks):
    client.force_login(register["coordinator"])

    response = client.post(reverse("reports:province"), {"programme": _programme().pk, "level": "postcode6",
                                                         "file_format": "json"})
    export = ProvinceExport.objects.get()
    status = client.get(response.url).content.decode()
    page = client.get(reverse("reports:province")).content.decode()
    download = client.get(reverse("reports:province_download", args=[export.pk]))

    assert response.url == reverse("reports:province_status", args=[export.pk])
    assert "De export staat klaar: 22 woningen, 4 rijen, 46 cellen weggelaten." in " ".join(status.split())
    assert "Eerdere exports" in page and reverse("reports:province_download", args=[export.pk]) in page
    assert "Per postcode-6 (aantallen, onder 5 weggelaten)" in page
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"].startswith('attachment; filename="provincie-hilversum-2022-postcode6-')
    assert json.loads(download.content)["rows"][0]["area"] == "1211AB"


def test_a_wrong_choice_is_refused_on_its_field_and_nothing_is_made(people, client):
    client.force_login(people["coordinator"])

    response = client.post(reverse("reports:province"), {"programme": _programme().pk, "level": "street",
                                                         "file_format": "xlsx"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "Selecteer een geldige keuze. street is geen beschikbare keuze." in form.errors["level"]
    assert "Selecteer een geldige keuze. xlsx is geen beschikbare keuze." in form.errors["file_format"]
    assert not ProvinceExport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="province_export").exists()


def test_the_status_part_polls_until_the_export_is_ready_and_is_not_downloadable_before(people, client):
    export = request_export(_programme(), by=people["coordinator"], level="postcode6", file_format="csv")
    client.force_login(people["coordinator"])
    url = reverse("reports:province_status", args=[export.pk])

    waiting = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    early = client.get(reverse("reports:province_download", args=[export.pk]))
    make_province_export.call(export.pk)
    ready = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in waiting and "<html" not in waiting
    assert early.status_code == 404
    assert "hx-trigger" not in ready and reverse("reports:province_download", args=[export.pk]) in ready


def test_the_queries_do_not_grow_with_the_register(people):
    def queries_to_make(level):
        export = request_export(_programme(), by=people["coordinator"], level=level, file_format="csv")
        with CaptureQueriesContext(connection) as queries:
            make_province_export.call(export.pk)
        return len(queries)

    small = [reached(f"12{11 + n} AB") for n in range(3)]
    for household in small:
        record_consent(household, by=people["coordinator"], statement_version="2022-1",
                       given_on=datetime.date.today(), processing=True, share_address_level=True)
    before = (queries_to_make("postcode6"), queries_to_make("address"))
    for n in range(30):
        household = reached(f"13{11 + n} AB")
        record_consent(household, by=people["coordinator"], statement_version="2022-1",
                       given_on=datetime.date.today(), processing=True, share_address_level=True)
    with_installed_package(people["handyman"], "1411 AB")

    assert (queries_to_make("postcode6"), queries_to_make("address")) == before


def test_the_page_lists_earlier_exports_in_a_fixed_number_of_queries(people, client, django_assert_max_num_queries):
    client.force_login(people["coordinator"])
    for _ in range(2):
        request_export(_programme(), by=people["coordinator"], level="postcode6", file_format="csv")
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("reports:province"))
    for _ in range(10):
        request_export(_programme(), by=people["coordinator"], level="address", file_format="json")

    with django_assert_max_num_queries(len(two)):
        page = client.get(reverse("reports:province"))
    assert len(re.findall(r'href="/rapportage/provincie/\d+/"', page.content.decode())) == 12


def test_the_form_links_its_help_text_and_errors_to_their_fields(people, client):
    from tests.test_forms_link_their_help_texts import references

    client.force_login(people["coordinator"])
    empty = client.get(reverse("reports:province")).content.decode()
    wrong = client.post(reverse("reports:province"), {"level": "street"}).content.decode()

    assert references(empty)[0] >= 1 and references(empty)[1] == []
    assert references(wrong)[0] >= 2 and references(wrong)[1] == []


def test_a_file_per_address_is_kept_for_24_hours_and_then_emptied(consents, people, client):
    old = made(people, level="address")
    counts = made(people)
    ProvinceExport.objects.filter(pk__in=[old.pk, counts.pk]).update(
        finished_at=timezone.now() - datetime.timedelta(hours=25))
    client.force_login(people["coordinator"])

    refused = client.get(reverse("reports:province_download", args=[old.pk]))
    page = client.get(reverse("reports:province")).content.decode()
    request_export(_programme(), by=people["coordinator"], level="postcode6", file_format="csv")

    assert refused.status_code == 404
    assert "Niet meer bewaard" in page
    old.refresh_from_db()
    assert old.content is None and old.counts == {"rows": 1, "addresses": 1}  # the record stays
    assert client.get(reverse("reports:province_download", args=[counts.pk])).status_code == 200


def test_text_cells_are_written_formula_safe_and_suppressed_counts_as_x():
    content = csv_content(("area", "dwellings", "package_installed"),
                          [{"area": "=HYPERLINK(1)", "dwellings": None, "package_installed": True}])

    assert content.decode() == "area;dwellings;package_installed\r\n'=HYPERLINK(1);x;true\r\n"


def test_an_export_that_fails_says_so(people, monkeypatch):
    export = request_export(_programme(), by=people["coordinator"], level="postcode6", file_format="csv")

    def broken(programme):
        raise RuntimeError("database gone")

    monkeypatch.setattr("reports.province.counts_per_postcode6", broken)
    with pytest.raises(RuntimeError):
        make_province_export.call(export.pk)

    export.refresh_from_db()
    assert export.status == ProvinceExport.Status.FAILED and export.content is None
    assert not AuditEvent.objects.filter(action="province_export_made").exists()


def test_the_coordinator_finds_the_export_in_the_navigation_and_others_do_not(people, client):
    client.force_login(people["coordinator"])
    start = client.get("/").content.decode()
    client.force_login(people["finance"])

    assert "Export voor de provincie" in start and reverse("reports:province") in start
    assert "Export voor de provincie" not in client.get("/").content.decode()


def consenting(postcode: str, consents: bool, by, **dwelling):
    household = reached(postcode, **dwelling)
    record_consent(household, by=by, statement_version="2022-1", given_on=datetime.date.today(), processing=True,
                   share_address_level=consents)
    return household


def listed_per_column(address_rows: list[dict]) -> dict[str, dict[str, int]]:
    """What the file per address says, counted per postcode-6 in the columns of the postcode-6 level."""
    counted: dict[str, dict[str, int]] = {}
    for row in address_rows:
        label = row["energy_label"]
        label = ("label_a_or_better" if label.startswith("A") else "label_unknown" if label == "unknown"
                 else f"label_{label.lower()}")
        cells = ["dwellings", label, f"type_{row['dwelling_type'] or 'unknown'}", row["build_year_band"]]
        cells += ["package_installed"] if row["package_installed"] == "true" else []
        cells += [f"large_{row['large_measure']}_{row['large_measure_status']}"] if row["large_measure"] else []
        area = counted.setdefault(row["postcode"], dict.fromkeys(POSTCODE6_COLUMNS[2:], 0))
        for cell in cells:
            area[cell] += 1
    return counted


def test_the_postcode6_level_minus_the_addresses_does_not_describe_the_households_that_did_not_consent(people):
    coordinator = people["coordinator"]
    # The reviewer's example. 1211 AB: label D 5 and E 5, all but one E listed per address: 10 - 9 = 1 not
    # consenting, with label E. 1217 GH: D 10 and E 10, D 9 and E 5 listed: 1 D and 5 E not consenting.
    for label, consents in [("D", True)] * 5 + [("E", True)] * 4 + [("E", False)]:
        consenting("1211 AB", consents, coordinator, energy_label=label)
    for label, consents in [("D", True)] * 9 + [("D", False)] + [("E", True)] * 5 + [("E", False)] * 5:
        consenting("1217 GH", consents, coordinator, energy_label=label)

    areas = csv_rows(made(people))
    listed = listed_per_column(csv_rows(made(people, level="address")))

    assert [(row["area"], row["dwellings"], row["label_d"], row["label_e"]) for row in areas] == [
        ("1211", "x", "x", "x"),  # 1 household not consenting: the area cannot be published at all
        ("1217GH", "20", "x", "x"),  # D 10 - 9 listed would be that one D
    ]
    assert sum(listed[code]["dwellings"] for code in listed) == 23
    published = {row["area"]: row for row in areas if row["area_level"] == "postcode6"}
    for code, row in published.items():
        for column in POSTCODE6_COLUMNS[2:]:
            if row[column] != "x":
                assert not 0 < int(row[column]) - listed[code][column] < 5, (code, column)
