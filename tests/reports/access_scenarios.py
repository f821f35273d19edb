"""Access expectations: the scenarios part of the reports (see tests/reports/access.py).

The coordinator and the finance officer run, save and compare scenarios; every other role gets 403 (no household is
involved, so `handyman2` too). The page with values runs the scenario (200); a save with an empty name gets the page
again with its error (200), a valid one stores it and goes to its page (302). Saving is a POST: a GET is refused
as a method (after the login). Comparing fewer than two shows a message (200).
"""

from tests.access import Url
from tests.subsidy.expect import expect

BOTH = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=200, coordinator=200)
BOTH_SAVED = expect(handyman=403, handyman2=403, community=403, assessor=403, finance=302, coordinator=302)
GET_ON_POST = expect(handyman=405, handyman2=405, community=405, assessor=405, finance=405, coordinator=405)

VALUES = {"programme": "hilversum-2022", "income_percentage": "150", "label_from": "D", "max_large_grant": "7000"}


def _saved(objects):
    from reports.scenarios import ScenarioValues, save_scenario

    values = ScenarioValues.from_record({"income_percentage": "150", "worst_non_qualifying_label": "C",
                                         "max_large_grant": "7000.00"})
    return [save_scenario(objects["programme"], values, name=name, by=objects["people"]["coordinator"])
            for name in ("150%", "150% en label D")]


MAKERS = {"saved_scenarios": _saved}


def _one(objects):
    return {"pk": objects["saved_scenarios"][0].pk}


URLS = [
    Url("reports:scenarios", BOTH),
    Url("reports:scenarios", BOTH, data=VALUES),
    Url("reports:scenario_save", BOTH, method="post", data={**VALUES, "name": ""}),
    Url("reports:scenario_save", BOTH_SAVED, method="post", data={**VALUES, "name": "Wat als 150%"}),
    Url("reports:scenario_save", GET_ON_POST),
    Url("reports:scenario", BOTH, kwargs=_one),
    Url("reports:scenario_compare", BOTH),
    Url("reports:scenario_compare", BOTH,
        data=lambda objects: {"scenarios": [saved.pk for saved in objects["saved_scenarios"]]}),
]
