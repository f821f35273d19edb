"""Demo data: the field work — the three visits, the products packages and their follow-ups (never in production;
see accounts.demo).

Made through the services as the people would have, each past act recorded on its day with `as_of`, counted back
from today (visits planned for the coming days are planned now, for then):

- Twenty households with all three visits done and a package installed: values spread around the € 330 (about
  € 250 to € 450; those above it approved by the coordinator with a reason, some installing fewer than approved).
  Fourteen are the register's (`households.demo`), six are registered here, each on its own day.
- Mid-way: intake done, package approved, installation planned (one of them today, for `handyman`); one package
  above the limit waiting for the coordinator (`coordinator` can approve the override); an evaluation by phone
  today; intakes planned this week.
- Referrals to `community` (one still open) and defect reports to housing corporations for social-rent homes.
- For `handyman`: visits today and in the rest of this week, and one household, active and assessed eligible for
  small and medium measures, with only its intake planned today: from `make run` a person does all three visits
  for it on a phone (the proposal of its package between the intake and the installation).

Dwellings with a large-measure application in progress or granted get small items only (the large measure comes
instead of the medium ones). A package books on the energy-saving-products line through `subsidy.packages`: the
line's commitments and spend are the packages' (the budget demo orders no products directly). The resident's
reports of past visits are rendered by the background worker (`make run` starts it) and not e-mailed.
Idempotent: does nothing when the programme already has visits.
"""

import datetime
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.audit import as_of, now_of_acts
from budget.models import Programme
from fieldwork import services
from fieldwork.models import DefectReport, Referral, Visit
from households.models import Household
from households.services import (
    assess_eligibility,
    assign_household,
    close_household,
    record_consent,
    register_household,
)
from subsidy import packages
from subsidy.models import Package, Product

PROGRAMME = "hilversum-2022"
STATEMENT_VERSION = "2022-1"

# The small-measure kit (€ 79,00 at the Hilversum prices) and the medium items, by product name.
KIT = {"LED-lamp": 6, "Radiatorfolie": 1, "Tochtstrip": 2, "Brievenbusborstel": 1, "Waterbesparende douchekop": 1}
FANS, CURTAINS, FILM, SLIPPERS = "Radiatorventilator", "Isolerende gordijnen", "Isolerende raamfolie", "Wollen sloffen"

# Households registered for the field work: name, household type, residents, net monthly income, e-mail, street,
# number, postcode, label, dwelling type, build year, floor area, tenure (or the housing corporation), handyman,
# helped by `community`, days ago registered. Incomes are within 130% of the norm from 2022 on.
HOUSEHOLDS = [
    # Helped long ago and closed more than 24 months ago: `manage.py anonymise_expired` anonymises it (EXPIRED).
    ("Dhr. B. Verhoef", "single", 1, "1285.00", "b.verhoef@example.nl", "Kamerlingh Onnesweg", 8, "1223JB", "E",
     "terraced", 1962, "72.0", "owner_occupier", "handyman", False, 990),
    ("Mevrouw G. Rijnders", "single_pension_age", 1, "1310.00", "g.rijnders@example.nl", "Melkpad", 14, "1217KA",
     "E", "terraced", 1933, "78.0", "owner_occupier", "handyman", False, 700),
    ("Dhr. en mevr. Amrani-Bos", "couple", 4, "1780.00", "", "Arubalaan", 27, "1213VE", "F", "terraced", 1955,
     "86.0", "Dudok Wonen", "handyman", True, 640),
    ("Mevrouw P. Lindeman", "single_parent", 3, "1290.00", "p.lindeman@example.nl", "Snelliusstraat", 9, "1222KD",
     "D", "apartment", 1968, "66.0", "private_rent", "handyman", False, 560),
    ("Dhr. H. Wuyts", "single", 1, "1210.00", "", "Kamerlingh Onneslaan", 51, "1222JE", "F", "corner", 1929, "74.0",
     "owner_occupier", "handyman", False, 470),
    ("Fam. Doğan", "couple", 5, "1840.00", "dogan@example.nl", "Curaçaolaan", 8, "1213VH", "G", "terraced", 1951,
     "91.0", "de Alliantie", "handyman2", True, 400),
    ("Mevrouw J. Hilhorst", "single_pension_age", 1, "1360.00", "", "Zonnebloemstraat", 33, "1212BS", "E",
     "terraced", 1926, "69.0", "owner_occupier", "handyman2", False, 330),
    # The household whose three visits a person does from `make run`: its intake is planned today.
    ("Mevrouw A. Demir", "single_parent", 2, "1280.00", "a.demir@example.nl", "Lorentzweg", 120, "1221EK", "F",
     "terraced", 1931, "77.0", "owner_occupier", "handyman", True, 20),
]
TODAYS_HOUSEHOLD = "Mevrouw A. Demir"
CORPORATIONS = {"Dudok Wonen", "de Alliantie", "Het Gooi en Omstreken"}

