"""The data-platform export for the province (DOMAIN.md, "Data and privacy"; docs/reports.md, "The data-platform
export for the province").

Dwelling characteristics are not personal data on their own; linked to an address they are. So the province gets
them per postcode-6 (an *area*), counted and protected, and per address only for the households whose current
consent includes address-level sharing.

Terms used here:
- population: the dwellings of the programme's households that were reached (active at least once).
- area: a postcode-6 ("1211AB"), or the postcode-4 remainder ("1211"): the dwellings of that postcode-4 whose own
  postcode-6 cannot be published.
- cell: the number of an area's dwellings with one characteristic (label C, built 1946-1964, roof insulation paid).
- group: cells that split an area's dwellings (each dwelling in exactly one of them), so they add up to the area's
  dwellings: the labels, the dwelling types, the build-year bands; a products package installed or not; per large
  measure paid, approved and not yet paid, or neither. A *hidden* cell (no package; neither) is not written, but
  it is the area's dwellings minus the others, so it is protected like the others.
- suppressed: not published (`x` in the CSV, `null` in the JSON).
- not consenting: the dwellings the file per address does not list (their household's current consent does not
  include address-level sharing, `shares_address_level`). The province may hold both files, so for every cell it
  knows the consenting part exactly (it counts the addresses); a published count minus that part is the count of
  the non-consenting dwellings, and a cell of them is protected like any other.

The protection (statistical disclosure control, "cell suppression"; threshold `MINIMUM_CELL` = 5):
Every rule holds for two sets of counts at once: those of all the area's dwellings, and those of its non-consenting
dwellings (what a published cell minus the file per address gives).
1. A cell of 1 to 4 dwellings, or with 1 to 4 non-consenting dwellings, is suppressed (primary suppression). 0 is
   shown: nobody is described by it.
2. A group with a suppressed cell gets more (secondary suppression) until it has at least two, and together
   more dwellings than suppressed cells, and more non-consenting dwellings than suppressed cells holding any (or
   none at all): the area's total minus the published cells then leaves two or more unknowns, and even knowing
   that every suppressed cell is at least 1 (and, from the file per address, how many of each consented) does
   not pin any of them. A hidden cell is chosen first (it costs nothing), then the smallest other non-zero cell.
3. An area of fewer than 5 dwellings, or with 1 to 4 non-consenting dwellings, or one whose groups cannot be
   protected so, is not published by its postcode-6: its dwellings go into the postcode-4 remainder, protected the
   same way; a remainder of fewer than 5 dwellings, or one that cannot be protected, is published with every cell
   suppressed.
4. The file has no grand totals and no totals per postcode-4: the only sums are each area's own, so nothing
   published adds up to a suppressed cell or to an area that is not published.
"""

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.tasks import task
from django.utils import timezone

from accounts.audit import record_event
from accounts.roles import ensure_may
from accounts.text import spreadsheet_cell
from budget.models import Programme
from config.routers import reports_on_replica
from eligibility.codes import EnergyLabel, LargeMeasure
from households.models import Consent, Dwelling, DwellingType
from reports.background import making
from reports.models import FileFormat, ProvinceExport
from reports.models.province import ADDRESS_FILE_KEPT_FOR
from subsidy.models import Application, Package

MINIMUM_CELL = 5
SUPPRESSED_IN_CSV = "x"
CSV_DELIMITER = ";"
FORMAT_NAME = "warmhuis-province-export"
FORMAT_VERSION = 1


Level = ProvinceExport.Level
POSTCODE4_REMAINDER = "postcode4_remainder"


# --- The characteristics counted, in the file's order --------------------------------------------------------------

