"""Files the system accepts from users (quotes, invoices, proof of income) and where it keeps them.

- `check_upload` decides what a file is by its content, never by its name or the browser's
  Content-Type: a PDF starts with `%PDF-`, a JPEG with FF D8 FF, a PNG with its eight-byte signature.
  An empty file, one over the size limit, or content of another kind (a program, a web page, a text file
  renamed `.pdf`) is refused with a sentence for the form field. The name's extension is not compared:
  the stored name is made anew (`random_name`) from the recognised type.
- `PrivateStorage` keeps such files under `PRIVATE_FILES_ROOT` (`DJANGO_PRIVATE_ROOT`), outside the
  static and media folders, and gives them no URL: they leave the system only through views that check
  permissions (`accounts.downloads.attachment_response`).
"""

import os
import re
import uuid
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
DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG})
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Content type → the bytes its files start with.
SIGNATURES = {
    PDF: b"%PDF-",
    JPEG: b"\xff\xd8\xff",
    PNG: b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
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
    unknown = set(allowed) - SIGNATURES.keys()
    if unknown:
        raise ValueError(f"No content check for {sorted(unknown)}: only {sorted(SIGNATURES)} are recognised")
    size = _size(file)
    if size == 0:
        raise Refused(_("The file is empty."), field=field)
    if size > max_bytes:
        raise Refused(
            _("The file is larger than %(limit)s MB; send a smaller file.") % {"limit": _megabytes(max_bytes)},
            field=field,
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = content_type_of(head)
    if content_type not in allowed:
        names = get_text_list([TYPE_NAMES[kind] for kind in SIGNATURES if kind in allowed])
        raise Refused(
            _("Only %(types)s files are accepted here; this file is of another kind.") % {"types": names},
            field=field,
        )
    return content_type


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
    """The extension a file of this (recognised) content type is stored with: `.pdf`, `.jpg`, `.png`."""
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