# What the handyman finds, by the large measure advised (the label is the dwelling's own).
FINDINGS = {
    "floor": {"glazing": "double", "roof_insulation": "insulated", "floor_insulation": "none",
              "wall_insulation": "partly", "crawl_space_suitable": True, "diy_possible": True,
              "advice": "Isoleer de vloer vanuit de kruipruimte: die is hoog genoeg en droog. Dat kunt u zelf doen; "
                        "de energieklusser helpt met het opmeten."},
    "roof": {"glazing": "double", "roof_insulation": "none", "floor_insulation": "partly",
             "wall_insulation": "insulated", "crawl_space_suitable": False, "diy_possible": True,
             "advice": "Het dak is niet geïsoleerd: daar gaat de meeste warmte verloren. Isoleren van binnenuit "
                       "kan zelf, met isolatieplaten tussen de sporen."},
    "glass": {"glazing": "single", "roof_insulation": "partly", "floor_insulation": "insulated",
              "wall_insulation": "partly", "crawl_space_suitable": None, "diy_possible": False,
              "advice": "Vervang het enkele glas in de woonkamer en de slaapkamers door HR++-glas, door een "
                        "vakbedrijf."},
    "cavity_wall": {"glazing": "double", "roof_insulation": "insulated", "floor_insulation": "partly",
                    "wall_insulation": "none", "crawl_space_suitable": None, "diy_possible": False,
                    "advice": "De spouwmuur is leeg: spouwmuurisolatie door een vakbedrijf is snel gedaan en "
                              "bespaart veel."},
}


@dataclass
class Trajectory:
    """One household's field work: the advice, the package and how far it got.

    `days_ago`: the intake's day, counted back from today; `installed`: the quantities installed when fewer than
    proposed; `override`: the coordinator's reason for a package above the limit; `referral`: the reason, and
    whether `community` handled it; `defect`: what is wrong (a social-rent home), and how far the corporation got
    (sent, acknowledged, resolved); `evaluation`: experience, by phone, remarks.
    """

    name: str
    measure: str
    days_ago: int
    items: dict
    installed: dict = field(default_factory=dict)
    motivation: str = ""
    override: str = ""
    referral: tuple[str, bool] | None = None
    defect: tuple[str, str] | None = None
    evaluation: tuple[int, bool, str] = (4, False, "")
    gas: int = 1500


def kit(**more) -> dict:
    return {**KIT, **more}


