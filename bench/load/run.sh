#!/usr/bin/env bash
# The load and abuse run (`make load`; README, "Load and abuse run"): prepare the database, serve the app with
# gunicorn as in production (DEBUG off), run locust headless, print the table. The gunicorn started here is stopped
# on every way out (the trap). Settings: DATABASE_URL, LOAD_SECONDS (60), LOAD_PORT (8590), LOAD_WORKERS (4),
# LOAD_KEEP=1 (keep the run's folder: CSV, logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/warmhuis_load}"
PORT="${LOAD_PORT:-8590}"
SECONDS_TO_RUN="${LOAD_SECONDS:-60}"
WORKERS="${LOAD_WORKERS:-4}"
out="$(mktemp -d "${TMPDIR:-/tmp}/warmhuis-load.XXXXXX")"
gunicorn_pid=""
stop() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  [ -n "${LOAD_KEEP:-}" ] || rm -rf "$out"  # LOAD_KEEP=1 keeps the CSV and the logs
}
trap stop EXIT
trap 'exit 130' INT TERM

DJANGO_DEBUG=true $PY -m bench.load.prepare --out "$out/users.json"

# As in production, but over http on 127.0.0.1: no TLS redirect, and cookies a client sends without TLS (only here).
export DJANGO_DEBUG=false DJANGO_SECRET_KEY="$(head -c 48 /dev/urandom | base64)" DJANGO_ALLOWED_HOSTS=127.0.0.1 \
  DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SESSION_COOKIE_SECURE=false DJANGO_CSRF_COOKIE_SECURE=false \
  DJANGO_STATIC_ROOT="${TMPDIR:-/tmp}/warmhuis-load-static" DJANGO_LOG_LEVEL=WARNING
$PY manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn config.wsgi -w "$WORKERS" -b "127.0.0.1:$PORT" --no-control-socket >"$out/gunicorn.log" 2>&1 &
gunicorn_pid=$!
healthy=""
for _ in $(seq 60); do
  if $PY -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/health/', timeout=2)" 2>/dev/null; then
    healthy=yes; break
  fi
  sleep 0.5
done
if [ -z "$healthy" ]; then
  echo "load: gunicorn did not answer on port $PORT:" >&2; tail -20 "$out/gunicorn.log" >&2; exit 1
fi

echo "load: 50 staff users and 4 abusers for ${SECONDS_TO_RUN} s against gunicorn ($WORKERS workers, port $PORT) ..."
status=0
# The locustfile stops the run SECONDS_TO_RUN after the last staff user logged in; --run-time is only a backstop.
LOAD_USERS_FILE="$out/users.json" LOAD_LOGIN_STATS="$out/run_logins.json" LOAD_SECONDS="$SECONDS_TO_RUN" PYTHONPATH=. \
  .venv/bin/locust -f bench/load/locustfile.py --headless \
  --users 54 --spawn-rate 10 --run-time "$((SECONDS_TO_RUN + 300))s" --host "http://127.0.0.1:$PORT" \
  --csv "$out/run" --only-summary --loglevel WARNING >"$out/locust.log" 2>&1 || status=$?
$PY -m bench.load.summary "$out/run" || status=$?
echo "The app logged $(grep -c "Login lockout" "$out/gunicorn.log" || true) lockout(s) and" \
  "$(grep -c "Too Many Requests" "$out/gunicorn.log" || true) answers 429 (Too Many Requests)."
if [ "$status" -ne 0 ]; then
  echo "load: failures (locust's list, then the app's log without the expected refusals):" >&2
  cat "$out/run_failures.csv" >&2 || true
  grep -v "Too Many Requests\|Login lockout" "$out/gunicorn.log" | tail -60 >&2 || true
fi
exit "$status"
