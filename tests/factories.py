"""factory_boy factories; traits are named after states."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@warmhuis.example")
    password = factory.django.Password("demo")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=str(extracted))[0])


# --- Households (households/models.py) ------------------------------------------------------------
# HouseholdFactory() is registered with a dwelling; traits: active=True (with consent for processing),
# closed=True. Needs the reference data (the `programme` fixture) unless a programme is passed.

import datetime  # noqa: E402

from households.models import Consent, Dwelling, Household, PrivacyStatement  # noqa: E402
from households.privacy import statement_of  # noqa: E402


def hilversum_programme():
    from budget.models import Programme

    return Programme.objects.get(slug="hilversum-2022")


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    household = factory.SubFactory("tests.factories.HouseholdFactory", dwelling=None)
    street = factory.Iterator(["Kerkstraat", "Larenseweg", "Neuweg", "Oude Amersfoortseweg", "Vaartweg",
                               "Gijsbrecht van Amstelstraat", "Seinhorst", "Minckelersstraat"])
    house_number = factory.Sequence(lambda n: n % 180 + 1)
    postcode = factory.Iterator(["1211 AB", "1217 GH", "1211 JL", "1221 CE", "1215 BM", "1222 PN"])
    city = "Hilversum"
    energy_label = "D"
    dwelling_type = "terraced"
    build_year = 1962
    floor_area_m2 = "84.0"
    tenure = "owner_occupier"

    class Params:
        social_rent = factory.Trait(tenure="social_rent", housing_corporation="Dudok Wonen")
        private_rent = factory.Trait(tenure="private_rent")


class PrivacyStatementFactory(factory.django.DjangoModelFactory):
    """A version of the programme's privacy statement (the reference data has Hilversum's 2022-1)."""

    class Meta:
        model = PrivacyStatement
        django_get_or_create = ("programme", "version")

    programme = factory.LazyFunction(hilversum_programme)
    version = factory.Sequence(lambda n: f"2030-{n + 1}")
    title = factory.LazyAttribute(lambda statement: f"Privacyverklaring versie {statement.version}")
    text = "Wie is verantwoordelijk, welke gegevens en waarom, hoe lang, uw rechten."
    valid_from = datetime.date(2023, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    household = factory.SubFactory("tests.factories.HouseholdFactory")
    statement = factory.LazyAttribute(lambda consent: statement_of(consent.household.programme_id, "2022-1"))
    given_on = factory.LazyFunction(datetime.date.today)
    processing = True
    recorded_by = factory.LazyAttribute(lambda consent: consent.household.registered_by
                                        or UserFactory(username="consent-recorder"))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    programme = factory.LazyFunction(hilversum_programme)
    reference = factory.Sequence(lambda n: f"TST-{n + 1:05d}")
    contact_name = factory.Faker("name", locale="nl_NL")
    phone = "06 12345678"
    email = factory.LazyAttribute(lambda household: f"{household.reference.lower()}@example.nl")
    household_type = "single"
    residents = 1
    net_monthly_income = "1250.00"
    energy_allowance = "yes"
    referral_source = "income_consultant"
    status = Household.Status.REGISTERED
    dwelling = factory.RelatedFactory(DwellingFactory, factory_related_name="household")

    class Params:
        active = factory.Trait(
            status=Household.Status.ACTIVE,
            reached_at=factory.LazyFunction(timezone.now),
            consent=factory.RelatedFactory(ConsentFactory, factory_related_name="household"),
        )
        closed = factory.Trait(  # closed after the programme worked with it
            status=Household.Status.CLOSED,
            reached_at=factory.LazyFunction(timezone.now),
            consent=factory.RelatedFactory(ConsentFactory, factory_related_name="household"),
        )
        closed_unreached = factory.Trait(status=Household.Status.CLOSED)  # closed straight from registered


# --- Large-measure applications (subsidy/models.py) ------------------------------------------------
# ApplicationFactory() is a draft of an active household's contractor application (quote €4,200, roof). Bring it
# into any state through the services, as users would: `application_in(state, people)` (the people are the
# `users_by_role` fixture: community, assessor, finance, …).

from decimal import Decimal  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from subsidy.models import Application, Document  # noqa: E402

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    household = factory.SubFactory(HouseholdFactory, active=True)
    programme = factory.LazyAttribute(lambda application: application.household.programme)
    reference = factory.Sequence(lambda n: f"TST-A{n + 1:05d}")
    applicant_name = factory.LazyAttribute(lambda application: application.household.contact_name)
    email = "aanvrager@example.nl"
    owner_occupier = True
    measure = "roof"
    route = "contractor"
    quote_amount = Decimal("4200.00")
    household_type = "single"
    net_monthly_income = Decimal("1250.00")
    income_proof = "income_details"
    declaration_true = True
    privacy_statement = factory.LazyAttribute(lambda application: statement_of(application.programme.pk, "2022-1"))

    class Params:
        diy = factory.Trait(route="diy", quote_amount=None, diy_area_m2=Decimal("70"))


# The order in which the services bring an application through its states.
PATH = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "start_review"],
    "info_requested": ["submit", "start_review", "request_info"],
    "approved": ["submit", "start_review", "approve"],
    "rejected": ["submit", "start_review", "reject"],
    "withdrawn": ["submit", "withdraw"],
    "lapsed": ["submit", "start_review", "approve", "lapse"],
    "payout_requested": ["submit", "start_review", "approve", "request_payout"],
    "payout_set": ["submit", "start_review", "approve", "request_payout", "set_payout"],
    "paid": ["submit", "start_review", "approve", "request_payout", "set_payout", "mark_paid"],
}


def application_in(state: str, people: dict, **fields) -> Application:
    """An application brought into `state` through the services, by the people whose role it is."""
    from subsidy import services

    invoice, payout = fields.pop("invoice", "4000.00"), fields.pop("payout", "4000.00")
    application = ApplicationFactory(**fields)
    household = application.household
    if household.community_worker_id is None:
        Household.objects.filter(pk=household.pk).update(community_worker=people["community"])
        application.household.refresh_from_db()
    community, assessor = people["community"], people["assessor"]
    for act in PATH[state]:
        application.refresh_from_db()
        if act == "submit":
            if application.route == "contractor":
                services.add_document(application, by=community, kind=Document.Kind.QUOTE, file=pdf_file("offerte.pdf"))
            if application.route == "diy":
                application = services.check_diy_area(application, by=_handyman_of(application, people),
                                                      area_m2=application.diy_area_m2)
            services.submit_application(application, by=community)
        elif act == "start_review":
            services.start_review(application, by=assessor)
        elif act == "request_info":
            services.request_info(application, by=assessor, message="Stuur het energielabel mee.")
        elif act == "approve":
            services.approve(application, by=assessor)
        elif act == "reject":
            services.reject(application, by=assessor, note="Geen eigenaar-bewoner.")
        elif act == "withdraw":
            services.withdraw(application, by=community)
        elif act == "lapse":
            services.lapse(application)
        elif act == "request_payout":
            services.add_document(application, by=community, kind=Document.Kind.INVOICE, file=pdf_file("factuur.pdf"))
            if application.route == "contractor":
                services.add_document(application, by=community, kind=Document.Kind.ACCEPTED_QUOTE,
                                      file=pdf_file("akkoord.pdf"))
            services.request_payout(application, by=community, invoice_amount=invoice,
                                    iban="NL91ABNA0417164300", account_holder="J. de Vries")
        elif act == "set_payout":
            services.set_payout(application, by=assessor, amount=payout)
        elif act == "mark_paid":
            services.mark_paid(application, by=people["finance"], paid_on=datetime.date.today(),
                               iban="NL91ABNA0417164300")
    application.refresh_from_db()
    return application


def _handyman_of(application: Application, people: dict):
    household = application.household
    if household.handyman_id is None:
        Household.objects.filter(pk=household.pk).update(handyman=people["handyman"])
        household.refresh_from_db()
    return household.handyman


# --- Products packages (subsidy/models/packages.py) ---------------------------------------------------------
# `assessed_household(handyman)`: an active household assigned to the handyman, assessed eligible for the small and
# medium tiers (label D, income within the limit). `product(name)`: a catalogue product of the reference fixture.


def assessed_household(handyman, **fields):
    from households.services import assess_eligibility

    household = HouseholdFactory(active=True, handyman=handyman, **fields)
    assess_eligibility(household, by=handyman)
    return household


def product(name: str):
    from subsidy.models import Product

    return Product.objects.get(programme__slug="hilversum-2022", name=name)
