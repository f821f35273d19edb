import pytest

from tests.factories import HouseholdFactory

HOUSEHOLD = {
    "contact_name": "Fatima el Amrani", "phone": "06 12345678", "email": "fatima@example.nl",
    "household_type": "single_parent", "residents": 3, "net_monthly_income": "1350.00",
    "energy_allowance": "yes", "referral_source": "income_consultant",
}
DWELLING = {
    "street": "Larenseweg", "house_number": 112, "house_letter": "", "house_number_addition": "",
    "postcode": "1221cm", "city": "Hilversum", "bag_id": "", "energy_label": "E", "energy_label_date": "",
    "dwelling_type": "terraced", "build_year": 1958, "floor_area_m2": "78.5", "tenure": "social_rent",
    "housing_corporation": "Dudok Wonen",
}


@pytest.fixture
def registration_data(programme):
    """What the register page posts for a complete, valid household with dwelling."""
    return {"programme": programme.pk, "reference": "", **HOUSEHOLD, **DWELLING}


@pytest.fixture
def household(programme, coordinator, handyman, community_worker):
    """A registered household: handyman `handyman` and community worker `community` assigned."""
    return HouseholdFactory(programme=programme, registered_by=coordinator, handyman=handyman,
                            community_worker=community_worker, dwelling__postcode="1211 AB")
