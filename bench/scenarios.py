"""`python -m bench.scenarios`: the seconds one scenario takes on the register of DATABASE_URL's database.

Runs `reports.scenarios.run_scenario` (150%, labels D or worse, a maximum grant of € 7,000) on the bench programme's
register as it is (`make bench` builds 100,000 households in postgres://…/warmhuis_bench); builds nothing, stores
nothing. Prints each run's seconds, the median, the households and the number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/warmhuis_bench .venv/bin/python -m bench.scenarios
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scenarios", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs (5), after one untimed")
    parser.add_argument("--programme", default="hilversum-2022", help="the programme's code (hilversum-2022)")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from budget.models import Programme
    from reports.scenarios import ScenarioValues, run_scenario

    programme = Programme.objects.filter(slug=options.programme).first()
    if programme is None:
        print(f"bench.scenarios: no programme {options.programme!r} in this database (make bench builds it).",
              file=sys.stderr)
        return 2
    values = ScenarioValues(income_percentage=Decimal("150"), worst_non_qualifying_label="C",
                            max_large_grant=Decimal("7000.00"))
    with CaptureQueriesContext(connection) as queries:
        result = run_scenario(programme, values)  # warm-up, and the number of queries
    seconds = []
    for _ in range(options.runs):
        started = time.perf_counter()
        run_scenario(programme, values)
        seconds.append(time.perf_counter() - started)
    small = result.tier("small")
    print(f"scenario 150%, label D or worse, max € 7,000 on {result.households:,} households "
          f"({connection.vendor}, {len(queries)} queries): {statistics.median(seconds):.2f} s median of "
          f"{options.runs} ({', '.join(f'{s:.2f}' for s in seconds)}); small tier {small.eligible_now:,} → "
          f"{small.eligible_scenario:,} (+{small.moved_in:,} −{small.moved_out:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
