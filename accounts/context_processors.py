"""The navigation a user sees: their role's pages, nothing else."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, primary_role, roles_of

# (label, url name, roles that see it). Apps register their pages here as they grow.
NAVIGATION = [
    (_("Start"), "accounts:start", set(Role)),
    (_("Households"), "households:list", {Role.HANDYMAN, Role.COMMUNITY_WORKER, Role.ASSESSOR,
                                          Role.FINANCE_OFFICER, Role.COORDINATOR}),
    (_("Budget"), "budget:overview", {Role.FINANCE_OFFICER, Role.COORDINATOR, Role.ASSESSOR}),
    (_("Self-check"), "eligibility:self_check", set(Role)),
    (_("DIY calculator"), "eligibility:diy_calculator", set(Role)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": [], "user_role": None}
    held = set(roles_of(user))
    items = []
    for label, url_name, roles in NAVIGATION:
        if held & roles:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue  # the page's app has not been built yet
            items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "user_roles": sorted(held), "user_role": primary_role(user)}