# All three visits done, the package installed (values € 252 to € 444).
DONE = [
    Trajectory("Dhr. A. el Amrani", "glass", 420, kit(**{FANS: 4, CURTAINS: 2}),
               motivation="Vier slecht verwarmde kamers, enkel glas in de slaapkamers.",
               override="Groot gezin, vier kamers met enkel glas: gordijnen en ventilatoren nodig.",
               defect=("Schimmel in de badkamer en op de slaapkamermuren; de mechanische ventilatie werkt niet.",
                       "acknowledged"),
               evaluation=(4, False, "De kinderkamers zijn warmer; de schimmel komt terug, wacht op de corporatie."),
               gas=1950),
    Trajectory("Mevrouw S. Öztürk", "floor", 380, kit(**{FANS: 3, SLIPPERS: 2}),
               referral=("Zorgen over de energierekening en betalingsachterstand; hulp bij budgetteren.", True),
               evaluation=(5, True, "Voeten warm met de sloffen, rekening lager."), gas=1720),
    Trajectory("Mevrouw W. Kramer", "glass", 150, kit(**{"LED-lamp": 10, "Radiatorfolie": 3, "Tochtstrip": 4}),
               evaluation=(4, True, "Tochtstrips helpen; wacht op het nieuwe glas."), gas=1600),
    Trajectory("Mevrouw A. Bakker-Lont", "roof", 470, kit(**{"Radiatorfolie": 3, "Tochtstrip": 3}),
               evaluation=(5, False, "Zolder geïsoleerd met de subsidie, en de kleine maatregelen erbij."),
               gas=1400),
    Trajectory("Mevrouw F. Boukhari", "glass", 300, kit(**{FANS: 4, FILM: 2}),
               installed={FANS: 3},
               referral=("Hulp bij de aanvraag van de energietoeslag.", True),
               evaluation=(4, False, "Eén radiator bleek niet geschikt voor een ventilator."), gas=1500),
    Trajectory("Dhr. T. van Dijk", "floor", 260, kit(**{CURTAINS: 2, SLIPPERS: 2}),
               evaluation=(3, True, "Gordijnen fijn, sloffen te klein."), gas=1250),
    Trajectory("Mevrouw K. Meijer", "glass", 200, kit(**{FANS: 2, CURTAINS: 2, SLIPPERS: 1}),
               installed={CURTAINS: 1, SLIPPERS: 1},
               evaluation=(4, False, "Eén paar gordijnen paste niet; teruggegeven."), gas=1150),
    Trajectory("Dhr. M. Mulder", "cavity_wall", 610, kit(**{FANS: 4}),
               evaluation=(4, True, ""), gas=1350),
    Trajectory("Dhr. en mevr. Visser", "floor", 330, kit(**{"LED-lamp": 12, "Tochtstrip": 5}),
               evaluation=(5, False, "Vloerisolatie aangevraagd; de kleine maatregelen al in gebruik."), gas=2100),
    Trajectory("Mevrouw J. de Vries", "roof", 90, kit(**{"Radiatorfolie": 2, "Tochtstrip": 3}),
               evaluation=(4, True, "Dakisolatie volgt in het voorjaar."), gas=1800),
    Trajectory("Fam. Willems", "roof", 250, kit(**{FANS: 4, CURTAINS: 2, SLIPPERS: 2}),
               motivation="Zes bewoners, grote woning met label G.",
               override="Zes bewoners en label G: meer gordijnen en sloffen dan gemiddeld.",
               evaluation=(5, False, "Het hele gezin merkt het verschil."), gas=2400),
    Trajectory("Mevrouw D. Vermeulen", "glass", 180, kit(**{FANS: 3, CURTAINS: 2}),
               defect=("Lekkage bij het dakraam, natte plekken in de slaapkamer.", "sent"),
               evaluation=(3, True, "Lekkage nog niet verholpen."), gas=1300),
    Trajectory("Dhr. P. Jansen", "glass", 120, kit(**{FANS: 2, CURTAINS: 2}),
               evaluation=(4, True, ""), gas=1100),
    Trajectory("Mevrouw G. Rijnders", "floor", 680, kit(**{FANS: 4, CURTAINS: 2, SLIPPERS: 1}),
               motivation="Slecht ter been, zit veel stil in de koude woonkamer.",
               override="Alleenstaande op leeftijd, koude vloer: extra ventilatoren en sloffen.",
               evaluation=(5, False, "Veel warmer in de woonkamer."), gas=1650),
    Trajectory("Dhr. en mevr. Amrani-Bos", "glass", 620, kit(**{FANS: 4, FILM: 3}),
               installed={FANS: 4, FILM: 2},
               referral=("Vragen over de Warmtefonds-lening en schulden.", True),
               defect=("Kozijnen rot, ramen sluiten niet; tocht in de hele woning.", "resolved"),
               evaluation=(4, False, ""), gas=1900),
    Trajectory("Mevrouw P. Lindeman", "floor", 540, kit(**{CURTAINS: 2, SLIPPERS: 3}),
               evaluation=(4, True, "De kinderen dragen de sloffen graag."), gas=1200),
    Trajectory("Dhr. H. Wuyts", "roof", 450, kit(**{FANS: 3, CURTAINS: 3}),
               motivation="Hoekwoning uit 1929, drie grote ramen op het noorden.",
               override="Hoekwoning met grote ramen op het noorden: drie paar gordijnen.",
               installed={FANS: 2, CURTAINS: 3},
               evaluation=(5, True, ""), gas=2200),
    Trajectory("Fam. Doğan", "floor", 380, kit(**{FANS: 4, CURTAINS: 1}),
               referral=("Hulp bij het invullen van de aanvraag voor de toeslagen.", True),
               evaluation=(4, False, "Ventilatoren maken weinig geluid, prima."), gas=2050),
    Trajectory("Mevrouw J. Hilhorst", "roof", 310, kit(**{CURTAINS: 2, FILM: 2, SLIPPERS: 1}),
               evaluation=(5, True, ""), gas=1450),
    Trajectory("Fam. Yilmaz", "glass", 230, kit(**{FANS: 4, SLIPPERS: 2}),
               installed={FANS: 4, SLIPPERS: 1},
               evaluation=(4, False, ""), gas=1750),
]