BETTER_THAN_B = (EnergyLabel.A4, EnergyLabel.A3, EnergyLabel.A2, EnergyLabel.A1, EnergyLabel.A)
LABEL_CELLS = {
    "label_a_or_better": Q(energy_label__in=BETTER_THAN_B),
    **{f"label_{label.lower()}": Q(energy_label=label) for label in "BCDEFG"},
    "label_unknown": Q(energy_label=EnergyLabel.UNKNOWN) | Q(energy_label=""),
}
TYPE_CELLS = {
    **{f"type_{kind}": Q(dwelling_type=kind) for kind in DwellingType.values},
    "type_unknown": Q(dwelling_type=""),
}
# Build-year bands as the national housing statistics use them (before the war, post-war reconstruction, the
# building boom, the first insulation standards, the tighter ones, and from 2006 the EPC era).
BUILD_YEAR_BANDS = (
    ("built_before_1946", None, 1945),
    ("built_1946_1964", 1946, 1964),
    ("built_1965_1974", 1965, 1974),
    ("built_1975_1991", 1975, 1991),
    ("built_1992_2005", 1992, 2005),
    ("built_2006_or_later", 2006, None),
)
BUILD_YEAR_CELLS = {
    **{key: Q(**({"build_year__gte": low} if low else {}), **({"build_year__lte": high} if high else {}))
       for key, low, high in BUILD_YEAR_BANDS},
    "built_unknown": Q(build_year=None),
}
MEASURES = tuple(LargeMeasure.values)


@dataclass(frozen=True)
class Group:
    """Cells that split an area's dwellings; `hidden` is the one not written (the rest of the dwellings)."""

    name: str
    cells: tuple[str, ...]
    hidden: str = ""

    @property
    def published(self) -> tuple[str, ...]:
        return tuple(cell for cell in self.cells if cell != self.hidden)


GROUPS = (
    Group("energy_label", tuple(LABEL_CELLS)),
    Group("dwelling_type", tuple(TYPE_CELLS)),
    Group("build_year", tuple(BUILD_YEAR_CELLS)),
    Group("products_package", ("package_installed", "package_not_installed"), hidden="package_not_installed"),
    *(Group(f"large_{measure}", (f"large_{measure}_paid", f"large_{measure}_approved", f"large_{measure}_none"),
            hidden=f"large_{measure}_none") for measure in MEASURES),
)
COUNT_COLUMNS = ("dwellings", *(cell for group in GROUPS for cell in group.published))
POSTCODE6_COLUMNS = ("area_level", "area", *COUNT_COLUMNS)
ADDRESS_COLUMNS = ("postcode", "house_number", "house_letter", "house_number_addition", "energy_label",
                   "dwelling_type", "build_year", "build_year_band", "floor_area_m2", "package_installed",
                   "large_measure", "large_measure_status")


