"""The navigation a user sees: their role's pages, nothing else."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import start
from accounts.roles import primary_role, roles_of


def navigation_entries(held) -> list[tuple]:
    """(label, url name): the start page, then what the apps registered for these roles (accounts.start)."""
    return [(_("Start"), "accounts:start"), *((page.label, page.name) for page in start.pages_for(held))]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": [], "user_role": None}
    held = set(roles_of(user))
    items = []
    for label, url_name in navigation_entries(held):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the page's app has not been built yet
        items.append({"label": label, "url": url, "active": False})
    # The page the address is in: the entry with the longest address it begins with (/rapportage/wat-als/ is in
    # "What if", not also in the report at /rapportage/); the start page only at its own address.
    within = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    if within:
        max(within, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "user_roles": sorted(held), "user_role": primary_role(user)}
