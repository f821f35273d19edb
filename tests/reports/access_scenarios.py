"""Access expectations: the scenarios part of the reports (see tests/reports/access.py)."""

URLS = []
