"""Files and rows of personal data that the system keeps only for a short while (issue 14, "Retention").

Each app that makes such things (an import's rows, an inzage export, a list export, the province's file per address)
registers how to forget the expired ones: `register_forgetter(name, forget)` with `forget(now) -> int` (how many it
emptied or deleted), in its AppConfig.ready(). Each app also forgets on its own pages as it goes; the daily
retention run (`manage.py anonymise_expired`) calls them all, so nothing waits for the next visitor.
Registering again replaces (ready() may run twice in tests).
"""

from collections.abc import Callable
from datetime import datetime

_forgetters: dict[str, Callable[[datetime], int]] = {}


def register_forgetter(name: str, forget: Callable[[datetime], int]) -> None:
    _forgetters[name] = forget


def forget_expired(now: datetime) -> dict[str, int]:
    """Call every registered forgetter; {name: how many}, in the order of their names."""
    return {name: int(forget(now)) for name, forget in sorted(_forgetters.items())}
