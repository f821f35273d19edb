"""Demo data: large-measure applications in every state, some overdue (never in production; see accounts.demo).

Made through the services as the people would have: applicants through the public form (new households, and
one registered household that consents in the form), community workers for the households they help, handymen
checking DIY areas, assessors deciding, finance paying. Each act is recorded on its day with `as_of`, counted
back from today, so the assessor's queue always has work that is overdue, due soon and paused, and the grants
line moves with every approval, release and payment. The decision letters are rendered by the background
worker (`make run` starts it). Idempotent: does nothing when the programme already has applications.
"""

import datetime
import functools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.audit import as_of, now_of_acts
from accounts.pdf import render_pdf
from budget.models import Programme
from households.models import Household
from households.privacy import current_statement
from households.services import close_household
from subsidy import services
from subsidy.models import Application, Document

PROGRAMME = "hilversum-2022"
APPLICANT = services.Actor.APPLICANT

# New applicants through the public form: name, household type, income, street, number, postcode, label.
NEWCOMERS = {
    "hoekstra": ("Mevrouw R. Hoekstra", "single_pension_age", "1410.00", "Gijsbrecht van Amstelstraat", 212,
                 "1214BH", "E"),
    "bouali": ("Dhr. K. Bouali", "single", "1305.00", "Minckelersstraat", 41, "1223LB", "F"),
    "dijkstra": ("Fam. Dijkstra", "couple", "2150.00", "Seinhorst", 23, "1216HV", "E"),
    "kok": ("Dhr. en mevr. Kok", "couple_pension_age", "1990.00", "Oude Amersfoortseweg", 98, "1212AL", "F"),
    "lont": ("Mevrouw A. Bakker-Lont", "single", "1240.00", "Vaartweg", 174, "1217SW", "G"),
    "groot": ("Dhr. W. de Groot", "single_pension_age", "1380.00", "Kamerlingh Onnesweg", 31, "1223JC", "E"),
}


def _pdf(title: str, *lines: str) -> ContentFile:
    return ContentFile(_rendered(title, *lines), name=f"{title.lower().replace(' ', '-')}.pdf")


