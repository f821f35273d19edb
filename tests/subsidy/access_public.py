"""Access expectations: public (see tests/subsidy/access.py)."""

URLS = []
