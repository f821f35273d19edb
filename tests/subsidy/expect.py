"""The roles' expected statuses, for tests/subsidy/access_*.py. A household that is not yours is 404."""


def expect(anonymous=302, *, handyman, community, assessor, finance, coordinator, handyman2=404):
    return {"anonymous": anonymous, "handyman": handyman, "handyman2": handyman2, "community": community,
            "assessor": assessor, "finance": finance, "coordinator": coordinator}
