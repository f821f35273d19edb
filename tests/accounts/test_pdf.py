"""PDF letters: readable text, the shipped font embedded, PDF/UA in Dutch, and nothing fetched from outside."""

import io
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

import accounts.pdf
from accounts.pdf import ResourceRefused, StaticFilesOnly, render_pdf, render_pdf_template, static_prefix

PAGE = '<!DOCTYPE html><html lang="nl"><head><title>Besluit</title></head><body>{}</body></html>'
HILVERSUM = SimpleNamespace(municipality="Hilversum", name="Aanpak energiearmoede Hilversum 2022")


def letter(**context) -> bytes:
    return render_pdf_template(
        "pdf/base_letter.html",
        {
            "programme": HILVERSUM,
            "sender_lines": ["Postbus 9900", "1201 GM Hilversum"],
            "recipient_lines": ["J. de Vries", "Kerkstraat 1", "1211 AB Hilversum"],
            "reference": "HIL-00042",
            "subject": "Besluit op uw aanvraag",
            "signatory_name": "A. Bakker",
            "signatory_function": "Coördinator energiearmoede",
            **context,
        },
    )


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def embedded_font_names(pdf: bytes) -> set[str]:
    """The fonts whose program is in the PDF (a subset's prefix `ABCDEF+` left off)."""
    names = set()
    for page in read(pdf).pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def test_html_becomes_a_pdf_whose_text_can_be_read():
    pdf = render_pdf(PAGE.format("<p>U krijgt € 2.730,00 subsidie voor dakisolatie.</p>"))

    assert pdf.startswith(b"%PDF-")
    assert "U krijgt € 2.730,00 subsidie voor dakisolatie." in text_of(pdf)


def test_the_letter_shows_the_letterhead_addressee_and_signatory_in_dutch():
    text = text_of(letter())

    for expected in [
        "Gemeente Hilversum",
        "Aanpak energiearmoede Hilversum 2022",
        "Postbus 9900",
        "J. de Vries",
        "1211 AB Hilversum",
        "Ons kenmerk",
        "HIL-00042",
        "Besluit op uw aanvraag",
        "Met vriendelijke groet,",
        "Namens het college van burgemeester en wethouders van Hilversum,",
        "A. Bakker",
        "Coördinator energiearmoede",
    ]:
        assert expected in text


def test_the_letter_is_in_dutch_whatever_language_the_user_has():
    with translation.override("en"):
        text = text_of(letter())

    assert "Met vriendelijke groet," in text


def test_the_pdf_is_tagged_pdf_ua_in_dutch_with_its_title():
    pdf = letter()
    reader = read(pdf)
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Besluit op uw aanvraag"
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def test_html_without_a_language_or_a_title_is_refused():
    with pytest.raises(ValueError, match="lang"):
        render_pdf("<html><head><title>Besluit</title></head><body>x</body></html>")
    with pytest.raises(ValueError, match="title"):
        render_pdf('<html lang="nl"><head></head><body>x</body></html>')


def test_the_shipped_font_is_read_from_the_static_files_and_embedded(monkeypatch):
    served = []
    original = accounts.pdf.static_file

    def recording(url):
        path = original(url)
        served.append(path)
        return path

    monkeypatch.setattr(accounts.pdf, "static_file", recording)

    pdf = render_pdf(PAGE.format("<p>Gewone tekst en <strong>vette tekst</strong>.</p>"))

    assert finders.find("fonts/DejaVuSans.ttf") in [str(path) for path in served]
    assert finders.find("fonts/DejaVuSans-Bold.ttf") in [str(path) for path in served]
    assert embedded_font_names(pdf) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_the_fonts_licence_ships_with_them():
    licence = finders.find("fonts/LICENSE-DejaVu.txt")

    assert licence
    assert "Bitstream Vera Fonts Copyright" in Path(licence).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://127.0.0.1:8000/static/css/print.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x.png",
        "https://warmhuis.invalid/x.png",
    ],
)
def test_the_fetcher_refuses_every_address_but_the_static_files(url):
    with pytest.raises(ResourceRefused):
        StaticFilesOnly().fetch(url)


@pytest.mark.parametrize(
    "name", ["../config/settings.py", "%2e%2e/config/settings.py", "css/../../manage.py", "/etc/passwd"]
)
def test_the_fetcher_refuses_a_way_out_of_the_static_folders(name):
    with pytest.raises(ResourceRefused):
        StaticFilesOnly().fetch(static_prefix() + name)


def test_the_fetcher_serves_a_static_file_from_disk():
    response = StaticFilesOnly().fetch(static_prefix() + "css/print.css")

    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"


def test_the_fetcher_refuses_a_static_file_that_does_not_exist():
    with pytest.raises(ResourceRefused, match="No such static file"):
        StaticFilesOnly().fetch(static_prefix() + "img/nope.png")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="https://example.com/x.png" alt="">',
        '<img src="file:///etc/passwd" alt="">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '<p class="x">x</p><style>.x { background: url("file:///etc/passwd") }</style>',
    ],
)
def test_a_document_that_refers_to_another_address_is_not_rendered_and_nothing_is_fetched(monkeypatch, markup):
    def no_network(*args, **kwargs):
        raise AssertionError("a network or file fetch was attempted")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", no_network)

    with pytest.raises(ResourceRefused, match="Only the project's static files"):
        render_pdf(PAGE.format(markup))


def test_a_static_image_can_be_used():
    pdf = render_pdf(PAGE.format('<img src="/static/favicon.svg" alt="Warmhuis">'))

    assert pdf.startswith(b"%PDF-")


def test_static_files_from_a_cdn_address_are_read_from_disk_not_fetched(settings):
    settings.STATIC_URL = "https://cdn.example.nl/static/"

    pdf = render_pdf(PAGE.format('<img src="https://cdn.example.nl/static/favicon.svg" alt="Warmhuis"><p>Tekst</p>'))

    assert "Tekst" in text_of(pdf)
