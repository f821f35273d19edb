# ruff: noqa: S311 (a seeded generator writes the same file on every run; nothing here is a secret)
"""A realistic household list to try the import with: `manage.py sample_import_file --rows 1000 --bad 3 --out x.xlsx`.

Writes two workbooks in the template's Dutch columns: the file with `--bad` wrong rows (in turn: a missing postcode,
energy label "Q", income "abc", a Kenmerk that is also on the row before, a name beginning with "="), and beside it
the same file corrected (`<name>-verbeterd.xlsx`). Every row has a Kenmerk of the old system (`CRM-00001`…), so
importing the corrected file a second time changes nothing.
"""

import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook

from eligibility.codes import EnergyLabel, HouseholdType, Tenure
from households.imports import HEADERS, TEMPLATE_COLUMNS
from households.models import DwellingType, ReferralSource

SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
            "El Amrani", "Yilmaz", "Demir", "Haddou", "van Dijk", "Hendriks", "Dekker", "Brouwer", "de Wit", "Kok"]
TITLES = ["Mevrouw", "Dhr.", "Fam.", "Dhr. en mevr."]
STREETS = ["Larenseweg", "Liebergerweg", "Egelshoek", "Geuzenweg", "Havenstraat", "Kerkelaan", "Bussumergrintweg",
           "Neuweg", "Oosterengweg", "Minckelersstraat", "Schapenkamp", "Vaartweg"]
POSTCODE_AREAS = ["1211", "1212", "1213", "1214", "1215", "1216", "1217", "1218", "1221", "1222", "1223"]
LETTERS = "ABCDEGHJKLMNPRTVWXZ"  # without S: SA, SD and SS are not used in Dutch postcodes
CORPORATIONS = ["Dudok Wonen", "de Alliantie", "Het Gooi en Omstreken"]
MISTAKES = [("postcode", ""), ("energy_label", "Q"), ("net_monthly_income", "abc"), ("reference", None),
            ("contact_name", "=HYPERLINK(\"http://example.com\")")]


def sample_rows(count: int, *, seed: int = 13) -> list[dict[str, str]]:
    """`count` plausible rows as people type them ("1385,00", "15-03-2024", "ja"), each with its own address."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        tenure = rng.choice(Tenure.values)
        rows.append({
            "reference": f"CRM-{number:05d}",
            "contact_name": f"{rng.choice(TITLES)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(SURNAMES)}",
            "phone": f"06 {rng.randrange(10_000_000, 99_999_999)}", "household_type": rng.choice(HouseholdType.values),
            "residents": str(rng.randint(1, 6)),
            "net_monthly_income": f"{rng.randrange(950, 3200)},{rng.randrange(100):02d}",
            "energy_allowance": rng.choice(["ja", "nee"]), "referral_source": rng.choice(ReferralSource.values),
            "street": rng.choice(STREETS), "house_number": str(number),
            "postcode": f"{rng.choice(POSTCODE_AREAS)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}", "city": "Hilversum",
            "energy_label": rng.choice(EnergyLabel.values), "dwelling_type": rng.choice(DwellingType.values),
            "build_year": str(rng.randint(1900, 1995)), "floor_area_m2": f"{rng.randint(40, 140)},{rng.randrange(10)}",
            "tenure": tenure, "housing_corporation": rng.choice(CORPORATIONS) if tenure == Tenure.SOCIAL_RENT else "",
            "consent_statement_version": "2022-1",
            "consent_given_on": f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-2024", "consent_processing": "ja",
            "consent_share_address_level": rng.choice(["ja", "nee"]),
        })
    return rows


def with_mistakes(rows: list[dict[str, str]], bad: int, *, seed: int = 13) -> tuple[list[dict[str, str]], list[int]]:
    """A copy of `rows` with `bad` of them wrong (spread over the file); their row numbers in the file (from 2)."""
    rng = random.Random(seed)
    wrong = sorted(rng.sample(range(1, len(rows)), bad))
    rows = [dict(row) for row in rows]
    for turn, index in enumerate(wrong):
        column, value = MISTAKES[turn % len(MISTAKES)]
        rows[index][column] = rows[index - 1]["reference"] if value is None else value
    return rows, [index + 2 for index in wrong]


def workbook(rows: list[dict[str, str]]) -> Workbook:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Huishoudens")
    sheet.append([HEADERS[column] for column in TEMPLATE_COLUMNS])
    for row in rows:
        sheet.append([row.get(column, "") for column in TEMPLATE_COLUMNS])
    return book


class Command(BaseCommand):
    help = "Write a realistic household list for the import (xlsx), with some wrong rows, and its corrected version."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--bad", type=int, default=3, help="rows with a mistake the dry run refuses")
        parser.add_argument("--out", default="huishoudens.xlsx", help="the file with mistakes (.xlsx)")
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args, rows: int, bad: int, out: str, seed: int, **options):
        if not 0 <= bad < rows:
            raise CommandError("--bad must be at least 0 and fewer than --rows.")
        target = Path(out)
        if target.suffix.lower() != ".xlsx":
            raise CommandError("--out must end in .xlsx.")
        good = sample_rows(rows, seed=seed)
        wrong, numbers = with_mistakes(good, bad, seed=seed)
        fixed = target.with_name(f"{target.stem}-verbeterd.xlsx")
        workbook(wrong).save(target)
        workbook(good).save(fixed)
        self.stdout.write(f"{target}: {rows} rows, wrong on rows {', '.join(map(str, numbers)) or '-'}\n"
                          f"{fixed}: the same rows, corrected")
