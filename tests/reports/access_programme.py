"""Access expectations: the programme part of the reports (see tests/reports/access.py)."""

URLS = []
