"""Access expectations: log out everywhere, oneself or (the coordinator) a staff member (see tests/accounts/access.py).

Both are POSTs only. Anyone logged in may end their own sessions (→ the login page); a staff member's sessions are
the coordinator's to end, or their own (the handyman ending the handyman's).
"""

from django.contrib.auth import get_user_model

from tests.access import Url

EVERY_ROLE = ("handyman", "handyman2", "community", "assessor", "finance", "coordinator")


def every_role(status: int, anonymous: int = 302) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(EVERY_ROLE, status)}


def _the(username: str):
    return lambda objects: {"pk": get_user_model().objects.get(username=username).pk}


URLS = [
    Url("accounts:end_my_sessions", every_role(302), method="post"),
    Url("accounts:end_my_sessions", every_role(405, anonymous=405)),
    Url("accounts:end_sessions", {**every_role(403), "handyman": 302, "coordinator": 302}, kwargs=_the("handyman"),
        method="post", data={"reason": "Telefoon kwijt"}),
    Url("accounts:end_sessions", {**every_role(403), "coordinator": 302}, kwargs=_the("coordinator"), method="post"),
    Url("accounts:end_sessions", every_role(405, anonymous=405), kwargs=_the("handyman")),
]
