"""Files in and out (issue 14, item 8): every file the system serves goes through accounts.downloads.attachment_response
(a download, never shown in the page: attachment, nosniff, no-store) after a permission check, and every file it
accepts is recognised by its content in accounts.uploads (a program or web page under a spreadsheet's name, a zip
that is not a workbook, a file over the limit: refused with a Dutch sentence, nothing stored).

`FILE_URLS` lists the URL names that serve files. A guard reads the source of every named URL's view and fails when
one that calls attachment_response is not in the list; each listed URL is then requested as the access matrix
(tests/<app>/access*.py) declares it: as a role it allows (the file, with the headers) and as one it refuses.
"""

import inspect
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.uploads import CSV, XLSX, FileRefused, check_spreadsheet, check_upload
from households.models import HouseholdImport
from tests.access import Context, access_modules

FILE_URLS = [
    "households:import_template",
    "households:import_template_xlsx",
    "households:inzage_download",
    "subsidy:document",
    "subsidy:letter",
    "subsidy:status_document",
    "subsidy:status_letter",
    "subsidy:payment_batch_download",
    "fieldwork:resident_report",
    "reports:programme_file_download",
    "reports:province_download",
    "reports:list_export_download",
]
REFUSED = {302, 403, 404}


def _named_views(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_views(pattern.url_patterns,
                                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", getattr(pattern.callback, "cls", None) or inspect.unwrap(
                pattern.callback)


def test_every_view_that_serves_a_file_is_in_the_list():
    serving = set()
    for name, view in _named_views():
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):  # Django's own views (admin, i18n) are not ours
            continue
        if "attachment_response(" in source:
            serving.add(name)

    assert sorted(serving - set(FILE_URLS)) == [], "views that serve files without a line in FILE_URLS"
    assert sorted(set(FILE_URLS) - serving) == [], "FILE_URLS names a view that no longer serves a file"


OUR_APPS = {"accounts", "budget", "eligibility", "households", "subsidy", "fieldwork", "reports", "config"}


def test_no_view_of_ours_sets_content_disposition_by_hand():
    by_hand = [name for name, view in _named_views() if view.__module__.split(".")[0] in OUR_APPS
               and "Content-Disposition" in _source(view)]

    assert by_hand == []


def _source(view) -> str:
    try:
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


def _cases(name: str):
    for module in access_modules():
        for url in module.URLS:
            if url.name == name and url.method == "get":
                yield module, url


def _get(client, users_by_role, module, url, objects, role):
    client.logout()
    if role != "anonymous":
        client.force_login(users_by_role[role])
    return client.get(reverse(url.name, kwargs=url.kwargs(objects) if url.kwargs else None))


@pytest.mark.parametrize("name", FILE_URLS)
def test_a_file_is_a_download_for_a_role_allowed_and_refused_to_one_that_is_not(client, users_by_role, programme,
                                                                                 name):
    cases = list(_cases(name))
    assert cases, f"{name} has no access expectations"
    allowed = refused = 0
    built = {}
    for module, url in cases:
        if module.__name__ not in built:
            built[module.__name__] = module.build(Context(users=users_by_role, programme=programme)) \
                if hasattr(module, "build") else {}
        objects = built[module.__name__]
        role = next((role for role, status in url.expect.items() if status == 200), None)
        if role is not None:
            response = _get(client, users_by_role, module, url, objects, role)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment; filename=")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            allowed += 1
        role = next((role for role, status in url.expect.items() if status in REFUSED), None)
        if role is not None:
            response = _get(client, users_by_role, module, url, objects, role)
            assert response.status_code == url.expect[role]
            assert "Content-Disposition" not in response
            refused += 1

    assert allowed and refused, f"{name}: the access matrix should allow it to one role and refuse it to another"


# --- Files in ------------------------------------------------------------------------------------------------------

def workbook() -> bytes:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return content.getvalue()


def zip_of(**files: str) -> bytes:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return content.getvalue()


PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"  <!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("lijst.xlsx", workbook(), XLSX),
    ("lijst.csv", b"Kenmerk;Contactpersoon\nHIL-1;Mevrouw Jansen\n", CSV),
    ("lijst.csv", "\ufeffKenmerk;Contactpersoon\nHIL-1;Zoë\n".encode(), CSV),  # Excel's "CSV UTF-8"
    ("lijst.csv", "Kenmerk;Contactpersoon\nHIL-1;Zoë\n".encode("cp1252"), CSV),  # a Dutch Excel's "CSV"
])
def test_spreadsheets_are_recognised_by_their_content(name, content, kind):
    assert check_spreadsheet(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(("name", "content", "code"), [
    ("lijst.xlsx", PROGRAM, "not_xlsx"),
    ("lijst.xlsx", zip_of(**{"notities.txt": "geen werkboek"}), "not_xlsx"),
    ("lijst.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not_xlsx"),  # a broken archive
    ("lijst.csv", HTML, "not_csv"),
    ("lijst.csv", workbook(), "not_csv"),
    ("lijst.csv", b"Kenmerk;Naam\nHIL-1;\x00\x01\x02", "not_csv"),
    ("lijst.exe", workbook(), "wrong_type"),
    ("lijst.xlsx", b"", "empty"),
])
def test_what_is_not_the_spreadsheet_its_name_says_is_refused(name, content, code):
    with pytest.raises(FileRefused) as refused:
        check_spreadsheet(SimpleUploadedFile(name, content))

    assert refused.value.code == code


def test_documents_stay_pdf_jpeg_or_png_and_a_spreadsheet_is_not_a_document():
    with pytest.raises(FileRefused) as refused:
        check_upload(SimpleUploadedFile("offerte.pdf", workbook()))

    assert refused.value.code == "wrong_type"


IMPORT_REFUSALS = [
    ("program renamed .xlsx", "lijst.xlsx", PROGRAM,
     "Dit is geen xlsx-bestand. Sla het in Excel op als .xlsx of .csv."),
    ("web page renamed .csv", "lijst.csv", HTML, "Dit is geen csv-tekstbestand."),
    ("zip that is not a workbook", "lijst.xlsx", zip_of(**{"word/document.xml": "<w/>"}),
     "Dit is geen xlsx-bestand. Sla het in Excel op als .xlsx of .csv."),
    ("21 MB", "lijst.csv", b"Kenmerk;Naam\n" + b"HIL-1;x\n" * (21 * 1024 * 1024 // 8),
     "Het bestand is groter dan 20 MB. Splits het in kleinere bestanden."),
]


@pytest.mark.parametrize(("name", "content", "sentence"), [(n, c, s) for _i, n, c, s in IMPORT_REFUSALS],
                         ids=[i for i, _n, _c, _s in IMPORT_REFUSALS])
def test_the_import_refuses_what_is_not_a_spreadsheet_in_dutch_and_stores_nothing(client, programme, coordinator,
                                                                                    name, content, sentence):
    client.force_login(coordinator)

    response = client.post(reverse("households:import"),
                           {"programme": programme.pk, "file": SimpleUploadedFile(name, content)})

    page = response.content.decode()
    assert response.status_code in (200, 413)
    assert sentence in page
    assert not HouseholdImport.objects.exists()
