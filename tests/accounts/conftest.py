"""Fixtures of the accounts tests: `clock`, a clock they can move (tests/accounts/clock.py)."""

from tests.accounts.clock import clock  # noqa: F401
