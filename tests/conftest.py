"""Shared fixtures: users per role, reference data, and the browser set-up.

In CI (CI=true) tests that need PostgreSQL or Chromium fail instead of skipping when those are missing.
"""

import os
import shutil

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import UserFactory

# Playwright runs an event loop in the test thread; the live server and ORM calls in tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing `demo` with PBKDF2 for every test user costs seconds per run; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_not_asked(settings):
    """Tests that are not about signing in act as staff who passed the second factor; the two-factor tests switch
    it back on with `second_factor_required`."""
    settings.SECOND_FACTOR_REQUIRED = False


@pytest.fixture
def second_factor_required(settings):
    """The fixtures' users have the demo users' names: they are not excused as demo users either (DEBUG is on in
    the tests' environment); tests of that excuse switch it on themselves."""
    settings.SECOND_FACTOR_REQUIRED = True
    settings.DEMO_USERS_WITHOUT_SECOND_FACTOR = False


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploaded documents and letters of a test go to its own folder, not the project's private/."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def roles(db):
    from accounts.services import ensure_roles

    return ensure_roles()


@pytest.fixture
def programme(db):
    """The Hilversum 2022 programme with its budget lines and funding, from the reference fixtures."""
    from budget.models import Programme

    call_command("load_reference_data", verbosity=0)
    return Programme.objects.get(slug="hilversum-2022")


def _user_with_role(role: Role, username: str):
    return UserFactory(username=username, role=role)


@pytest.fixture
def handyman(roles):
    return _user_with_role(Role.HANDYMAN, "handyman")


@pytest.fixture
def handyman2(roles):
    return _user_with_role(Role.HANDYMAN, "handyman2")


@pytest.fixture
def community_worker(roles):
    return _user_with_role(Role.COMMUNITY_WORKER, "community")


@pytest.fixture
def assessor(roles):
    return _user_with_role(Role.ASSESSOR, "assessor")


@pytest.fixture
def finance_officer(roles):
    return _user_with_role(Role.FINANCE_OFFICER, "finance")


@pytest.fixture
def coordinator(roles):
    return _user_with_role(Role.COORDINATOR, "coordinator")


@pytest.fixture
def staff_client(client, coordinator):
    """The coordinator logged in to the admin."""
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    return client


@pytest.fixture
def users_by_role(handyman, handyman2, community_worker, assessor, finance_officer, coordinator):
    return {
        "handyman": handyman,
        "handyman2": handyman2,
        "community": community_worker,
        "assessor": assessor,
        "finance": finance_officer,
        "coordinator": coordinator,
    }


@pytest.fixture
def people(programme, users_by_role):
    """A user per role (as `users_by_role`: "handyman", "handyman2", "community", "assessor", "finance",
    "coordinator") with the programme loaded."""
    return users_by_role


@pytest.fixture
def immediate_tasks(settings):
    """The background worker's tasks run at once, in the request that enqueues them, instead of waiting for
    `manage.py db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def api():
    """A client of the API, not logged in (`api.force_authenticate(user)` logs in)."""
    return APIClient()


# --- Browser (pytest-playwright on the system Chromium) -------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must install it (apt-get install chromium).")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def postgres_required(settings):
    """Use in tests that need PostgreSQL: skipped on SQLite with a visible reason, failed in CI."""
    from django.db import connection

    if connection.vendor != "postgresql":
        if IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("DATABASE_URL points at PostgreSQL but the connection is not PostgreSQL.")
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
