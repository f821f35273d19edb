"""Access expectations: the second factor's pages, my account and the staff page (see tests/accounts/access.py).

The matrix signs in with `force_login` and without a second factor asked (tests/conftest.py): nobody has an
authenticator app, so the code page sends everyone to set one up (302), new backup codes are refused back to the
account page (302), and a wrong first code shows the enrolment page again (200). The staff page and the reset are
the coordinator's only; a coordinator may not reset their own second factor (403).
"""

from tests.access import Url

EVERY_ROLE = ("handyman", "handyman2", "community", "assessor", "finance", "coordinator")


def every_role(status: int, anonymous: int = 302) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(EVERY_ROLE, status)}


def coordinator_only(status: int) -> dict:
    return {**every_role(403), "coordinator": status}


def _handyman(objects):
    return {"pk": objects["people"]["handyman"].pk}


def _coordinator(objects):
    return {"pk": objects["people"]["coordinator"].pk}


URLS = [
    Url("accounts:second_factor", every_role(302)),
    Url("accounts:second_factor", every_role(302), method="post", data={"token": "123456"}),
    Url("accounts:enrol_second_factor", every_role(200)),
    Url("accounts:enrol_second_factor", every_role(200), method="post", data={"token": "x"}),
    Url("accounts:backup_codes", every_role(302), method="post"),
    Url("accounts:backup_codes", every_role(405)),
    Url("accounts:account", every_role(200)),
    Url("accounts:staff", coordinator_only(200)),
    Url("accounts:reset_second_factor", coordinator_only(200), kwargs=_handyman),
    Url("accounts:reset_second_factor", coordinator_only(200), kwargs=_handyman, method="post", data={}),
    Url("accounts:reset_second_factor", coordinator_only(302), kwargs=_handyman, method="post",
        data={"reason": "Telefoon kwijt"}),
    Url("accounts:reset_second_factor", coordinator_only(403), kwargs=_coordinator, method="post",
        data={"reason": "Nieuwe telefoon"}),
]
