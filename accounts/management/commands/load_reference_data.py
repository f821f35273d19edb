from django.core.management.base import BaseCommand

from accounts.reference import load_reference_data
from accounts.services import ensure_roles


class Command(BaseCommand):
    help = "Create the role groups and load the reference data in fixtures/reference/ (skips what is loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load every fixture again, overwriting edits.")

    def handle(self, *args, force=False, verbosity=1, **options):
        ensure_roles()
        loaded = load_reference_data(force=force, verbosity=verbosity)
        self.stdout.write(f"Roles ready; {len(loaded)} reference fixture(s) loaded.")
