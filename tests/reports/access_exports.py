"""Access expectations: the exports part of the reports (see tests/reports/access.py)."""

URLS = []