@functools.cache
def _rendered(title: str, *lines: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return render_pdf(f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title></head>'
                      f"<body><h1>{title}</h1>{body}</body></html>")


def _answers(name, household_type, income, measure, route, *, quote=None, area=None, letter=False) -> dict:
    return {"applicant_name": name, "email": f"{name.split()[-1].lower()}@example.nl", "phone": "06 12345678",
            "owner_occupier": True, "measure": measure, "route": route, "quote_amount": quote, "diy_area_m2": area,
            "household_type": household_type, "net_monthly_income": None if letter else income,
            "income_proof": "energy_allowance_letter" if letter else "income_details", "declaration_true": True}


class Demo:
    def __init__(self, programme: Programme):
        self.programme = programme
        self.today = timezone.localdate()
        self.people = {user.username: user for user in get_user_model().objects.filter(username__in=[
            "community", "assessor", "assessor2", "finance", "finance2", "handyman", "handyman2", "coordinator"])}

    def at(self, days_ago: int, hour: int = 10):
        """Acts recorded `days_ago` days before today."""
        day = self.today - datetime.timedelta(days=days_ago)
        return as_of(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))

    def reload(self, application: Application) -> Application:
        return Application.objects.get(pk=application.pk)

    def public(self, key: str, measure: str, route: str, days_ago: int, *, quote=None, area=None,
               letter=False) -> Application:
        """An applicant through the public form, at a new address."""
        name, household_type, income, street, number, postcode, label = NEWCOMERS[key]
        documents = []
        if route == "contractor":
            documents.append((Document.Kind.QUOTE, _pdf("Offerte", "Isolatiebedrijf Gooi: offerte isolatie")))
        if letter:
            documents.append((Document.Kind.ENERGY_ALLOWANCE_LETTER,
                              _pdf("Energietoeslag", "Uitbetaling energietoeslag € 1.300,00")))
        with self.at(days_ago):
            return services.apply(
                self.programme, by=APPLICANT,
                answers=_answers(name, household_type, income, measure, route, quote=quote, area=area, letter=letter),
                address={"street": street, "house_number": number, "postcode": postcode, "city": "Hilversum"},
                consent={"statement_version": current_statement(self.programme).version},
                documents=documents, energy_label=label)

    def registered(self, contact_name: str, measure: str, route: str, days_ago: int, *, quote=None, area=None,
                   by=None) -> Application:
        """An application for a household in the register, by its community worker (or through the form)."""
        household = Household.objects.select_related("dwelling").get(programme=self.programme,
                                                                     contact_name=contact_name)
        answers = _answers(household.contact_name, household.household_type, household.net_monthly_income,
                           measure, route, quote=quote, area=area)
        documents = []
        if route == "contractor":
            documents.append((Document.Kind.QUOTE, _pdf("Offerte", "Isolatiebedrijf Gooi: offerte isolatie")))
        helped = household.community_worker_id == self.people["community"].pk
        actor = by or (self.people["community"] if helped else self.people["coordinator"])
        dwelling = household.dwelling
        with self.at(days_ago):
            return services.apply(
                self.programme, by=actor, answers=answers,
                address={"street": dwelling.street, "house_number": dwelling.house_number,
                         "postcode": dwelling.postcode, "city": dwelling.city},
                consent={"statement_version": current_statement(self.programme).version},
                documents=documents, household=None if actor is APPLICANT else household)

    def close(self, household_id: int, days_ago: int, reason: str) -> None:
        """The coordinator closes the household on that day (its retention period runs from then)."""
        with self.at(days_ago, hour=16):
            close_household(Household.objects.get(pk=household_id), by=self.people["coordinator"], reason=reason)
            Household.objects.filter(pk=household_id).update(closed_at=now_of_acts())

    def check_area(self, application: Application, days_ago: int, area=None) -> Application:
        handyman = application.household.handyman or self.people["handyman"]
        if application.household.handyman_id is None:
            Household.objects.filter(pk=application.household_id).update(handyman=handyman)
        with self.at(days_ago):
            return services.check_diy_area(self.reload(application), by=handyman,
                                           area_m2=area or application.diy_area_m2, note="Gemeten tijdens intake.")

    def act(self, application: Application, days_ago: int, act: str, by: str | None = None, **arguments):
        actor = self.people[by] if by else APPLICANT
        with self.at(days_ago, hour=14):
            return getattr(services, act)(self.reload(application), by=actor, **arguments)

    def payout_request(self, application: Application, days_ago: int, invoice: str, by: str | None = None):
        actor = self.people[by] if by else APPLICANT
        with self.at(days_ago, hour=11):
            application = self.reload(application)
            services.add_document(application, by=actor, kind=Document.Kind.INVOICE,
                                  file=_pdf("Factuur", "Isolatiebedrijf Gooi: factuur"))
            if application.route == "contractor":
                services.add_document(application, by=actor, kind=Document.Kind.ACCEPTED_QUOTE,
                                      file=_pdf("Offerte akkoord", "Voor akkoord getekend"))
        return self.act(application, days_ago, "request_payout", by, invoice_amount=invoice,
                        iban="NL91ABNA0417164300", account_holder=application.applicant_name[:70])