# --- Protection: pure functions over counts ------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """One row of the postcode-6 level: its counts, None where suppressed (every cell of a hidden group
    included in `counts`, only the published ones written)."""

    level: str
    code: str
    counts: dict[str, int | None]

    def as_row(self) -> dict:
        return {"area_level": self.level, "area": self.code, **{key: self.counts[key] for key in COUNT_COLUMNS}}

    @property
    def suppressed(self) -> int:
        """How many written cells are suppressed."""
        return sum(1 for key in COUNT_COLUMNS if self.counts[key] is None)


def suppressed_in_group(cells: dict[str, int], *, hidden: str = "",
                        not_consenting: dict[str, int] | None = None) -> set[str] | None:
    """The cells of one group to suppress (rules 1 and 2), or None when the group cannot be protected. `cells` are
    the counts of all dwellings, `not_consenting` those of the non-consenting ones (without it: all of them)."""
    both = (cells,) if not_consenting is None else (cells, not_consenting)
    order = list(cells)
    suppressed = {key for key in cells if any(0 < counts[key] < MINIMUM_CELL for counts in both)}
    while suppressed and not all(_pins_none(counts, suppressed) for counts in both):
        others = [key for key, count in cells.items() if count > 0 and key not in suppressed]
        if not others:
            return None
        suppressed.add(min(others, key=lambda key: (key != hidden, cells[key], order.index(key))))
    return suppressed


def _pins_none(counts: dict[str, int], suppressed: set[str]) -> bool:
    """Whether what the suppressed cells hold together (the total minus the published cells) pins none of them: at
    least two cells, and more dwellings than cells holding any, or none at all. (A cell holding any is known to be
    at least 1 at most; one holding none is known to be at least 0.)"""
    together = sum(counts[key] for key in suppressed)
    holding = sum(1 for key in suppressed if counts[key] > 0)
    return len(suppressed) >= 2 and (together == 0 or together > holding)


def protected_counts(counts: dict[str, int],
                     not_consenting: dict[str, int] | None = None) -> dict[str, int | None] | None:
    """An area's counts with its suppressed cells None, or None when the area cannot be published (rule 3).
    `not_consenting`: the same cells counting only the non-consenting dwellings; without it, all of them."""
    not_consenting = counts if not_consenting is None else not_consenting
    if counts["dwellings"] < MINIMUM_CELL or 0 < not_consenting["dwellings"] < MINIMUM_CELL:
        return None
    suppressed: set[str] = set()
    for group in GROUPS:
        in_group = suppressed_in_group({cell: counts[cell] for cell in group.cells}, hidden=group.hidden,
                                       not_consenting={cell: not_consenting[cell] for cell in group.cells})
        if in_group is None:
            return None
        suppressed |= in_group
    return {key: None if key in suppressed else count for key, count in counts.items()}


def protected_areas(areas: Iterable[tuple]) -> list[Area]:
    """The postcode-6 level: each (postcode-6, counts, non-consenting counts) published if it can be protected, the
    others summed into their postcode-4's remainder (rule 3). Without the non-consenting counts, every dwelling
    counts as not consenting. Ordered by postcode, each remainder after its postcode-6 areas."""
    published: list[Area] = []
    remainders: dict[str, tuple[Counter, Counter]] = {}
    for code, counts, *rest in areas:
        not_consenting = rest[0] if rest else counts
        protected = protected_counts(counts, not_consenting)
        if protected is None:
            total, part = remainders.setdefault(code[:4], (Counter(), Counter()))
            total.update(counts)
            part.update(not_consenting)
        else:
            published.append(Area(Level.POSTCODE6, code, protected))
    for code, (total, part) in remainders.items():
        counts = {key: total[key] for key in total}
        protected = protected_counts(counts, {key: part[key] for key in counts}) or dict.fromkeys(counts)
        published.append(Area(POSTCODE4_REMAINDER, code, protected))
    return sorted(published, key=lambda area: (area.code[:4], area.level == POSTCODE4_REMAINDER, area.code))


# --- Reading the register ------------------------------------------------------------------------------------------

def population(programme: Programme):
    """The dwellings the export describes: those of the programme's households that were reached."""
    return Dwelling.objects.filter(household__programme=programme, household__reached_at__isnull=False)


def counts_per_postcode6(programme: Programme) -> list[tuple[str, dict[str, int], dict[str, int]]]:
    """Every postcode-6 of the population with its counts (every cell of every group), and the same cells counting
    only its non-consenting dwellings, in three grouped queries (the dwellings' grouped by consent too: one test of
    the consent per dwelling instead of one per cell)."""
    dwellings = population(programme)
    not_consenting = ~shares_address_level()
    characteristics = {"dwellings": Q(), **LABEL_CELLS, **TYPE_CELLS, **BUILD_YEAR_CELLS}
    per_postcode = (dwellings.annotate(address_level=shares_address_level()).values("postcode", "address_level")
                    .order_by("postcode")
                    .annotate(**{key: Count("pk", filter=q) for key, q in characteristics.items()}))
    households = dwellings.values("household_id")
    installed = {row["postcode"]: row for row in (
        Package.objects.filter(status=Package.Status.INSTALLED, household__in=households)
        .values(postcode=F("household__dwelling__postcode")).order_by()
        .annotate(installed=Count("household", distinct=True),
                  installed_not_consenting=Count("household", distinct=True, filter=not_consenting)))}
    paid = Q(status=Application.Status.PAID)
    granted = (Application.objects.filter(status__in=Application.GRANTED, household__in=households)
               .values(postcode=F("household__dwelling__postcode"), kind=F("measure")).order_by()
               .annotate(granted=Count("household", distinct=True),
                         paid=Count("household", distinct=True, filter=paid),
                         granted_not_consenting=Count("household", distinct=True, filter=not_consenting),
                         paid_not_consenting=Count("household", distinct=True, filter=paid & not_consenting)))
    large = {(row["postcode"], row["kind"]): row for row in granted}
    per_area: dict[str, tuple[dict, dict]] = {}
    for row in per_postcode:
        counts, part = per_area.setdefault(row["postcode"], (dict.fromkeys(characteristics, 0),
                                                             dict.fromkeys(characteristics, 0)))
        for key in characteristics:
            counts[key] += row[key]
            part[key] += 0 if row["address_level"] else row[key]
    areas = []
    for postcode, (counts, part) in per_area.items():
        package, measures = installed.get(postcode, {}), {measure: large.get((postcode, measure), {})
                                                          for measure in MEASURES}
        areas.append((postcode.replace(" ", ""), _completed(counts, package, measures),
                      _completed(part, package, measures, of="_not_consenting")))
    return areas


