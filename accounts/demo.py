"""Demo users, one (or two) per role, all with the password `demo`. Never in production."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role

DEMO_PASSWORD = "demo"
DEMO_USERS = [
    ("handyman", "Henk", "de Klusser", Role.HANDYMAN),
    ("handyman2", "Hatice", "Yilmaz", Role.HANDYMAN),
    ("community", "Carla", "Opbouw", Role.COMMUNITY_WORKER),
    ("assessor", "Anouk", "Beoordeel", Role.ASSESSOR),
    ("assessor2", "Arjen", "Visser", Role.ASSESSOR),
    ("finance", "Frank", "Geld", Role.FINANCE_OFFICER),
    ("finance2", "Fleur", "Jansen", Role.FINANCE_OFFICER),
    ("coordinator", "Cor", "Dinator", Role.COORDINATOR),
]


def load() -> None:
    User = get_user_model()
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@warmhuis.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.COORDINATOR
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
