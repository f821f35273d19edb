"""Access to the accounts pages and the health check."""

from tests.access import Url

EVERY_ROLE = {"handyman": 200, "handyman2": 200, "community": 200, "assessor": 200, "finance": 200, "coordinator": 200}
LOGGED_IN_REDIRECTED = dict.fromkeys(EVERY_ROLE, 302)

URLS = [
    Url("health", expect={"anonymous": 200, **EVERY_ROLE}),
    Url("accounts:start", expect={"anonymous": 302, **EVERY_ROLE}),
    Url("accounts:login", expect={"anonymous": 200, **LOGGED_IN_REDIRECTED}),
    Url("accounts:logout", method="post", expect={"anonymous": 302, **LOGGED_IN_REDIRECTED}),
    Url("accounts:logout", expect={"anonymous": 405, **dict.fromkeys(EVERY_ROLE, 405)}),
]

from tests.accounts import access_login, access_two_factor, access_viewlog  # noqa: E402  (one part per page group)

URLS += access_viewlog.URLS
URLS += access_two_factor.URLS
URLS += access_login.URLS


def build(ctx):
    return {"people": ctx.users}
