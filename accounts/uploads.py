"""Every file the system accepts from users, and where it keeps them: the one module for files in (issue 14, item 8).

- `check_upload` decides what a file is by its content, never by its name or the browser's
  Content-Type: a PDF starts with `%PDF-`, a JPEG with FF D8 FF, a PNG with its eight-byte signature.
  An empty file, one over the size limit, or content of another kind (a program, a web page, a text file
  renamed `.pdf`) is refused with a sentence for the form field. The name's extension is not compared:
  the stored name is made anew (`random_name`) from the recognised type. Documents: `DOCUMENT_TYPES`.
- `check_spreadsheet` does the same for the household import's lists (`SPREADSHEET_TYPES`, at most 20 MB): an
  XLSX workbook is a ZIP archive (`PK\x03\x04`) that holds `[Content_Types].xml` and `xl/workbook.xml` (any other
  archive, or a broken one, is refused); a CSV is text, UTF-8 (with or without BOM) or Windows-1252 as a Dutch
  Excel saves it, without NUL or other control characters than tab and line breaks, and not markup (a web page
  renamed `.csv` starts with `<`). Here the name's extension must agree with the content, because the import
  reads the file by it.
- Refusals are `FileRefused` (a `Refused` with a `code`: empty, too_large, wrong_type, not_xlsx, not_csv), so a
  form can keep its error codes.
- `PrivateStorage` keeps such files under `PRIVATE_FILES_ROOT` (`DJANGO_PRIVATE_ROOT`), outside the
  static and media folders, and gives them no URL: they leave the system only through views that check
  permissions (`accounts.downloads.attachment_response`).
"""

import codecs
import os
import re
import uuid
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.errors import Refused

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG})
SPREADSHEET_TYPES = frozenset({XLSX, CSV})
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SPREADSHEET_BYTES = 20 * 1024 * 1024  # 50,000 households in the template: about 7 MB as xlsx, 12 MB as csv
ZIP_SIGNATURE = b"PK\x03\x04"
WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
# In a CSV: C0 control characters but tab, line feed and carriage return (a program or archive has them).
NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_CHUNK = 1024 * 1024

# Content type → the bytes its files start with.
SIGNATURES = {
    PDF: b"%PDF-",
    JPEG: b"\xff\xd8\xff",
    PNG: b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", XLSX: ".xlsx", CSV: ".csv"}
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "Excel (xlsx)", CSV: "csv"}
SPREADSHEET_EXTENSIONS = {".xlsx": XLSX, ".csv": CSV}


class FileRefused(Refused):
    """A file that may not be kept, with the sentence for its field and a `code` saying why."""

    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(message, field=field)
        self.code = code
EXTENSION = re.compile(r"\.?[a-z0-9]{1,10}")


def content_type_of(head: bytes) -> str | None:
    """The content type whose signature `head` (a file's first bytes) starts with; None when none does."""
    for content_type, signature in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(
    file,
    *,
    allowed: set[str] | frozenset[str] = DOCUMENT_TYPES,
    max_bytes: int = MAX_UPLOAD_BYTES,
    field: str | None = None,
) -> str:
    """The content type of an uploaded file, recognised by its content; Refused when it may not be kept.

    `file` is a Django `UploadedFile` or any file object (read from its start; left at its start).
    """
    unknown = set(allowed) - SIGNATURES.keys() - SPREADSHEET_TYPES
    if unknown:
        raise ValueError(f"No content check for {sorted(unknown)}: only {sorted(EXTENSIONS)} are recognised")
    _check_size(file, max_bytes=max_bytes, field=field)
    content_type = recognised_type(file, allowed=allowed)
    if content_type not in allowed:
        names = get_text_list([TYPE_NAMES[kind] for kind in EXTENSIONS if kind in allowed])
        raise FileRefused(
            _("Only %(types)s files are accepted here; this file is of another kind.") % {"types": names},
            code="wrong_type", field=field,
        )
    return content_type


