"""Handing out a stored document or a generated file: always as a download, never shown in the page.

`attachment_response` is the one way a view returns such a file (after checking who may have it):
`Content-Disposition: attachment` with a plain ASCII `filename` and the exact name as RFC 5987
`filename*`, `X-Content-Type-Options: nosniff` (a browser never reads an upload as a web page), and
`Cache-Control: private, no-store` as every personal page has (`accounts.middleware.NoStoreMiddleware`).
"""

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control

UNSAFE_IN_ASCII_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
CONTROL_OR_SEPARATOR = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]+")


def attachment_response(file_or_bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A response that downloads `file_or_bytes` (a FieldFile, File, open binary file, or bytes) as `filename`."""
    if isinstance(file_or_bytes, bytes | bytearray | memoryview):
        response = HttpResponse(bytes(file_or_bytes), content_type=content_type)
        response["Content-Length"] = str(len(file_or_bytes))
    else:
        if hasattr(file_or_bytes, "open") and file_or_bytes.closed:
            file_or_bytes.open("rb")  # a FieldFile or File not yet (or no longer) open: opened in place
        response = FileResponse(file_or_bytes, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def content_disposition(filename: str) -> str:
    """`attachment; filename="<ASCII>"; filename*=UTF-8''<name>`: ASCII for old clients, the exact name for others."""
    name = CONTROL_OR_SEPARATOR.sub("_", filename).strip(" .") or "download"
    return f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def ascii_filename(filename: str) -> str:
    """The name in plain ASCII (accents dropped, other characters as `_`), safe inside a quoted header value."""
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", filename) if not unicodedata.combining(c))
    safe = UNSAFE_IN_ASCII_NAME.sub("_", decomposed).strip(" ._")
    return safe or "download"
