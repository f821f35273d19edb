"""The benchmark of issue 10: a programme at a large city's scale, and how fast its pages and import are.

    make bench                                   # PostgreSQL: postgres://…/warmhuis_bench unless DATABASE_URL
    HOUSEHOLDS=1000 ENTRIES=10000 RUNS=5 make bench
    .venv/bin/python -m bench --households 100000 --entries 1000000 --runs 20 --import-rows 10000 [--rebuild]

`bench.build` fills a dedicated database (kept and reused at the same scale), `bench.measure` times the
pages and API lists as their roles, `bench.importing` times the household import, `bench.report` runs
them and prints the table. tests/test_bench.py runs it all at a small scale, so it keeps working.
"""
