"""A clock the tests can move: `timezone.now()` (which the lockout, the sessions and the database cache read)."""

from datetime import timedelta

import pytest
from django.utils import timezone


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr(timezone, "now", moving)
    return moving