def check_spreadsheet(file, *, max_bytes: int = MAX_SPREADSHEET_BYTES, field: str | None = None) -> str:
    """XLSX or CSV, recognised by its content, whose name's extension says the same; FileRefused otherwise."""
    claimed = SPREADSHEET_EXTENSIONS.get(os.path.splitext((getattr(file, "name", "") or "").lower())[1])
    if claimed is None:
        raise FileRefused(_("Upload an xlsx or csv file."), code="wrong_type", field=field)
    _check_size(file, max_bytes=max_bytes, field=field,
                too_large=_("The file is larger than %(limit)s MB. Split it into smaller files."))
    if recognised_type(file, allowed={claimed}) != claimed:
        if claimed == XLSX:
            raise FileRefused(_("This is not an xlsx file. Save it from Excel as .xlsx or .csv."), code="not_xlsx",
                              field=field)
        raise FileRefused(_("This is not a csv text file."), code="not_csv", field=field)
    return claimed


def recognised_type(file, *, allowed) -> str | None:
    """The content type of `file` among the recognised ones (spreadsheets only when `allowed`); None if none."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = content_type_of(head)
    if content_type is None and XLSX in allowed and head.startswith(ZIP_SIGNATURE) and is_workbook(file):
        content_type = XLSX
    elif content_type is None and CSV in allowed and not head.startswith(ZIP_SIGNATURE) and is_text_table(file):
        content_type = CSV
    file.seek(0)
    return content_type


def is_workbook(file) -> bool:
    """A ZIP archive with the parts every XLSX workbook has (a renamed program or other archive has not)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return set(archive.namelist()) >= WORKBOOK_PARTS
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        file.seek(0)


def is_text_table(file) -> bool:
    """Text a CSV reader can take: UTF-8 (BOM allowed) or else Windows-1252, without NUL or other control
    characters than tab and line breaks, and not markup (its first character other than space is not `<`)."""
    return any(_is_text(file, encoding) for encoding in ("utf-8-sig", "cp1252"))


def _is_text(file, encoding: str) -> bool:
    file.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    started = False
    try:
        while chunk := file.read(TEXT_CHUNK):
            text = decoder.decode(chunk)
            if NOT_IN_TEXT.search(text):
                return False
            if not started and text.strip():
                if text.lstrip().startswith("<"):
                    return False
                started = True
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return started


def _check_size(file, *, max_bytes: int, field: str | None, too_large: str = "") -> None:
    size = _size(file)
    if size == 0:
        raise FileRefused(_("The file is empty."), code="empty", field=field)
    if size > max_bytes:
        raise FileRefused((too_large or _("The file is larger than %(limit)s MB; send a smaller file."))
                          % {"limit": _megabytes(max_bytes)}, code="too_large", field=field)


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _megabytes(count: int) -> str:
    megabytes = Decimal(count) / (1024 * 1024)
    return number_format(megabytes, decimal_pos=0 if megabytes == megabytes.to_integral_value() else 1)


def random_name(extension: str) -> str:
    """A name to store a file under that says nothing about it: 32 random hex digits and the extension."""
    extension = extension.lower()
    if not EXTENSION.fullmatch(extension):
        raise ValueError(f"Not a file extension: {extension!r}")
    return f"{uuid.uuid4().hex}.{extension.lstrip('.')}"


def extension_for(content_type: str) -> str:
    """The extension a file of this (recognised) content type is stored with: `.pdf`, `.jpg`, `.png`, …"""
    return EXTENSIONS[content_type]


@deconstructible(path="accounts.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under `settings.PRIVATE_FILES_ROOT`, which have no URL: serve them through a view."""

    # Read from the settings each time (not cached as FileSystemStorage does): a model field keeps one
    # instance for the life of the process, and tests point PRIVATE_FILES_ROOT elsewhere.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("A private file has no URL; a view that checks permissions hands it out.")