def _completed(cells: dict[str, int], package: dict, measures: dict[str, dict], *, of: str = "") -> dict[str, int]:
    """An area's cells with those of the package and the large measures added, from their grouped rows (the
    columns ending in `of`: all dwellings, or the non-consenting ones)."""
    cells["package_installed"] = package.get(f"installed{of}", 0)
    cells["package_not_installed"] = cells["dwellings"] - cells["package_installed"]
    for measure, row in measures.items():
        granted, paid = row.get(f"granted{of}", 0), row.get(f"paid{of}", 0)
        cells[f"large_{measure}_paid"] = paid
        cells[f"large_{measure}_approved"] = granted - paid
        cells[f"large_{measure}_none"] = cells["dwellings"] - granted
    return cells


def build_year_band(year: int | None) -> str:
    if year is None:
        return "built_unknown"
    return next(key for key, low, high in BUILD_YEAR_BANDS if (low is None or year >= low)
                and (high is None or year <= high))


def shares_address_level() -> Exists:
    """Whether the household of the row (a dwelling, package or application) has a current consent (the one not
    withdrawn) that includes sharing at address level: who is in the file per address, and who is not (the
    non-consenting dwellings the postcode-6 level also protects)."""
    return Exists(Consent.objects.filter(household=OuterRef("household"), withdrawn_at=None, processing=True,
                                         share_address_level=True))


def consenting_dwellings(programme: Programme):
    """The population's dwellings whose household's current consent includes sharing at address level."""
    return population(programme).filter(shares_address_level())


def address_rows(programme: Programme):
    """The address level: one row per consenting dwelling, its address and characteristics, no names."""
    granted = (Application.objects.filter(household=OuterRef("household"), status__in=Application.GRANTED)
               .order_by("-created_at", "-pk"))
    installed = Package.objects.filter(household=OuterRef("household"), status=Package.Status.INSTALLED)
    dwellings = (consenting_dwellings(programme)
                 .annotate(package_installed=Exists(installed), large_measure=Subquery(granted.values("measure")[:1]),
                           large_measure_status=Subquery(granted.values("status")[:1]))
                 .order_by("postcode", "house_number", "house_letter", "house_number_addition", "pk"))
    for dwelling in dwellings.values("postcode", "house_number", "house_letter", "house_number_addition",
                                     "energy_label", "dwelling_type", "build_year", "floor_area_m2",
                                     "package_installed", "large_measure", "large_measure_status").iterator(2000):
        status = dwelling["large_measure_status"]
        yield {**dwelling,
               "postcode": dwelling["postcode"].replace(" ", ""),
               "build_year_band": build_year_band(dwelling["build_year"]),
               "large_measure": dwelling["large_measure"] or "",
               "large_measure_status": ("" if status is None
                                        else "paid" if status == Application.Status.PAID else "approved")}


