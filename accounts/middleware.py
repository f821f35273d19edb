"""Responses are never stored by a browser or a shared cache: the pages and the API carry personal data.

`Cache-Control: private, no-store` on every response Django renders (static files are served before,
by WhiteNoise, with their own long-lived headers). A view that sets its own Cache-Control keeps it.
Without this, the Back button or a shared computer's disk cache shows a household's details after logout.
"""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
