"""Demo data: thirty Hilversum households in every stage (never in production; see accounts.demo).

Registered, given consent, assigned and assessed through the services, so the register, the audit
trail and the eligibility section look as they would after real work. Most households belong to
`handyman`, some to `handyman2`, a few to nobody yet; `community` helps about a third of them.
Idempotent: does nothing when the programme already has households.
"""

import datetime
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.audit import as_of
from budget.models import Programme
from households.models import Household
from households.services import (
    assess_eligibility,
    assign_household,
    close_household,
    record_consent,
    register_household,
)

PROGRAMME = "hilversum-2022"
STATEMENT_VERSION = "2022-1"

# name, household type, residents, net monthly income (None: not yet known), energy allowance, referral,
# street, number, postcode, energy label, dwelling type, build year, floor area, tenure (corporation),
# handyman, community worker helps, stage (registered / active / closed)
HOUSEHOLDS = [
    ("Mevrouw J. de Vries", "single_pension_age", 1, "1385.00", "yes", "income_consultant",
     "Larenseweg", 112, "1221CN", "E", "terraced", 1936, "84.0", "owner_occupier", "handyman", True, "active"),
    ("Dhr. A. el Amrani", "couple", 4, "2410.50", "yes", "housing_corporation",
     "Liebergerweg", 45, "1221JS", "F", "apartment", 1962, "68.0", "Dudok Wonen", "handyman", True, "active"),
    ("Fam. Bakker", "couple", 3, "2890.00", "no", "neighbourhood_event",
     "Egelshoek", 17, "1213RE", "D", "corner", 1958, "96.5", "owner_occupier", "handyman", False, "active"),
    ("Mevrouw S. Öztürk", "single_parent", 3, "1820.00", "yes", "community_worker",
     "Geuzenweg", 88, "1221GK", "G", "terraced", 1931, "79.0", "private_rent", "handyman", True, "active"),
    ("Dhr. P. Jansen", "single", 1, "1290.00", "unknown", "self_registration",
     "Havenstraat", 6, "1211KL", "E", "apartment", 1972, "52.0", "de Alliantie", "handyman", False, "active"),
    ("Mevrouw W. Kramer", "single_pension_age", 1, "1510.75", "no", "income_consultant",
     "Kerkelaan", 24, "1211JT", "F", "terraced", 1925, "88.0", "owner_occupier", "handyman", True, "active"),
    ("Fam. Nguyen", "couple", 5, "2650.00", "yes", "housing_corporation",
     "Bussumergrintweg", 131, "1217BS", "E", "apartment", 1968, "74.0", "Het Gooi en Omstreken", "handyman",
     False, "active"),
    ("Dhr. en mevr. Visser", "couple_pension_age", 2, "2140.00", "no", "neighbourhood_event",
     "Diependaalselaan", 310, "1215KL", "D", "semi_detached", 1952, "112.0", "owner_occupier", "handyman", False,
     "active"),
    ("Mevrouw L. Smit", "single_parent", 2, "1675.00", "yes", "community_worker",
     "Neuweg", 203, "1214GT", "F", "terraced", 1910, "71.0", "owner_occupier", "handyman", True, "active"),
    ("Dhr. M. Mulder", "single", 1, "1720.00", "no", "other",
     "Vaartweg", 59, "1217SN", "C", "apartment", 1979, "61.0", "private_rent", "handyman", False, "active"),
    ("Mevrouw H. Bos", "single_pension_age", 1, None, "unknown", "self_registration",
     "Rembrandtlaan", 12, "1213BG", "E", "corner", 1934, "92.0", "owner_occupier", "handyman", False, "registered"),
    ("Fam. Yilmaz", "couple", 4, "2320.00", "yes", "community_worker",
     "Jan van der Heijdenstraat", 37, "1216LM", "F", "terraced", 1929, "83.0", "Dudok Wonen", "handyman", True,
     "active"),
    ("Dhr. R. Dekker", "single", 1, "1480.00", "yes", "income_consultant",
     "Soestdijkerstraatweg", 72, "1213XE", "G", "apartment", 1958, "48.0", "de Alliantie", "handyman", False,
     "closed"),
    ("Mevrouw E. Hendriks", "single_parent", 2, "1950.00", "no", "neighbourhood_event",
     "Erfgooiersstraat", 141, "1222AE", "D", "terraced", 1964, "86.0", "owner_occupier", "handyman", False,
     "active"),
    ("Dhr. en mevr. Peters", "couple_pension_age", 2, "2480.00", "unknown", "income_consultant",
     "Kapittelweg", 19, "1216JD", "E", "semi_detached", 1939, "118.0", "owner_occupier", "handyman2", False,
     "active"),
    ("Mevrouw F. Boukhari", "single_parent", 4, "2010.00", "yes", "housing_corporation",
     "Johannes Geradtsweg", 54, "1222PR", "F", "apartment", 1966, "77.0", "Het Gooi en Omstreken", "handyman2",
     True, "active"),
    ("Dhr. T. van Dijk", "single", 1, "1340.00", "no", "self_registration",
     "Oostereind", 163, "1212VK", "E", "terraced", 1922, "64.0", "private_rent", "handyman2", False, "active"),
    ("Fam. de Boer", "couple", 3, "3120.00", "no", "neighbourhood_event",
     "Schapenkamp", 8, "1211PA", "B", "corner", 1998, "104.0", "owner_occupier", "handyman2", False, "active"),
    ("Mevrouw K. Meijer", "single_pension_age", 1, "1460.00", "yes", "community_worker",
     "Larenseweg", 230, "1222HS", "F", "apartment", 1971, "58.0", "Dudok Wonen", "handyman2", True, "active"),
    ("Dhr. J. Koster", "single", 1, "1610.00", "unknown", "other",
     "Liebergerweg", 132, "1222JX", "E", "terraced", 1935, "73.0", "owner_occupier", "handyman2", False,
     "registered"),
    ("Fam. Willems", "couple", 6, "2980.00", "yes", "income_consultant",
     "Geuzenweg", 11, "1221GA", "G", "terraced", 1928, "99.0", "owner_occupier", "handyman2", True, "active"),
    ("Mevrouw D. Vermeulen", "single_parent", 3, "1880.00", "yes", "housing_corporation",
     "Egelshoek", 91, "1213RM", "E", "apartment", 1963, "70.0", "de Alliantie", "handyman2", False, "active"),
    ("Dhr. B. van den Berg", "single_pension_age", 1, "1395.00", "no", "neighbourhood_event",
     "Kerkelaan", 3, "1211JR", "D", "corner", 1948, "81.0", "owner_occupier", "handyman2", False, "closed"),
    ("Mevrouw N. Haddou", "couple", 2, "2230.00", "yes", "community_worker",
     "Havenstraat", 44, "1211KM", "F", "apartment", 1957, "63.0", "private_rent", None, True, "active"),
    ("Dhr. en mevr. Scholten", "couple_pension_age", 2, "2065.00", "unknown", "self_registration",
     "Rembrandtlaan", 58, "1213BJ", "E", "semi_detached", 1932, "121.0", "owner_occupier", None, False, "active"),
    ("Mevrouw C. Prins", "single", 1, None, "unknown", "self_registration",
     "Vaartweg", 120, "1217SV", "unknown", "apartment", None, None, "private_rent", None, False, "registered"),
    ("Fam. Kaya", "couple", 5, "2740.00", "yes", "housing_corporation",
     "Bussumergrintweg", 77, "1217BN", "F", "apartment", 1969, "82.0", "Het Gooi en Omstreken", None, True,
     "active"),
    ("Dhr. G. Postma", "single_pension_age", 1, "1430.00", "yes", "income_consultant",
     "Diependaalselaan", 140, "1214KA", "G", "terraced", 1919, "76.0", "owner_occupier", None, False, "active"),
    ("Mevrouw I. Groen", "single_parent", 2, "1795.00", "no", "neighbourhood_event",
     "Neuweg", 88, "1214GN", "E", "terraced", 1933, "69.0", "owner_occupier", None, True, "registered"),
    ("Dhr. O. Lambrecht", "single", 1, "1560.00", "no", "other",
     "Soestdijkerstraatweg", 15, "1213VR", "D", "apartment", 1975, "55.0", "de Alliantie", None, False, "active"),
]