# The retention demo (issue 14): all three visits done about 32 months ago, the household closed 30 months ago (more
# than the programme's 24), no application: `manage.py anonymise_expired --dry-run` lists it, the real run anonymises
# it and the programme report's totals stay the same.
EXPIRED = (Trajectory("Dhr. B. Verhoef", "floor", 970, kit(**{"LED-lamp": 6, "Tochtstrip": 4}),
                      referral=("Betalingsachterstand bij de energieleverancier; hulp gevraagd.", True),
                      evaluation=(4, True, "Minder tocht in de woonkamer."), gas=1500), 910)

# Intake done, package approved, installation planned (days from today; 0: today, for `handyman`).
MID_WAY = [
    (Trajectory("Fam. Nguyen", "glass", 8, kit(**{FANS: 3, CURTAINS: 1}),
                referral=("Moeite met de Nederlandse brieven over de energierekening; hulp gevraagd.", False)), 0),
    (Trajectory("Mevrouw L. Smit", "floor", 12, kit(**{"Radiatorfolie": 2})), 2),
    (Trajectory("Dhr. J. Koster", "roof", 9, kit(**{FANS: 3, CURTAINS: 2})), 3),  # handyman2
]
# Above the limit, waiting for the coordinator's decision (its installation planned this week).
WAITING = (Trajectory("Mevrouw N. Haddou", "glass", 6, kit(**{FANS: 4, CURTAINS: 2, SLIPPERS: 2}),
                      motivation="Woning op de hoek met veel ramen, twee kamers zonder tochtwering; de bewoner zit "
                                 "overdag thuis."), 4)
# Installed a few weeks ago; the evaluation by phone today (`handyman`).
EVALUATION_TODAY = Trajectory("Fam. Kaya", "glass", 40, kit(**{FANS: 2, SLIPPERS: 2}))
# Intakes planned in the coming days of this week.
INTAKES_THIS_WEEK = [("Dhr. O. Lambrecht", 1), ("Dhr. en mevr. Scholten", 2)]
# Households of the register without a handyman that the coordinator assigns (days ago), for the field work above.
ASSIGNED = {"Mevrouw N. Haddou": ("handyman", 30), "Fam. Kaya": ("handyman", 60),
            "Dhr. O. Lambrecht": ("handyman", 10), "Dhr. en mevr. Scholten": ("handyman", 10)}


