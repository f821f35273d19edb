"""What apps to the right of households add to the register (DESIGN.md: a left app learns what a right app
knows through a provider the right app registers in its `AppConfig.ready()`; households names none of them).

- `register_large_measures_counter(counter)`: `counter(household) -> int`, the large measures granted for the
  household's dwelling (the subsidy app); the eligibility assessment counts them against the rule set's
  maximum per dwelling. Nobody registered: 0.
- `register_after_assignment(callback)`: `callback(household, *, previous_handyman_id) -> dict`, called in the
  assignment's transaction when the household's handyman changed (the fieldwork app moves the visits still planned
  to the new handyman); what it returns is recorded with the assignment's event.
- `register_event_labels(labels)`: {action: label} for events a right app records on a household (the household
  page's history names them instead of showing the action's code), or on its records (the inzage export's audit
  trail names those).
- `register_detail_section(template, context, order=…)`: a section of the household page; `context(request,
  household) -> dict | None` gives its template's context (None: the section is not shown to this user).

Registering again replaces (ready() may run twice in tests).
"""

from collections.abc import Callable
from dataclasses import dataclass

_large_measures: list[Callable] = []


def register_large_measures_counter(counter: Callable) -> None:
    _large_measures[:] = [counter]


def large_measures_taken(household) -> int:
    return int(_large_measures[0](household)) if _large_measures else 0


_after_assignment: list[Callable] = []


def register_after_assignment(callback: Callable) -> None:
    _after_assignment[:] = [callback]


def after_assignment(household, *, previous_handyman_id) -> dict:
    if not _after_assignment or household.handyman_id == previous_handyman_id:
        return {}
    return dict(_after_assignment[0](household, previous_handyman_id=previous_handyman_id) or {})


_event_labels: dict = {}


def register_event_labels(labels: dict) -> None:
    _event_labels.update(labels)


def event_labels() -> dict:
    return dict(_event_labels)


@dataclass(frozen=True)
class DetailSection:
    template: str
    context: Callable
    order: int


_sections: dict[str, DetailSection] = {}


def register_detail_section(template: str, context: Callable, *, order: int = 50) -> None:
    _sections[template] = DetailSection(template, context, order)


def detail_sections(request, household) -> list[dict]:
    """The registered sections this user sees on the household page, in order: [{"template", "context"}]."""
    shown = []
    for section in sorted(_sections.values(), key=lambda section: (section.order, section.template)):
        context = section.context(request, household)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown


# Issue 14: retention, erasure and the resident's right of access. Each app that keeps personal data of a household
# removes its own part and lists its own records; households calls them (households.retention, households.inzage).
#
# - `register_anonymiser(name, anonymise)`: `anonymise(household, *, now) -> dict`, called inside the household's
#   anonymisation transaction: removes the app's personal data of the household (names, contact details, free
#   text, documents, letters) and keeps what the figures need (amounts, measures, dates, statuses); returns counts
#   of what it removed ({"documents": 2, ...}), recorded with the household's "anonymised" event.
# - `register_retention_hold(name, hold)`: `hold(household, *, now) -> datetime | None | bool`: the moment until
#   which the app must keep the household's personal data (a paid or rejected application: the financial term),
#   True while something is still in progress (an open application), None when it holds nothing.
# - `register_personal_data(name, records)`: `records(household) -> list[dict]`: the app's records of the
#   household for the inzage export: [{"title": str, "rows": [{"label": value, ...}, ...]}], values as text
#   (`households.inzage.record_rows` writes a record's fields so). A section may also carry "note" (a sentence the
#   export prints under its title) and "subjects": the records behind its rows, as instances or (instance, label),
#   whose audit events the export's audit trail holds, named by the label. It reads a kind at once (prefetch): the
#   export's number of queries does not grow with the household's records.

_anonymisers: dict[str, Callable] = {}
_retention_holds: dict[str, Callable] = {}
_personal_data: dict[str, Callable] = {}


def register_anonymiser(name: str, anonymise: Callable) -> None:
    _anonymisers[name] = anonymise


def anonymisers() -> dict[str, Callable]:
    return dict(sorted(_anonymisers.items()))


def register_retention_hold(name: str, hold: Callable) -> None:
    _retention_holds[name] = hold


def retention_holds() -> dict[str, Callable]:
    return dict(sorted(_retention_holds.items()))


def register_personal_data(name: str, records: Callable) -> None:
    _personal_data[name] = records


def personal_data_providers() -> dict[str, Callable]:
    return dict(sorted(_personal_data.items()))
