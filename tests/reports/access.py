"""Access expectations for every reports page (see tests/access.py and tests/subsidy/access.py).

One module per part, each with `URLS` and, when it needs objects of its own, `MAKERS` (name → a function of the
objects that makes it): access_programme (the programme report and its files), access_scenarios, access_province
(the province's export), access_exports (the lists' exports). Objects are made when a URL first asks for them
(`tests.subsidy.access.Objects`).
"""

from tests.reports import access_exports, access_programme, access_province, access_scenarios
from tests.subsidy.access import Objects

PARTS = (access_programme, access_scenarios, access_province, access_exports)


def build(ctx):
    makers = {"people": lambda objects: ctx.users, "programme": lambda objects: ctx.programme}
    for part in PARTS:
        makers.update(getattr(part, "MAKERS", {}))
    return Objects(makers)


URLS = [url for part in PARTS for url in part.URLS]
