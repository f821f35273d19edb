"""Access expectations: see tests/fieldwork/access.py."""

URLS = []
