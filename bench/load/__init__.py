"""`make load`: a load and abuse run against gunicorn on PostgreSQL (issue 14, item 9; README, "Load and abuse run").

prepare.py   the run's database: reference and demo data, 50 load users with their households and TOTP devices
totp.py      the RFC 6238 code a load user types (no Django: the locust process never imports it)
locustfile.py  the staff users' working day, the API hammered past its throttle, wrong passwords up to the lockout
summary.py   the table of pages (requests, req/s, p50, p95, failures) from locust's CSV
run.sh       the whole run: prepare, collectstatic, gunicorn (stopped at the end), locust, the table

Not a timed test and never imported by Django code or tests except totp.py: locust monkey-patches with gevent.
"""
