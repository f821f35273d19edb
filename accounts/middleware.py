"""Responses are never stored by a browser or a shared cache: the pages and the API carry personal data.

`Cache-Control: private, no-store` on every response Django renders (static files are served before,
by WhiteNoise, with their own long-lived headers). A view that sets its own Cache-Control keeps it.
Without this, the Back button or a shared computer's disk cache shows a household's details after logout.
"""

from django.core.exceptions import SuspiciousOperation
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in the address or its query is a bad request (400), never a database error.

    PostgreSQL cannot store or compare text with NUL at all, so a lookup such as `?programme=%00` would
    end in a 500 there. Form and serializer fields refuse NUL themselves; this covers what views and
    filters read straight from the query string.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for values in request.GET.lists() for value in values[1]):
            raise SuspiciousOperation("NUL character in the request's address")
        return self.get_response(request)
