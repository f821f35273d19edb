"""Racing acts against one database, for the PostgreSQL concurrency tests."""

import threading
from contextlib import contextmanager

from django.db import connection


def race(*acts):
    """Run every act in its own thread (own connection), all starting together; return their results.

    A result is what the act returned, or the exception it raised: the test inspects what each met.
    """
    barrier = threading.Barrier(len(acts))
    results = [None] * len(acts)

    def run(index, act):
        try:
            barrier.wait(timeout=30)
            results[index] = act()
        except Exception as error:  # handed to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@contextmanager
def held_open(hold):
    """Run `hold(wait)` in another thread with its own connection while the block runs.

    `hold` opens a transaction, does its work (takes its locks, writes its rows) and calls `wait()`, which
    keeps that transaction open until the block ends. Inside the block this connection gives up waiting
    for a lock after 3 seconds, so an act that would wait for the held transaction fails instead of hanging.
    The block gets a dict that holds `hold`'s result once the block has ended; an error of `hold` is raised
    when the block ends.
    """
    holding, finished = threading.Event(), threading.Event()
    outcome = {}

    def wait():
        holding.set()
        finished.wait(timeout=120)

    def run():
        try:
            outcome["result"] = hold(wait)
        except Exception as error:  # handed to the test
            outcome["error"] = error
            holding.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(timeout=120), "the other transaction never got going"
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        yield outcome
    finally:
        finished.set()
        thread.join(timeout=120)
    if "error" in outcome:  # the other transaction failed: nothing was held, so the block proved nothing
        raise outcome["error"]
