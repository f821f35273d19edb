"""Production settings pass Django's deployment checks, and every page carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict[str, str]:
    """The test process's environment without what only tests set (the browser tests' async switch)."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DJANGO_DEBUG": "false", **overrides}


def test_check_deploy_is_clean_with_production_settings():
    env = production_env(
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-1234567890-abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="warmhuis.example.nl",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env(DJANGO_SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_demo_data_is_refused_when_debug_is_off():
    env = production_env(DJANGO_SECRET_KEY="x" * 60, DATABASE_URL="sqlite://:memory:")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_DEBUG is off" in result.stderr
