"""Racing acts against one database, for the PostgreSQL concurrency tests."""

import threading

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
