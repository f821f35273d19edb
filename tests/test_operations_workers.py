"""Several `db_worker` processes against one PostgreSQL never run a task twice (docs/operations.md).

django-tasks-db claims a task in one transaction: `SELECT … FOR UPDATE SKIP LOCKED` on the oldest
ready row, then marks it running with the worker's id. A second worker skips the locked row and
takes the next one, so each task is claimed by exactly one worker. This test starts three real
worker processes on the test database, hands them forty tasks at once and counts the runs.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.tasks import task

pytestmark = [pytest.mark.postgres]

BASE_DIR = Path(__file__).resolve().parent.parent
RUNS_TABLE = "test_operations_task_runs"
TASKS = 40
WORKERS = 3


@task()
def record_run(number: int) -> int:
    """A tiny task that writes down that it ran (and in which process), taking a moment as real work does."""
    time.sleep(0.05)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {RUNS_TABLE} (number, pid) VALUES (%s, %s)", [number, os.getpid()])
    return number


def database_url_of_this_test():
    """The URL of the test database (test_<name>), which the worker processes see: transactional_db commits."""
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}"


def start_worker(number, log):
    env = {**os.environ, "DATABASE_URL": database_url_of_this_test(), "DJANGO_LOG_LEVEL": "INFO",
           "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--skip-checks",
         "--interval", "0.05", "--worker-id", f"test-worker-{number}"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def wait_until(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_three_worker_processes_run_each_of_forty_tasks_exactly_once(postgres_required, transactional_db, tmp_path):
    from django_tasks_db.models import DBTaskResult

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RUNS_TABLE} (number integer NOT NULL, pid integer NOT NULL)")
    logs = [tmp_path / f"worker-{n}.log" for n in range(WORKERS)]
    workers = []
    try:
        for n, log in enumerate(logs):
            workers.append(start_worker(n, log.open("w")))
        # Hand out the work only when every worker is polling, so they really compete for it.
        wait_until(lambda: all("Starting worker" in log.read_text() for log in logs), timeout=30,
                   what="the workers to start")
        with transaction.atomic():
            for number in range(TASKS):
                record_run.enqueue(number)

        wait_until(lambda: DBTaskResult.objects.finished().count() == TASKS, timeout=30, what="the tasks to finish")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, pid FROM {RUNS_TABLE} ORDER BY number")
            runs = cursor.fetchall()
            cursor.execute(f"DROP TABLE {RUNS_TABLE}")

    assert sorted(number for number, _ in runs) == list(range(TASKS)), "\n".join(log.read_text() for log in logs)
    assert DBTaskResult.objects.successful().count() == TASKS
    claims = [result.worker_ids for result in DBTaskResult.objects.all()]
    assert all(len(worker_ids) == 1 for worker_ids in claims), claims
    assert len({worker_ids[0] for worker_ids in claims}) > 1, "the workers did not share the work"
    assert len({pid for _, pid in runs}) > 1
