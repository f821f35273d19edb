"""Loading reference data (programmes, norms, rates, catalogue) from `fixtures/`.

A fixture file is loaded only when some of its objects are missing, so that `make run` can be run
again without overwriting what staff edited in the admin.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"


def reference_fixtures() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("*.json"))


def fixture_is_loaded(path: Path) -> bool:
    objects = json.loads(path.read_text(encoding="utf-8"))
    by_model: dict[str, list] = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj["pk"])
    for label, pks in by_model.items():
        model = apps.get_model(label)
        if model.objects.filter(pk__in=pks).count() != len(pks):
            return False
    return True


def load_reference_data(*, force: bool = False, verbosity: int = 1) -> list[Path]:
    """Load every reference fixture that is not loaded yet (or all of them with `force`)."""
    loaded = []
    for path in reference_fixtures():
        if force or not fixture_is_loaded(path):
            call_command("loaddata", str(path), verbosity=verbosity)
            loaded.append(path)
    return loaded
