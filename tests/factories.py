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

from households.models import Consent, Dwelling, Household  # noqa: E402


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


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    household = factory.SubFactory("tests.factories.HouseholdFactory")
    statement_version = "2022-1"
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
