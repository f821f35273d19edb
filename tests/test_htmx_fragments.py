"""Pages that htmx updates in part answer the part to htmx and the whole page to the browser, and say that
the answer depends on it (`Vary: HX-Request`), so the browser's cache never shows one for the other.

Every view that answers htmx differently goes through `accounts.htmx`; no view reads the header itself.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from households.models import HouseholdImport, InzageExport
from reports.models import ListExport, ProvinceExport, ReportFile
from subsidy.models import PaymentBatch
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "budget", "eligibility", "households", "subsidy", "fieldwork", "reports")


@pytest.fixture
def fragment_pages(programme, coordinator, finance_officer):
    HouseholdFactory(programme=programme, contact_name="Familie Mulder")
    job = HouseholdImport.objects.create(programme=programme, filename="huishoudens.csv", content=b"",
                                         requested_by=coordinator)
    batch = PaymentBatch.objects.create(programme=programme, requested_by=finance_officer, execution_date="2022-09-01")
    return {
        "households list": (coordinator, reverse("households:list") + "?q=Mulder"),
        "household import status": (coordinator, reverse("households:import_status", args=[job.pk])),
        "inzage export status": (coordinator, reverse("households:inzage", args=[InzageExport.objects.create(
            household=HouseholdFactory(programme=programme), requested_by=coordinator).pk])),
        "payment batch status": (finance_officer, reverse("subsidy:payment_batch", args=[batch.pk])),
        "province export status": (coordinator, reverse("reports:province_status", args=[ProvinceExport.objects.create(
            programme=programme, requested_by=coordinator, file_format="csv", scope={"level": "postcode6"}).pk])),
        "programme report file status": (finance_officer, reverse("reports:programme_file", args=[
            ReportFile.objects.create(programme=programme, requested_by=coordinator, file_format="pdf",
                                      starts_on="2022-01-01", ends_on="2022-12-31").pk])),
        "list export status": (coordinator, reverse("reports:list_export", args=[ListExport.objects.create(
            kind="households", requested_by=coordinator, file_format="csv").pk])),
        "DIY calculator": (None, reverse("eligibility:diy_calculator") + "?programme=hilversum-2022&date=2022-09-01"
                                 "&measure=roof&area_m2=70"),
        "DIY estimate in the application form": (None, reverse("subsidy:diy_estimate") + "?programme=hilversum-2022"
                                                       "&measure=roof&diy_area_m2=70"),
    }


PAGES = ["households list", "household import status", "inzage export status", "payment batch status",
         "province export status", "programme report file status",
         "list export status", "DIY calculator", "DIY estimate in the application form"]


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_and_its_htmx_fragment_say_they_vary_on_the_htmx_header(client, fragment_pages, name):
    user, url = fragment_pages[name]
    if user:
        client.force_login(user)

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert "hx-request" in vary(page) and "hx-request" in vary(fragment)


@pytest.mark.parametrize("name", PAGES)
def test_a_history_restore_gets_the_whole_page(client, fragment_pages, name):
    user, url = fragment_pages[name]
    if user:
        client.force_login(user)

    restored = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in restored.content.decode()
    assert "hx-history-restore-request" in vary(restored)


def test_no_view_reads_the_htmx_headers_itself():
    """A view that looked at HX-Request without accounts.htmx would answer without `Vary`."""
    readers = [
        str(path.relative_to(ROOT))
        for app in APPS if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if path != ROOT / "accounts" / "htmx.py"
        and re.search(r"HX-Request|HX_REQUEST|request\.htmx", path.read_text(encoding="utf-8"))
    ]

    assert readers == []


def test_every_htmx_request_in_the_templates_goes_to_a_page_that_varies_on_it():
    """The templates' hx-get/hx-post targets are the pages above (plus the list's own sort links); a file made in
    the background names the page it polls in the block `poll_url` of reports/_file_status.html."""
    targets = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for match in re.finditer(r"(?:hx-(?:get|post)=\"|\{% block poll_url %\})\{% url '([\w:-]+)'",
                                 template.read_text(encoding="utf-8")):
            targets.add(match[1])

    assert targets == {"households:list", "households:import_status", "households:inzage",
                       "eligibility:diy_calculator", "subsidy:payment_batch", "subsidy:diy_estimate",
                       "reports:province_status", "reports:programme_file",
                       "reports:list_export"}
