"""`python -m bench`: build (or reuse) the bench database, then print the pages' table and the import's speed."""

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--households", type=int, default=100_000, help="households in the programme (100,000)")
    parser.add_argument("--entries", type=int, default=1_000_000, help="ledger entries (1,000,000)")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--warm-up", type=int, default=2, help="untimed requests per page first (2)")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the timed import; 0: none (10,000)")
    parser.add_argument("--import-runs", type=int, default=3, help="timed imports; their median is reported (3)")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew even at the same scale")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management.base import CommandError

    from bench.build import PROGRAMME, BenchRefused, Scale, ensure_database
    from bench.report import run_bench
    from budget.models import Programme

    try:
        ensure_database(Scale(options.households, options.entries), rebuild=options.rebuild)
    except BenchRefused as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except CommandError as error:  # reconcile_budget: the ledger and the cached totals differ
        print(f"bench: {error} Build the database anew: --rebuild (make bench BENCH_ARGS=--rebuild).",
              file=sys.stderr)
        return 2
    report = run_bench(Programme.objects.get(slug=PROGRAMME), runs=options.runs, warm_up=options.warm_up,
                       import_rows=options.import_rows, import_runs=options.import_runs)
    return 0 if report.all_pages_answered else 1


if __name__ == "__main__":
    sys.exit(main())
