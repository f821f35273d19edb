"""Access expectations: review (see tests/subsidy/access.py)."""

URLS = []
