"""`python -m bench.load.summary <csv prefix>`: the load run's table from locust's `<prefix>_stats.csv`.

The logins first (they happen before the measured period), then one row per page (requests, requests per
second over the run, p50 and p95 in ms, failures), the expected refusals (the API's 429s, the wrong passwords
and the lockout) apart, and the totals. Exit status 1 when anything failed.
"""

import csv
import json
import sys

EXPECTED_REFUSALS = ("API: throttled (429)", "refused: wrong password", "refused: locked out")


def read(prefix: str) -> tuple[list[dict], dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return [row for row in rows if row["Name"] != "Aggregated"], total


def line(name: str, row: dict) -> str:
    return (f"{name:<32} {int(row['Request Count']):>8,} {float(row['Requests/s']):>7.1f} "
            f"{_ms(row['50%']):>7} {_ms(row['95%']):>7} {int(row['Failure Count']):>8,}")


def _ms(value: str) -> str:
    return "-" if value in ("", "N/A") else f"{float(value):,.0f}"


def logins(prefix: str) -> list[dict]:
    """What bench/load/locustfile.py wrote when the last staff user was in (absent if that never happened)."""
    try:
        with open(f"{prefix}_logins.json", encoding="utf-8") as figures:
            return [row for row in json.load(figures) if row["Request Count"]]
    except FileNotFoundError:
        return []


def table(rows: list[dict], total: dict, logged_in: list[dict] = ()) -> str:
    heading = f"{'page':<32} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'failures':>8}"
    rows = [row for row in rows if int(row["Request Count"])]
    pages = sorted((row for row in rows if row["Name"] not in EXPECTED_REFUSALS), key=lambda row: row["Name"])
    refusals = [row for row in rows if row["Name"] in EXPECTED_REFUSALS]
    out = [heading, "-" * len(heading)]
    if logged_in:
        out += ["logging in, everyone at once (before the measured period):",
                *(line(row["Name"], row) for row in sorted(logged_in, key=lambda row: row["Name"])), ""]
    out += [*(line(row["Name"], row) for row in pages)]
    if refusals:
        out += ["", "expected refusals (not failures):", *(line(row["Name"], row) for row in refusals)]
    out += ["-" * len(heading), line("total", total)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m bench.load.summary <csv prefix>", file=sys.stderr)
        return 2
    rows, total = read(argv[0])
    logged_in = logins(argv[0])
    print(table(rows, total, logged_in))
    if not int(total["Request Count"]):
        print("load: no requests were made (see locust's log).", file=sys.stderr)
        return 1
    return 1 if int(total["Failure Count"]) or any(int(row["Failure Count"]) for row in logged_in) else 0


if __name__ == "__main__":
    sys.exit(main())
