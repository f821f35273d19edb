"""Access expectations: payments (see tests/subsidy/access.py)."""

URLS = []
