"""Access expectations: see tests/subsidy/access.py."""

URLS = []
