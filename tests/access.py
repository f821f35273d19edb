"""The access matrix's vocabulary: which status each role gets from each URL.

Each app declares its URLs in `tests/<app>/access.py` as `URLS = [Url(...), ...]` and, when the URLs
need objects (a household, a budget line), a `build(ctx)` that creates them and returns a dict that
each Url's `kwargs` function receives. `tests/test_access_matrix.py` walks every (url, role) pair and
fails on any named URL that has no expectation: deny by default is checked, not assumed.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("anonymous", "handyman", "handyman2", "community", "assessor", "finance", "coordinator")

# URL names that are not ours to guard: Django's admin (staff login), the language switch, the API's schema pages.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "api-v1:schema", "api-v1:docs", "api-v1:redoc"}


@dataclass(frozen=True)
class Url:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[dict], dict] | None = None
    method: str = "get"
    data: dict | Callable[[dict], dict] | None = None

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        unknown = set(self.expect) - set(ROLES)
        if missing or unknown:
            raise ValueError(f"{self.name}: no expectation for {sorted(missing)}, unknown roles {sorted(unknown)}")

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-v1:")


@dataclass
class Context:
    users: dict
    programme: object
    objects: dict = field(default_factory=dict)


def access_modules() -> list:
    """`tests.<app>.access` for every app folder under tests/ that has one."""
    tests_dir = Path(__file__).parent
    modules = []
    for info in sorted(pkgutil.iter_modules([str(tests_dir)]), key=lambda i: i.name):
        if info.ispkg and (tests_dir / info.name / "access.py").exists():
            modules.append(importlib.import_module(f"tests.{info.name}.access"))
    return modules
