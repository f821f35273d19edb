"""Access expectations: api (see tests/subsidy/access.py)."""

URLS = []