class Demo:
    def __init__(self, programme: Programme):
        self.programme = programme
        self.today = timezone.localdate()
        self.people = {user.username: user for user in get_user_model().objects.filter(
            username__in=["coordinator", "assessor", "handyman", "handyman2", "community"])}
        self.products = {product.name: product for product in Product.objects.filter(programme=programme)}

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.day(days_ago), datetime.time(hour, minute)))

    def this_week(self, in_days: int) -> int:
        """`in_days` from today as days ago (negative), at the latest on this week's Sunday (the agenda's week)."""
        return -min(in_days, 6 - self.today.weekday())

    def at(self, days_ago: int, hour: int = 10, minute: int = 0):
        """Acts recorded `days_ago` days before today."""
        return as_of(self.moment(days_ago, hour, minute))

    def household(self, name: str) -> Household:
        return Household.objects.select_related("dwelling", "handyman").get(programme=self.programme,
                                                                           contact_name=name)

    def items(self, quantities: dict) -> dict:
        return {self.products[name].pk: quantity for name, quantity in quantities.items()}

    # --- Households registered for the field work -----------------------------------------------------------

    def register(self, row) -> Household:
        (name, household_type, residents, income, email, street, number, postcode, label, dwelling_type, build_year,
         area, tenure, handyman, helped, days_ago) = row
        coordinator = self.people["coordinator"]
        corporation = tenure if tenure in CORPORATIONS else ""
        with self.at(days_ago, hour=9, minute=30):
            household = register_household(
                programme=self.programme, by=coordinator,
                household={"contact_name": name, "phone": f"06 {zlib.crc32(name.encode()) % 100_000_000:08d}",
                           "email": email, "household_type": household_type, "residents": residents,
                           "net_monthly_income": Decimal(income), "energy_allowance": "yes",
                           "referral_source": "housing_corporation" if corporation else "income_consultant"},
                dwelling={"street": street, "house_number": number, "postcode": postcode, "city": "Hilversum",
                          "energy_label": label, "dwelling_type": dwelling_type, "build_year": build_year,
                          "floor_area_m2": Decimal(area), "tenure": "social_rent" if corporation else tenure,
                          "housing_corporation": corporation})
        Household.objects.filter(pk=household.pk).update(created_at=self.moment(days_ago, hour=9, minute=30))
        with self.at(days_ago - 1):
            record_consent(household, by=coordinator, statement_version=STATEMENT_VERSION,
                           given_on=self.today - datetime.timedelta(days=days_ago - 1), processing=True)
        with self.at(days_ago - 2):
            assign_household(household, by=coordinator, handyman=self.people[handyman],
                             community_worker=self.people["community"] if helped else None,
                             note="Toegewezen na aanmelding")
        with self.at(days_ago - 3, hour=11):
            assess_eligibility(household, by=self.people["assessor"])
        return household

    # --- The visits ---------------------------------------------------------------------------------------

    def plan(self, household: Household, days_ago: int, *, hour: int, minute: int = 0, planned_days_before: int = 7,
             mode: str = Visit.Mode.AT_HOME) -> Visit:
        """Plan the household's next visit for `days_ago` (negative: a coming day), as its handyman did then."""
        planned_at = self.moment(days_ago, hour, minute)
        if days_ago - planned_days_before < 0:  # planned now, for a coming day
            return services.plan_visit(household, by=household.handyman, planned_at=planned_at, mode=mode)
        with self.at(days_ago + planned_days_before, hour=16):
            return services.plan_visit(household, by=household.handyman, planned_at=planned_at, mode=mode)

    def intake(self, household: Household, trajectory: Trajectory) -> Visit:
        handyman = household.handyman
        visit = self.plan(household, trajectory.days_ago, hour=10)
        findings = {**FINDINGS[trajectory.measure], "energy_label": household.dwelling.energy_label,
                    "advised_measure": trajectory.measure, "gas_m3_per_year": trajectory.gas,
                    "electricity_kwh_per_year": 1800 + trajectory.gas % 900,
                    "wishes": "Minder stoken, warmere woonkamer."}
        referral = defect = None
        if trajectory.referral:
            referral = {"reason": trajectory.referral[0], "community_worker": self.people["community"]}
        if trajectory.defect:
            defect = {"description": trajectory.defect[0]}
        with self.at(trajectory.days_ago, hour=11):
            services.record_intake(visit, by=handyman, findings=findings, referral=referral, defect=defect,
                                   notes="Woning samen met de bewoner doorgelopen.")
        self.follow_ups(household, trajectory)
        return visit

    def follow_ups(self, household: Household, trajectory: Trajectory) -> None:
        """The community worker handles the referral, the corporation acknowledges (and resolves) the defect."""
        if trajectory.referral and trajectory.referral[1]:
            referral = Referral.objects.filter(household=household).latest("referred_at")
            with self.at(trajectory.days_ago - 6, hour=15):
                services.handle_referral(referral, by=self.people["community"],
                                         note="Huisbezoek gedaan, hulp geregeld.")
        if trajectory.defect and trajectory.defect[1] != DefectReport.Status.SENT:
            report = DefectReport.objects.filter(household=household).latest("sent_on")
            with self.at(trajectory.days_ago - 9, hour=9):
                report = services.update_defect(report, by=household.handyman,
                                                acknowledged_on=self.day(trajectory.days_ago - 9))
            if trajectory.defect[1] == DefectReport.Status.RESOLVED:
                with self.at(trajectory.days_ago - 60, hour=9):
                    services.update_defect(report, by=household.handyman,
                                           resolved_on=self.day(trajectory.days_ago - 60))

    def propose(self, household: Household, trajectory: Trajectory) -> Package:
        """The handyman proposes the package after the intake; above the limit the coordinator decides."""
        with self.at(trajectory.days_ago, hour=12):
            package = packages.propose(household, by=household.handyman, items=self.items(trajectory.items),
                                       motivation=trajectory.motivation)
        if package.status == Package.Status.OVERRIDE_REQUESTED and trajectory.override:
            with self.at(trajectory.days_ago - 2, hour=14):
                package = packages.approve_override(package, by=self.people["coordinator"],
                                                    reason=trajectory.override)
        return package

    def installation(self, household: Household, trajectory: Trajectory, days_ago: int) -> Visit:
        visit = self.plan(household, days_ago, hour=13, minute=30, planned_days_before=5)
        installed = {**trajectory.items, **trajectory.installed}
        with self.at(days_ago, hour=15):
            services.record_installation(visit, by=household.handyman, quantities=self.items(installed),
                                         notes="Alles geplaatst en uitgelegd.")
        return visit

    def evaluation(self, household: Household, trajectory: Trajectory, days_ago: int) -> Visit:
        experience, by_phone, remarks = trajectory.evaluation
        mode = Visit.Mode.BY_PHONE if by_phone else Visit.Mode.AT_HOME
        visit = self.plan(household, days_ago, hour=11, planned_days_before=20, mode=mode)
        in_use = [item.product_id for item in Package.objects.get(household=household,
                                                                  status=Package.Status.INSTALLED).items.all()
                  if item.installed_quantity]
        with self.at(days_ago, hour=11, minute=30):
            services.record_evaluation(visit, by=household.handyman, experience=experience, in_use=in_use,
                                       remarks=remarks)
        return visit

    # --- The trajectories -----------------------------------------------------------------------------------

    def done(self, trajectory: Trajectory) -> None:
        household = self.household(trajectory.name)
        self.intake(household, trajectory)
        self.propose(household, trajectory)
        installed_days_ago = trajectory.days_ago - 14
        self.installation(household, trajectory, installed_days_ago)
        self.evaluation(household, trajectory, max(installed_days_ago - 30, 1))

    def mid_way(self, trajectory: Trajectory, installation_in_days: int) -> Package:
        household = self.household(trajectory.name)
        self.intake(household, trajectory)
        package = self.propose(household, trajectory)
        self.plan(household, self.this_week(installation_in_days), hour=13, minute=30)
        return package

    def assign(self, name: str, handyman: str, days_ago: int) -> None:
        household = self.household(name)
        with self.at(days_ago, hour=9):
            assign_household(household, by=self.people["coordinator"], handyman=self.people[handyman],
                             community_worker=household.community_worker, note="Toegewezen voor het huisbezoek")


