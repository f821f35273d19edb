"""The operator's settings for growing past one machine (docs/operations.md): static files from a CDN, the task backend.

Settings are read from the environment once, at start-up; each test reads config/settings.py afresh with the
environment it needs, as a new process would.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.csp import CSP

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "config" / "settings.py"
CDN = "https://cdn.example.nl"


def settings_started_with(monkeypatch, **environment):
    for name in ("DJANGO_STATIC_URL", "DJANGO_TASKS_BACKEND", "DJANGO_REDIS_URL", "DATABASE_REPLICA_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_as_started", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_static_files_come_from_the_site_itself_by_default(monkeypatch):
    settings = settings_started_with(monkeypatch)

    assert settings.STATIC_URL == "/static/"
    assert settings.SECURE_CSP["script-src"] == [CSP.SELF, CSP.NONCE]
    assert settings.SECURE_CSP["img-src"] == [CSP.SELF, "data:"]


def test_static_files_on_a_cdn_are_allowed_by_the_csp_for_scripts_styles_fonts_and_images_only(monkeypatch):
    settings = settings_started_with(monkeypatch, DJANGO_STATIC_URL=f"{CDN}/static/")

    assert settings.STATIC_URL == "https://cdn.example.nl/static/"
    for directive in ("script-src", "style-src", "font-src", "img-src"):
        assert CDN in settings.SECURE_CSP[directive], directive
    for directive in ("default-src", "connect-src", "form-action", "base-uri"):
        assert CDN not in settings.SECURE_CSP[directive], directive


def test_a_page_loads_its_scripts_and_styles_from_the_cdn_and_its_csp_allows_them(monkeypatch, settings, client):
    started = settings_started_with(monkeypatch, DJANGO_STATIC_URL=f"{CDN}/static/")
    settings.STATIC_URL = started.STATIC_URL
    settings.SECURE_CSP = started.SECURE_CSP

    response = client.get(reverse("accounts:login"))

    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', response.content.decode())
    assert assets and all(url.startswith(f"{CDN}/static/") for url in assets), assets
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert CDN in policy["script-src"].split() and CDN in policy["style-src"].split()


def test_tasks_are_kept_in_the_database_unless_the_operator_chooses_redis(monkeypatch):
    assert settings_started_with(monkeypatch).TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"

    on_redis = settings_started_with(monkeypatch, DJANGO_TASKS_BACKEND="rq", DJANGO_REDIS_URL="redis://queue:6379/1")

    assert on_redis.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert on_redis.RQ_QUEUES == {"default": {"URL": "redis://queue:6379/1"}}
    assert {"django_rq", "django_tasks_rq"} <= set(on_redis.INSTALLED_APPS)


@pytest.mark.parametrize("environment", [{"DJANGO_TASKS_BACKEND": "rq"}, {"DJANGO_TASKS_BACKEND": "celery"}])
def test_a_task_backend_that_cannot_work_stops_the_start(monkeypatch, environment):
    with pytest.raises(RuntimeError, match="DJANGO_TASKS_BACKEND"):
        settings_started_with(monkeypatch, **environment)


def test_a_replica_url_adds_the_replica_database_which_tests_read_as_the_primary(monkeypatch):
    assert "replica" not in settings_started_with(monkeypatch).DATABASES

    settings = settings_started_with(monkeypatch, DATABASE_REPLICA_URL="postgres://reader@db-replica:5432/warmhuis")

    assert settings.DATABASES["replica"]["HOST"] == "db-replica"
    assert settings.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}
    assert settings.DATABASE_ROUTERS == ["config.routers.ReportsOnReplicaRouter"]
