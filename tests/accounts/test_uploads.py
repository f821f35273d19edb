"""Uploaded files: accepted by their content, refused with a sentence for the field, kept without a URL,
handed out only as a download that a browser does not sniff or store."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.downloads import attachment_response, content_disposition
from accounts.errors import Refused
from accounts.uploads import JPEG, PDF, PNG, PrivateStorage, check_upload, extension_for, random_name

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 80, 20)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(content: bytes, name: str = "offerte.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (MINIMAL_PDF, "offerte.pdf", PDF),
        (image_bytes("JPEG"), "foto.jpg", JPEG),
        (image_bytes("PNG"), "foto.png", PNG),
    ],
)
def test_a_pdf_jpeg_or_png_is_accepted_and_its_type_recognised(content, name, expected):
    file = upload(content, name)

    assert check_upload(file) == expected
    assert file.read() == content  # left at its start, to be stored whole


def test_the_content_decides_not_the_name():
    assert check_upload(upload(image_bytes("PNG"), "scan.pdf")) == PNG
    assert check_upload(upload(MINIMAL_PDF, "factuur.jpg", "image/jpeg")) == PDF


def test_an_empty_file_is_refused_on_its_field():
    with pytest.raises(Refused, match="Het bestand is leeg") as refusal:
        check_upload(upload(b""), field="quote")

    assert refusal.value.field == "quote"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb():
    big = upload(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))

    with pytest.raises(Refused, match="groter dan 10 MB") as refusal:
        check_upload(big, field="invoice")

    assert refusal.value.field == "invoice"


def test_a_file_of_exactly_the_limit_is_accepted():
    assert check_upload(upload(MINIMAL_PDF), max_bytes=len(MINIMAL_PDF)) == PDF


def test_a_smaller_limit_is_named_in_the_sentence():
    with pytest.raises(Refused, match=r"groter dan 0,5 MB"):
        check_upload(upload(b"%PDF-" + b"0" * 600_000), max_bytes=512 * 1024)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "offerte.pdf"),  # a Windows program
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "offerte.pdf"),
        (b"Dit is gewoon tekst, hernoemd naar .pdf\n", "offerte.pdf"),
        (b"GIF89a\x01\x00\x01\x00", "foto.png"),
        (b" %PDF-1.4 with something before it", "offerte.pdf"),
    ],
    ids=["exe", "html", "text", "gif", "pdf-not-at-start"],
)
def test_content_that_is_not_pdf_jpeg_or_png_is_refused(content, name):
    with pytest.raises(Refused, match="alleen bestanden in PDF, JPEG of PNG") as refusal:
        check_upload(upload(content, name), field="proof_of_income")

    assert refusal.value.field == "proof_of_income"


def test_a_field_can_accept_fewer_types():
    with pytest.raises(Refused, match="alleen bestanden in PDF worden"):
        check_upload(upload(image_bytes("JPEG"), "offerte.jpg"), allowed={PDF})


def test_a_type_without_a_content_check_cannot_be_allowed():
    with pytest.raises(ValueError, match="text/html"):
        check_upload(upload(b"<p>a</p>\n"), allowed={PDF, "text/html"})


def test_any_file_object_can_be_checked():
    assert check_upload(io.BytesIO(image_bytes("PNG"))) == PNG
    assert check_upload(ContentFile(MINIMAL_PDF, name="x.pdf")) == PDF


def test_a_stored_name_is_random_and_keeps_only_the_extension():
    first, second = random_name(".pdf"), random_name("PDF")

    assert first != second
    assert first.endswith(".pdf") and second.endswith(".pdf")
    assert len(first) == 32 + len(".pdf")
    assert random_name(extension_for(JPEG)).endswith(".jpg")


@pytest.mark.parametrize("extension", ["", ".", "../pdf", "p/df", ".pdf\n", ".verylongextension"])
def test_an_extension_that_is_not_one_is_refused(extension):
    with pytest.raises(ValueError):
        random_name(extension)


def test_private_files_are_kept_under_their_own_root_and_have_no_url(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    storage = PrivateStorage()

    name = storage.save(f"documents/{random_name('.pdf')}", ContentFile(MINIMAL_PDF))

    assert (tmp_path / "private" / name).read_bytes() == MINIMAL_PDF
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


def test_the_private_root_is_outside_static_and_media(settings):
    from django.conf import settings as configured

    private = Path(configured.PRIVATE_FILES_ROOT).resolve()
    for other in [configured.MEDIA_ROOT, configured.STATIC_ROOT, *configured.STATICFILES_DIRS]:
        other = Path(other).resolve()
        assert not private.is_relative_to(other) and not other.is_relative_to(private)


def test_one_storage_follows_the_setting_as_a_model_field_keeps_it(settings, tmp_path):
    storage = PrivateStorage()
    settings.PRIVATE_FILES_ROOT = tmp_path / "elsewhere"

    assert storage.path("documents/x.pdf") == str(tmp_path / "elsewhere" / "documents" / "x.pdf")


def header_parts(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_bytes_are_handed_out_as_a_download_that_is_not_sniffed_or_stored():
    response = attachment_response(MINIMAL_PDF, filename="beschikking-HIL-00042.pdf", content_type=PDF)

    assert response.content == MINIMAL_PDF
    assert response["Content-Type"] == PDF
    assert response["Content-Length"] == str(len(MINIMAL_PDF))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"beschikking-HIL-00042.pdf\"; filename*=UTF-8''beschikking-HIL-00042.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= header_parts(response)


def test_a_stored_file_is_streamed_as_a_download(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    storage = PrivateStorage()
    name = storage.save(random_name(".png"), ContentFile(image_bytes("PNG")))

    with storage.open(name) as stored:
        response = attachment_response(stored, filename="foto dak.png", content_type=PNG)
        body = b"".join(response.streaming_content)

    assert body == image_bytes("PNG")
    assert response["Content-Type"] == PNG
    assert response["Content-Disposition"].startswith('attachment; filename="foto dak.png"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= header_parts(response)


def test_a_name_with_accents_gets_an_ascii_name_and_the_exact_one_encoded():
    assert content_disposition("offerte Coördinatie € 5.000.pdf") == (
        "attachment; filename=\"offerte Coordinatie _ 5.000.pdf\"; "
        "filename*=UTF-8''offerte%20Co%C3%B6rdinatie%20%E2%82%AC%205.000.pdf"
    )


@pytest.mark.parametrize(
    "filename", ['x"; filename="evil.html', "..\\..\\evil.pdf", "../etc/passwd", "a\r\nSet-Cookie: x=1.pdf"]
)
def test_a_name_cannot_break_out_of_the_header_or_name_a_path(filename):
    header = content_disposition(filename)
    ascii_part = header.split("; filename*=")[0]

    assert ascii_part.count('"') == 2
    assert "/" not in ascii_part and "\\" not in ascii_part
    assert "\r" not in header and "\n" not in header
    assert "%2F" not in header and "%5C" not in header  # no separator in the exact name either

