"""PDF documents (decision letters, payout letters) rendered from HTML: the one place that calls WeasyPrint.

- Every PDF gets the print stylesheet `static/css/print.css` (A4, the fonts shipped in `static/fonts/`,
  so a letter looks the same on every machine and embeds its font).
- It is PDF/UA-1 (tagged, for screen readers), so its HTML needs `<html lang="nl">` and a `<title>`:
  `render_pdf` refuses HTML without them instead of writing an inaccessible letter.
- WeasyPrint fetches what the HTML and CSS refer to (stylesheets, fonts, images) through
  `StaticFilesOnly`, which reads files from the project's own static directories (the staticfiles
  finders) and refuses every other address: no network, no `file:` path, no `data:`. A letter carries
  applicants' text; it must never make the server fetch or embed anything else. A refused or missing
  resource stops the rendering (`ResourceRefused`), so a letter is never sent with a part left out.

Templates refer to static files as pages do (`{% static 'img/logo.png' %}`, or a path relative to
`STATIC_URL`); that works with a CDN's `DJANGO_STATIC_URL` and with hashed file names too.
"""

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

PRINT_STYLESHEET = "css/print.css"
PDF_VARIANT = "pdf/ua-1"
# The address documents are rendered at: never fetched (".invalid" cannot resolve, RFC 2606), only the
# root that relative URLs and STATIC_URL are joined to before `StaticFilesOnly` maps them to files.
DOCUMENT_BASE = "https://warmhuis.invalid/"

CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
ROOT_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?[a-zA-Z]", re.IGNORECASE)
TITLE = re.compile(r"<title\b[^>]*>\s*[^<\s]", re.IGNORECASE)


class ResourceRefused(ValueError):
    """A PDF's HTML or CSS refers to something outside the project's static files, or to a missing one."""


def static_prefix() -> str:
    """The absolute address static files have in a document: STATIC_URL joined to the document's base."""
    return urljoin(DOCUMENT_BASE, settings.STATIC_URL)


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, restricted to files the staticfiles finders find under the static prefix."""

    def __init__(self):
        # fail_on_errors: a refusal stops the rendering instead of leaving a part out with a log line.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = static_file(url)
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type(path)})

    def open(self, url, data=None, timeout=None):  # the urllib side of the parent: never used, never opened
        raise ResourceRefused(f"Not fetched: {url}")


def static_file(url: str) -> Path:
    """The file on disk an address under the static prefix names; ResourceRefused for any other address."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        raise ResourceRefused(f"Only the project's static files are used in a PDF, not {url[:200]!r}")
    parts = urlsplit(url[len(prefix) :])
    name = unquote(parts.path)
    normalised = posixpath.normpath(name)
    if parts.scheme or parts.netloc or not name or normalised != name or normalised.startswith(("/", "..")):
        raise ResourceRefused(f"Not a static file's name: {url[:200]!r}")
    found = finders.find(_source_name(name))
    if not found:
        raise ResourceRefused(f"No such static file: {name!r}")
    return Path(found)


def _source_name(name: str) -> str:
    """A hashed name (`css/print.1a2b3c.css`, from `{% static %}` with the manifest storage) to its source's."""
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if hashed_files:
        for source, hashed in hashed_files.items():
            if hashed == name:
                return source
    return name


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def render_pdf(html: str) -> bytes:
    """The PDF (PDF/UA-1, A4, shipped fonts) of an HTML document that has `<html lang>` and a `<title>`."""
    if not ROOT_LANG.search(html):
        raise ValueError("A PDF's HTML needs the document's language: <html lang=\"nl\">")
    if not TITLE.search(html):
        raise ValueError("A PDF's HTML needs a <title>: it is the document's title in PDF readers")
    fetcher = StaticFilesOnly()
    fonts = FontConfiguration()
    print_css = static_file(static_prefix() + PRINT_STYLESHEET)
    try:
        stylesheet = CSS(
            string=print_css.read_text(encoding="utf-8"),
            base_url=static_prefix() + PRINT_STYLESHEET,
            url_fetcher=fetcher,
            font_config=fonts,
        )
        document = HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: made an ordinary error here
        raise ResourceRefused(str(error.__cause__ or error)) from error.__cause__


def render_pdf_template(template_name: str, context: dict, *, language: str = "nl") -> bytes:
    """Render a template (e.g. one extending `pdf/base_letter.html`) to a PDF in `language`.

    A letter is written in the programme's language whatever the language of the user who causes it.
    """
    with translation.override(language):
        return render_pdf(render_to_string(template_name, context))