# --- Writing -------------------------------------------------------------------------------------------------------

def csv_content(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    """UTF-8 without a byte-order mark, `;` between cells, a header row; suppressed counts as `x`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[column]) for column in columns])
    return out.getvalue().encode("utf-8")


def _csv_cell(value):
    if value is None:
        return SUPPRESSED_IN_CSV
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_cell(value)


def json_content(export: ProvinceExport, columns: tuple[str, ...], rows: list[dict]) -> bytes:
    programme = export.programme
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "programme": {"code": programme.slug, "name": programme.name, "municipality": programme.municipality},
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "level": export.scope["level"],
        "population": "dwellings of the programme's households that were reached (active at least once)",
        "columns": list(columns),
        "rows": rows,
    }
    if export.scope["level"] == Level.POSTCODE6:
        document["suppression"] = {"threshold": MINIMUM_CELL, "marker": None}
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


# --- The export as a business act ----------------------------------------------------------------------------------

@transaction.atomic
def request_export(programme: Programme, *, by, level: str, file_format: str) -> ProvinceExport:
    """Ask for an export; the task makes it after this transaction (the database backend stores the task in it)."""
    ensure_may(by, "reports.export_for_province")
    clear_old_address_files(timezone.now())
    export = ProvinceExport.objects.create(programme=programme, requested_by=by, file_format=file_format,
                                           scope={"level": level})
    record_event(export, actor=by, action="province_export_requested", **_scope(export))
    make_province_export.enqueue(export.pk)
    return export


def clear_old_address_files(now) -> int:
    """Empty the files per address made longer than `ADDRESS_FILE_KEPT_FOR` ago (they hold personal data); the
    exports' records stay. Returns how many were emptied."""
    return (ProvinceExport.objects.filter(scope__level=Level.ADDRESS, finished_at__lt=now - ADDRESS_FILE_KEPT_FOR)
            .exclude(content=None).update(content=None))


def _scope(export: ProvinceExport) -> dict:
    return {"level": export.scope["level"], "format": export.file_format, "programme": export.programme.slug}


@task()
def make_province_export(export_id: int) -> int:
    """Write the export's file; returns its number of rows. The file is recorded with its counts (the system)."""
    export = ProvinceExport.objects.select_related("programme").get(pk=export_id)
    with making(export) as made:
        with reports_on_replica():
            rows, columns, counts = _rows(export)
        made.progress(rows_total=len(rows))
        if export.file_format == FileFormat.JSON:
            content = json_content(export, columns, rows)
        else:
            content = csv_content(columns, rows)
        with transaction.atomic():
            made.done(content, rows=len(rows), counts=counts)
            record_event(export, actor=None, action="province_export_made", **_scope(export), **counts)
    return len(rows)


def _rows(export: ProvinceExport) -> tuple[list[dict], tuple[str, ...], dict]:
    if export.scope["level"] == Level.ADDRESS:
        rows = list(address_rows(export.programme))
        return rows, ADDRESS_COLUMNS, {"rows": len(rows), "addresses": len(rows)}
    areas = protected_areas(counts_per_postcode6(export.programme))
    rows = [area.as_row() for area in areas]
    dwellings = population(export.programme).count()
    return rows, POSTCODE6_COLUMNS, {
        "rows": len(rows), "dwellings": dwellings,
        "postcode6_areas": sum(1 for area in areas if area.level == Level.POSTCODE6),
        "postcode4_remainders": sum(1 for area in areas if area.level == POSTCODE4_REMAINDER),
        "suppressed_cells": sum(area.suppressed for area in areas),
    }


def record_download(export: ProvinceExport, *, by) -> None:
    """The file left the system: who took it, and when."""
    record_event(export, actor=by, action="province_export_downloaded", **_scope(export))


def filename(export: ProvinceExport) -> str:
    made = timezone.localtime(export.finished_at or export.requested_at).strftime("%Y%m%d-%H%M")
    return f"provincie-{export.programme.slug}-{export.scope['level']}-{made}.{export.file_format}"
