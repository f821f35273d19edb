import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle_counts(request):
    """The public API is throttled per address, counted in the database cache; each test that reaches the
    database starts with a clean count (pure rule and calculator tests need neither)."""
    if not ({"db", "transactional_db", "client"} & set(request.fixturenames)
            or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    cache.clear()
    yield
    cache.clear()
