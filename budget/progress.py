"""Counters of a programme's progress that other apps provide (DESIGN.md: budget depends on no other app).

The budget's forecast and targets need figures that live in apps to its right (households reached,
large measures taken). Those apps register a counter here in their AppConfig.ready():

    from budget import progress
    progress.register(progress.HOUSEHOLDS_REACHED, lambda programme: ...count...)

A measure nobody registered counts as None ("not known yet"), which the pages say in words.
"""

from collections.abc import Callable

HOUSEHOLDS_REACHED = "households_reached"  # households the programme works or worked with
DWELLINGS_EQUIPPED = "dwellings_equipped"  # dwellings that received small or medium measures
LARGE_MEASURES = "large_measures"  # large insulation measures granted

MEASURES = (HOUSEHOLDS_REACHED, DWELLINGS_EQUIPPED, LARGE_MEASURES)

_counters: dict[str, Callable] = {}


def register(measure: str, counter: Callable) -> None:
    """`counter(programme) -> int`. Registering again replaces the counter (ready() may run twice in tests)."""
    if measure not in MEASURES:
        raise ValueError(f"Unknown progress measure {measure!r}; known: {MEASURES}")
    _counters[measure] = counter


def count(measure: str, programme) -> int | None:
    counter = _counters.get(measure)
    return None if counter is None else int(counter(programme))


def is_registered(measure: str) -> bool:
    return measure in _counters