CORPORATIONS = {"Dudok Wonen", "de Alliantie", "Het Gooi en Omstreken"}
FIRST_REGISTRATION = datetime.date(2022, 3, 1)


def _details(row):
    (name, household_type, residents, income, allowance, referral, street, number, postcode, label, dwelling_type,
     build_year, area, tenure, *_rest) = row
    phone_tail = zlib.crc32(name.encode()) % 100_000_000  # varied, the same on every run
    household = {
        "contact_name": name, "phone": f"06 {phone_tail:08d}", "email": "",
        "household_type": household_type, "residents": residents,
        "net_monthly_income": None if income is None else Decimal(income),
        "energy_allowance": allowance, "referral_source": referral,
    }
    corporation = tenure if tenure in CORPORATIONS else ""
    dwelling = {
        "street": street, "house_number": number, "postcode": postcode, "city": "Hilversum",
        "energy_label": label, "dwelling_type": dwelling_type, "build_year": build_year,
        "floor_area_m2": None if area is None else Decimal(area),
        "tenure": "social_rent" if corporation else tenure, "housing_corporation": corporation,
    }
    return household, dwelling


def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None or Household.objects.filter(programme=programme).exists():
        return
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=["coordinator", "assessor", "handyman", "handyman2", "community"])}
    coordinator = users["coordinator"]
    with transaction.atomic():
        for number, row in enumerate(HOUSEHOLDS):
            handyman, helped, stage = row[-3:]
            household_data, dwelling_data = _details(row)
            registered_on = FIRST_REGISTRATION + datetime.timedelta(days=48 * number)
            moment = datetime.datetime.combine(registered_on, datetime.time(9, 30), datetime.UTC)
            with as_of(moment):
                household = register_household(programme=programme, by=coordinator, household=household_data,
                                               dwelling=dwelling_data)
            Household.objects.filter(pk=household.pk).update(created_at=moment)
            if stage != "registered":
                with as_of(moment + datetime.timedelta(days=DAYS_AFTER_REGISTRATION["consent_recorded"])):
                    record_consent(household, by=coordinator, statement_version=STATEMENT_VERSION,
                                   given_on=registered_on, processing=True, share_address_level=number % 3 == 0)
            if handyman or helped:
                with as_of(moment + datetime.timedelta(days=DAYS_AFTER_REGISTRATION["assigned"])):
                    assign_household(household, by=coordinator, handyman=users.get(handyman),
                                     community_worker=users["community"] if helped else None,
                                     note="Toegewezen bij het intakegesprek")
            if stage == "active" and household_data["net_monthly_income"] is not None:
                assess_eligibility(household, by=users["assessor"])  # today: it used today's rules
            if stage == "closed":
                with as_of(moment + datetime.timedelta(days=DAYS_AFTER_REGISTRATION["closed"])):
                    close_household(household, by=coordinator,
                                    reason="Drie bezoeken afgerond, kleine maatregelen geplaatst")


# Days after registration on which the demo's acts happened, recorded with `as_of` (the audit trail is
# append-only: backdating after the fact is not possible).
DAYS_AFTER_REGISTRATION = {"consent_recorded": 2, "assigned": 5, "closed": 150}
