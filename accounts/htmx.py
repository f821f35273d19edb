"""Pages that htmx updates in part: the whole page for the browser, only the part for htmx.

The two answers share one address, so every response that depends on the `HX-Request` header says
so (`Vary`). Otherwise the browser's cache hands the fragment fetched by htmx to a normal visit of the
same address: Back after the live search pushed its address showed the bare list, unstyled. A history
restore (htmx's `HX-History-Restore-Request`, after a cache miss) gets the whole page too.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap asks for the part; a visit, a reload, Back or a history restore for the whole page."""
    htmx = getattr(request, "htmx", None)  # django_htmx.middleware.HtmxMiddleware
    return bool(htmx) and not htmx.history_restore_request


def sent_by_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request, for code that runs before HtmxMiddleware (a middleware that answers a
    logged-out request with a client-side redirect instead of a page swapped into a part)."""
    return request.headers.get("HX-Request") == "true"


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, HTMX_HEADERS)
    return response


def render_page_or_fragment(request: HttpRequest, page: str, fragment: str, context: dict) -> HttpResponse:
    """`fragment` for an htmx swap, `page` otherwise (which includes the fragment); never cached one for the other."""
    partial = wants_fragment(request)
    return vary_on_htmx(render(request, fragment if partial else page, {**context, "partial": partial}))