def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None or Application.objects.filter(programme=programme).exists() \
            or not Household.objects.filter(programme=programme).exists():
        return
    demo = Demo(programme)
    with transaction.atomic():
        # Paid long ago: one at the grant, one for less than the grant (the rest released).
        kok = demo.public("kok", "roof", "contractor", 700, quote="4800.00")
        demo.act(kok, 698, "start_review", "assessor")
        demo.act(kok, 690, "approve", "assessor", note="Offerte passend bij de indicatieve kosten.")
        demo.payout_request(kok, 600, "4650.00")
        demo.act(kok, 596, "set_payout", "assessor", amount="4650.00")
        demo.act(kok, 590, "mark_paid", "finance", paid_on=demo.today - datetime.timedelta(days=590),
                 iban="NL91ABNA0417164300")
        lont = demo.public("lont", "attic_floor", "diy", 500, area="60")
        demo.check_area(lont, 495, area="58")
        demo.act(lont, 494, "start_review", "assessor2")
        demo.act(lont, 480, "approve", "assessor2")
        demo.payout_request(lont, 400, "600.00")
        demo.act(lont, 398, "set_payout", "assessor2", amount="600.00", note="Materiaalfactuur lager.")
        demo.act(lont, 390, "mark_paid", "finance", paid_on=demo.today - datetime.timedelta(days=390),
                 iban="NL91ABNA0417164300")

        # Paid two and a half years ago, the household closed since: its data is kept for the financial term
        # (issue 14: `manage.py anonymise_expired -v 2` lists it as kept until seven years after the payment).
        groot = demo.public("groot", "floor", "contractor", 1000, quote="2400.00")
        demo.act(groot, 998, "start_review", "assessor")
        demo.act(groot, 990, "approve", "assessor")
        demo.payout_request(groot, 930, "2350.00")
        demo.act(groot, 926, "set_payout", "assessor", amount="2350.00", note="Factuur lager dan de offerte.")
        demo.act(groot, 920, "mark_paid", "finance", paid_on=demo.today - datetime.timedelta(days=920),
                 iban="NL91ABNA0417164300")
        demo.close(groot.household_id, 900, "Vloer geïsoleerd en uitbetaald; het traject is afgerond.")

        # Lapsed: approved fourteen months ago, no payout request.
        postma = demo.registered("Dhr. G. Postma", "floor", "contractor", 450, quote="2300.00")
        demo.act(postma, 448, "start_review", "assessor")
        demo.act(postma, 430, "approve", "assessor")
        with demo.at(0, hour=6):
            services.lapse(demo.reload(postma))

        # In the payout: payout set (finance2 can record its payment), payout requested (the assessor sets it).
        dijkstra = demo.public("dijkstra", "floor", "contractor", 120, quote="2200.00")
        demo.act(dijkstra, 118, "start_review", "assessor")
        demo.act(dijkstra, 100, "approve", "assessor")
        demo.payout_request(dijkstra, 12, "2150.00")
        demo.act(dijkstra, 5, "set_payout", "assessor2", amount="2150.00", note="Factuur lager dan de offerte.")
        kramer = demo.registered("Mevrouw W. Kramer", "glass", "contractor", 95, quote="3800.00")
        demo.act(kramer, 93, "start_review", "assessor")
        demo.act(kramer, 80, "approve", "assessor")
        demo.payout_request(kramer, 6, "3800.00", by="community")

        # Approved a month ago: DIY roof 70 m², the plan's worked example (€2,730).
        vries = demo.registered("Mevrouw J. de Vries", "roof", "diy", 45, area="70")
        demo.check_area(vries, 40)
        demo.act(vries, 38, "start_review", "assessor")
        demo.act(vries, 30, "approve", "assessor", note="Oppervlakte gecontroleerd door de energieklusser.")

        # Rejected: income above the limit.
        bakker = demo.registered("Fam. Bakker", "cavity_wall", "contractor", 60, quote="1900.00")
        demo.act(bakker, 58, "start_review", "assessor2")
        demo.act(bakker, 50, "reject", "assessor2", reasons=["income"],
                 note="Het inkomen ligt boven de grens van het programma.")

        # Withdrawn by the applicant, through the status link (a registered household that consented in the form).
        koster = demo.registered("Dhr. J. Koster", "roof", "contractor", 33, quote="4950.00", by=APPLICANT)
        demo.act(koster, 20, "withdraw", note="Wij verhuizen volgend jaar.")

        # The queue: overdue (in review and not yet started), due soon, paused for information, new.
        scholten = demo.registered("Dhr. en mevr. Scholten", "glass", "contractor", 40, quote="4100.00")
        demo.act(scholten, 36, "start_review", "assessor")
        bouali = demo.public("bouali", "cavity_wall", "contractor", 33, quote="1900.00", letter=True)
        visser = demo.registered("Dhr. en mevr. Visser", "floor", "contractor", 24, quote="2450.00")
        demo.act(visser, 22, "start_review", "assessor")
        peters = demo.registered("Dhr. en mevr. Peters", "roof", "diy", 20, area="62")
        demo.act(peters, 18, "start_review", "assessor2")
        demo.act(peters, 10, "request_info", "assessor2",
                 message="Stuur een foto van de zolder en laat de energieklusser de oppervlakte nameten.")
        demo.public("hoekstra", "roof", "contractor", 3, quote="4650.00", letter=True)
        with demo.at(1):
            services.open_application(Household.objects.get(programme=programme, contact_name="Mevrouw L. Smit"),
                                      by=demo.people["community"],
                                      answers=_answers("Mevrouw L. Smit", "single_parent", Decimal("1675.00"),
                                                       "attic_floor", "diy", area="45"))
        del bouali  # submitted 33 days ago and not yet picked up: overdue
