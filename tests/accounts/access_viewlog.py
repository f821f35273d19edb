"""Access to the view log's page, "Wie keek?": the coordinator only (accounts.view_view_log)."""

from tests.access import Url

OTHERS = dict.fromkeys(("handyman", "handyman2", "community", "assessor", "finance"), 403)

URLS = [
    Url("accounts:view_log", expect={"anonymous": 302, **OTHERS, "coordinator": 200}),
    Url("accounts:view_log", data={"kind": "document", "date_from": "2026-01-01"},
        expect={"anonymous": 302, **OTHERS, "coordinator": 200}),
    Url("accounts:view_log", method="post",
        expect={"anonymous": 302, **dict.fromkeys(OTHERS, 405), "coordinator": 405}),
]
