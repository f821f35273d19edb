"""Access expectations: the province part of the reports (see tests/reports/access.py)."""

URLS = []