def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None or Visit.objects.filter(household__programme=programme).exists() \
            or not Household.objects.filter(programme=programme, registered_by__isnull=False).exists():
        return
    demo = Demo(programme)
    with transaction.atomic():
        for row in HOUSEHOLDS:
            demo.register(row)
        for name, (handyman, days_ago) in ASSIGNED.items():
            demo.assign(name, handyman, days_ago)
        for trajectory in DONE:
            demo.done(trajectory)
        trajectory, closed_days_ago = EXPIRED
        demo.done(trajectory)
        with demo.at(closed_days_ago):
            household = close_household(demo.household(trajectory.name), by=demo.people["coordinator"],
                                        reason="Traject afgerond; de bewoner is verhuisd naar een verpleeghuis.")
            Household.objects.filter(pk=household.pk).update(closed_at=now_of_acts())  # closing sets it to now
        for trajectory, in_days in MID_WAY:
            demo.mid_way(trajectory, in_days)
        trajectory, in_days = WAITING
        demo.mid_way(trajectory, in_days)
        # Installed a few weeks ago; the evaluation by phone is today.
        household = demo.household(EVALUATION_TODAY.name)
        demo.intake(household, EVALUATION_TODAY)
        demo.propose(household, EVALUATION_TODAY)
        demo.installation(household, EVALUATION_TODAY, EVALUATION_TODAY.days_ago - 14)
        demo.plan(household, 0, hour=16, mode=Visit.Mode.BY_PHONE)
        # Intakes this week, and today's household: nothing but its intake planned, at 9:30.
        for name, in_days in INTAKES_THIS_WEEK:
            demo.plan(demo.household(name), demo.this_week(in_days), hour=10)
        demo.plan(demo.household(TODAYS_HOUSEHOLD), 0, hour=9, minute=30)
