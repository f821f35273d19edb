"""What the other apps show in the navigation and on the start pages; they register it here from their
`AppConfig.ready()` (accounts is left of every app and names none of them, as `budget.progress` does):

    from accounts import start
    start.register_page(_("Households"), "households:list", roles={Role.HANDYMAN: 20, ...})
    start.register_section("households/_start_summary.html", roles={Role.HANDYMAN: 10, ...})

`roles` maps each role that sees the page or section to its place (lower first). Registering the same
URL name or template again replaces it (ready() may run twice in tests).
"""

from dataclasses import dataclass

from accounts.roles import Role


@dataclass(frozen=True)
class Registered:
    name: str  # a URL name (pages) or a template name (start-page sections)
    label: str
    roles: dict[Role, int]


_pages: dict[str, Registered] = {}
_sections: dict[str, Registered] = {}


def register_page(label, url_name: str, *, roles: dict[Role, int]) -> None:
    _pages[url_name] = Registered(url_name, label, dict(roles))


def register_section(template: str, *, roles: dict[Role, int]) -> None:
    _sections[template] = Registered(template, "", dict(roles))


def _for(registry: dict[str, Registered], held) -> list[Registered]:
    held = set(held)
    places = {item.name: min(place for role, place in item.roles.items() if role in held)
              for item in registry.values() if held & set(item.roles)}
    return sorted((registry[name] for name in places), key=lambda item: (places[item.name], item.name))


def pages_for(roles) -> list[Registered]:
    """The registered pages a user holding `roles` sees in the navigation, in order."""
    return _for(_pages, roles)


def sections_for(role: Role) -> list[str]:
    """The templates of the registered sections on `role`'s start page, in order."""
    return [item.name for item in _for(_sections, [role])]
