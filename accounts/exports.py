"""The export buttons on the lists: which list may be exported, where the request goes, and who may ask.

The lists live in the apps on the left (households, subsidy, fieldwork, budget); the exports are made by an app on
the right (reports). That app registers each kind of list here from its `AppConfig.ready()`, naming the URL that
starts an export and the permission that decides who may ask, so a list's template shows the buttons without
naming the app that makes the file:

    from accounts import exports
    exports.register_list_export("households", url_name="reports:start_list_export",
                                 permission="reports.export_households")

    {% load exports %}{% export_buttons "households" %}

Nothing registered (or not permitted): no buttons. Registering a kind again replaces it (ready() may run twice).
"""

from dataclasses import dataclass

import rules


@dataclass(frozen=True)
class ListExport:
    kind: str
    url_name: str  # takes the kind as its one argument
    permission: str


_kinds: dict[str, ListExport] = {}


def register_list_export(kind: str, *, url_name: str, permission: str) -> None:
    _kinds[kind] = ListExport(kind, url_name, permission)


def list_export(kind: str) -> ListExport | None:
    return _kinds.get(kind)


def may_export(user, kind: str) -> bool:
    """Whether `user` may export the list `kind` (the rows are scoped to what they may see, by the exporter).

    Asked of the rules alone (not every auth backend): a list's page shows the buttons without a query more."""
    registered = _kinds.get(kind)
    return registered is not None and user.is_authenticated and rules.has_perm(registered.permission, user)
