from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import ensure_roles

# Each app may have a `demo.py` with `load()`; they run left to right (DESIGN.md's order of dependence).
DEMO_APPS = ["accounts", "budget", "eligibility", "households", "subsidy", "fieldwork", "reports"]


class Command(BaseCommand):
    help = "Create the demo users and demo data (idempotent). Refuses to run when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only for development: DJANGO_DEBUG is off, nothing was created.")
        ensure_roles()
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.load()
            self.stdout.write(f"Demo data for {app} ready.")
