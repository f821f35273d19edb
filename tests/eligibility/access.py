"""Access expectations for every eligibility URL (tests/test_access_matrix.py walks them).

The self-check, the DIY calculator and the public API answer everyone alike: they need no login
and store nothing. An empty API body is a 400 (the fields are named), a complete one a 200; an
empty self-check form is shown again with its errors (200).

Assessing a household is a households page (`households:assess`, tests/households/access.py).
"""

from tests.access import Url

EVERYONE = ("anonymous", "handyman", "handyman2", "community", "assessor", "finance", "coordinator")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(EVERYONE, status)


CHECK = {"programme": "hilversum-2022", "date": "2022-09-01", "household_type": "couple",
         "net_monthly_income": "1900.00", "energy_label": "D", "tenure": "social_rent"}
DIY = {"programme": "hilversum-2022", "date": "2022-09-01", "measure": "roof", "area_m2": "70"}
FINANCING = {"programme": "hilversum-2022", "date": "2022-09-01", "yearly_income": "30000", "loan_years": 15,
             "measures": [{"measure": "roof", "cost": "4800"}, {"measure": "floor", "cost": "2000"}]}


URLS = [
    Url("eligibility:self_check", expect=everyone(200)),
    Url("eligibility:self_check", method="post", data={}, expect=everyone(200)),
    Url("eligibility:diy_calculator", expect=everyone(200)),
    Url("api-v1:eligibility-check", method="post", data={}, expect=everyone(400)),
    Url("api-v1:eligibility-check", method="post", data=CHECK, expect=everyone(200)),
    Url("api-v1:calculation-diy", method="post", data={}, expect=everyone(400)),
    Url("api-v1:calculation-diy", method="post", data=DIY, expect=everyone(200)),
    Url("api-v1:calculation-financing", method="post", data={}, expect=everyone(400)),
    Url("api-v1:calculation-financing", method="post", data=FINANCING, expect=everyone(200)),
]
