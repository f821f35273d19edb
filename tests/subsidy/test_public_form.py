"""The application form (issue 11): the public form at /aanvragen/ and the community worker's copy of it.

An owner-occupier applies without an account and gets a reference and the private status link; a tenant is told
what they can get instead; bad input comes back on its field in Dutch and nothing is stored; the address finds
the household or registers one.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.errors import Refused
from accounts.models import AuditEvent
from households.models import Consent, Household
from subsidy import services
from subsidy.models import Application, Document
from tests.factories import HouseholdFactory, pdf_file
from tests.test_forms_link_their_help_texts import references

APPLY = reverse("subsidy:apply")


def form(**changes) -> dict:
    """A complete contractor application of an owner-occupier, with the quote."""
    data = {
        "applicant_name": "Fatima el Amrani", "email": "fatima@example.nl", "phone": "035 123 4567",
        "street": "Larenseweg", "house_number": "12", "house_letter": "", "house_number_addition": "",
        "postcode": "1221cm", "city": "Hilversum", "energy_label": "E", "owner_occupier": "yes",
        "measure": "roof", "route": "contractor", "quote_amount": "4200,00", "quote_file": pdf_file("offerte.pdf"),
        "diy_area_m2": "", "household_type": "single", "income_proof": "income_details",
        "net_monthly_income": "1250,00", "declaration_true": "on", "privacy_consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def stored() -> tuple[int, int, int, int]:
    return Application.objects.count(), Household.objects.count(), Document.objects.count(), AuditEvent.objects.count()


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("offerte.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                              content_type="application/pdf")


def test_the_form_asks_the_plans_questions_in_dutch_and_takes_files(client, programme):
    page = client.get(APPLY).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in page
    for question in ("Bent u eigenaar van de woning en woont u er zelf?", "Welke isolatiemaatregel?",
                     "Wie doet het werk?", "Hoe toont u uw inkomen aan?",
                     "Ik verklaar dat ik alles naar waarheid heb ingevuld"):
        assert question in page
    assert "<legend>" in page
    assert 'name="programme" value="hilversum-2022"' in page


def test_an_owner_occupier_applies_and_gets_the_reference_and_the_private_status_link(client, programme):
    response = client.post(APPLY, form(share_address_level="on"))

    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert response.status_code == 302
    assert response["Location"] == reverse("subsidy:status", args=[application.status_token]) + "?ontvangen=1"
    page = client.get(response["Location"]).content.decode()
    assert application.reference in page
    assert f"http://testserver/aanvragen/status/{application.status_token}/" in page
    assert "per e-mail" in page
    assert application.requested_grant == Decimal("4200.00")
    assert application.quote_amount == Decimal("4200.00")
    assert application.helped_by is None
    assert [(document.kind, document.original_name, document.uploaded_by) for document in application.documents.all()] \
        == [("quote", "offerte.pdf", None)]


def test_a_new_address_registers_an_active_household_with_the_consent_of_the_form(client, programme):
    client.post(APPLY, form(share_address_level="on", house_letter="a"))

    household = Application.objects.get().household
    assert household.status == Household.Status.ACTIVE
    assert household.contact_name == "Fatima el Amrani"
    assert household.registered_by is None
    dwelling = household.dwelling
    assert (dwelling.street, dwelling.house_number, dwelling.house_letter, dwelling.postcode, dwelling.city,
            dwelling.tenure, dwelling.energy_label) == ("Larenseweg", 12, "a", "1221 CM", "Hilversum",
                                                        "owner_occupier", "E")
    consent = Consent.objects.get(household=household)
    assert (consent.processing, consent.share_address_level, consent.statement.version, consent.recorded_by) \
        == (True, True, "2022-1", None)


def test_an_address_the_programme_knows_uses_its_household(client, programme, coordinator):
    known = HouseholdFactory(programme=programme, active=True, registered_by=coordinator)
    dwelling = known.dwelling
    dwelling.postcode, dwelling.house_number, dwelling.house_letter, dwelling.house_number_addition = \
        "1221 CM", 12, "B", "2"
    dwelling.save()
    HouseholdFactory(programme=programme, active=True, registered_by=coordinator)  # elsewhere
    households = Household.objects.count()

    client.post(APPLY, form(house_letter="b", house_number_addition="2", postcode="1221 cm"))

    assert Application.objects.get().household == known
    assert Household.objects.count() == households


def test_the_same_number_with_another_letter_is_another_household(client, programme, coordinator):
    known = HouseholdFactory(programme=programme, active=True, registered_by=coordinator)
    Household.objects.filter(pk=known.pk)  # its dwelling: 1221 CM 12 B
    dwelling = known.dwelling
    dwelling.postcode, dwelling.house_number, dwelling.house_letter, dwelling.house_number_addition = \
        "1221 CM", 12, "B", ""
    dwelling.save()

    client.post(APPLY, form(house_letter="C"))

    assert Application.objects.get().household != known
    assert Household.objects.count() == 2


def test_a_tenant_is_told_the_grant_is_for_owner_occupiers_and_where_to_go_and_nothing_is_stored(client, programme):
    before = stored()

    response = client.post(APPLY, form(owner_occupier="no"))

    page = response.content.decode()
    assert response.status_code == 200
    assert stored() == before
    assert "alleen voor eigenaar-bewoners" in page
    assert 'id="not-owner-occupier" data-show-when="owner_occupier=no">' in page  # shown, not hidden
    assert "energieklusser" in page and "kleine en middelgrote maatregelen" in page
    assert reverse("eligibility:self_check") in page


def test_the_tenants_explanation_waits_for_the_answer_no(client, programme):
    page = client.get(APPLY).content.decode()

    assert 'id="not-owner-occupier" data-show-when="owner_occupier=no" hidden>' in page


@pytest.mark.parametrize(("quote", "message"), [
    ("0", "Het bedrag moet groter zijn dan nul."),
    ("-5", "Het bedrag moet groter zijn dan nul."),
    ("abc", "Vul een bedrag in euro in, bijvoorbeeld 4200 of 4200,50."),
    ("12.345", "Schrijf het bedrag zonder duizendtalpunt"),
    ("12,345", "Het bedrag mag hoogstens twee decimalen hebben (hele centen)."),
    ("", "Vul het bedrag van de offerte in."),
])
def test_a_wrong_quote_is_refused_on_its_field_in_dutch_and_nothing_is_stored(client, programme, quote, message):
    before = stored()

    response = client.post(APPLY, form(quote_amount=quote))

    assert response.status_code == 200
    assert message in response.context["form"].errors["quote_amount"][0]
    assert list(response.context["form"].errors) == ["quote_amount"]
    assert stored() == before
    assert 'aria-describedby="id_quote_amount_helptext id_quote_amount_error"' in response.content.decode()


@pytest.mark.parametrize(("upload", "message"), [
    (html_as_pdf, "alleen bestanden in PDF, JPEG of PNG"),
    (lambda: SimpleUploadedFile("offerte.pdf", b"", content_type="application/pdf"), "bestand is leeg."),
    (lambda: SimpleUploadedFile("offerte.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
                                content_type="application/pdf"), "groter dan 10 MB"),
])
def test_a_file_that_is_not_a_document_is_refused_on_its_field_and_nothing_is_stored(client, programme, upload,
                                                                                      message):
    before = stored()

    response = client.post(APPLY, form(quote_file=upload()))

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert list(errors) == ["quote_file"]
    assert message in errors["quote_file"][0]
    assert "kies ze opnieuw" in response.content.decode()  # the browser forgets the files
    assert stored() == before


def test_a_refused_file_in_the_service_leaves_no_application_and_no_household_behind(programme):
    before = stored()

    with pytest.raises(Refused) as refused:
        services.apply(programme, by=services.Actor.APPLICANT, answers={
            "applicant_name": "J. de Vries", "email": "", "phone": "", "owner_occupier": True, "measure": "roof",
            "route": "contractor", "quote_amount": Decimal("4200.00"), "household_type": "single",
            "income_proof": "income_details", "net_monthly_income": Decimal("1250.00"), "declaration_true": True},
            address={"street": "Larenseweg", "house_number": 14, "house_letter": "", "house_number_addition": "",
                     "postcode": "1221 CM", "city": "Hilversum"},
            consent={"statement_version": "2022-1", "share_address_level": False},
            documents=[("quote", html_as_pdf())])

    assert refused.value.field == "file"
    assert stored() == before


def test_a_diy_application_gets_its_grant_calculated_with_the_area_capped_at_the_maximum(client, programme):
    response = client.post(APPLY, form(route="diy", measure="attic_floor", diy_area_m2="150", quote_amount="",
                                       quote_file=None))

    application = Application.objects.get()
    assert response.status_code == 302
    assert application.quote_amount is None
    assert application.diy_area_m2 == Decimal("150")
    # Attic floor: at most 130 m², €8 a m²: 130 × 1.1 × 8 + 130 × 6 = 1,144 + 780.
    assert application.requested_grant == Decimal("1924.00")
    assert any("130" in note for note in application.calculation["notes"])


def test_the_live_estimate_caps_the_area_at_the_measures_maximum_and_says_so(client, programme):
    response = client.get(reverse("subsidy:diy_estimate"),
                          {"programme": "hilversum-2022", "measure": "attic_floor", "diy_area_m2": "150"},
                          headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "€\xa01.924,00" in page
    assert "150 m² is meer dan het maximum van 130 m²" in page


def test_the_live_estimate_says_what_is_wrong_with_the_area(client, programme):
    response = client.get(reverse("subsidy:diy_estimate"), {"measure": "glass", "diy_area_m2": "abc"})

    page = response.content.decode()
    assert "<html" in page  # without htmx: a page of its own
    assert "alleen door een aannemer" in page
    assert "Vul de oppervlakte in m² in" in page


def test_glass_cannot_be_done_yourself_and_the_form_says_so_on_the_measure(client, programme):
    response = client.post(APPLY, form(route="diy", measure="glass", diy_area_m2="20", quote_file=None))

    assert "alleen door een aannemer" in response.context["form"].errors["measure"][0]
    assert Application.objects.count() == 0


def test_what_belongs_to_the_other_choice_does_not_count(client, programme):
    """The page hides the quote for DIY and the income for the letter; a bad value there does not stop anyone."""
    response = client.post(APPLY, form(route="diy", diy_area_m2="70", quote_amount="abc", quote_file=html_as_pdf(),
                                       income_proof="energy_allowance_letter", net_monthly_income="veel",
                                       energy_allowance_letter=pdf_file("energietoeslag.pdf")))

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.quote_amount is None and application.net_monthly_income is None
    assert sorted(application.documents.values_list("kind", flat=True)) == ["energy_allowance_letter"]


def test_the_income_or_the_letter_is_needed(client, programme):
    income = client.post(APPLY, form(net_monthly_income="")).context["form"].errors
    letter = client.post(APPLY, form(income_proof="energy_allowance_letter")).context["form"].errors

    assert income == {"net_monthly_income": ["Vul het netto maandinkomen van het huishouden in."]}
    assert letter == {"energy_allowance_letter": ["Voeg de brief over de energietoeslag toe."]}


def test_an_empty_form_names_every_question_in_dutch_with_its_errors_linked(client, programme):
    response = client.post(APPLY, {})

    page = response.content.decode()
    errors = response.context["form"].errors
    assert set(errors) >= {"applicant_name", "email", "street", "house_number", "postcode", "city", "owner_occupier",
                           "measure", "route", "household_type", "income_proof", "declaration_true",
                           "privacy_consent"}
    assert errors["declaration_true"] == ["Verklaar dat u alles naar waarheid hebt ingevuld."]
    assert 'class="error-summary" role="alert" tabindex="-1"' in page
    assert 'href="#id_owner_occupier_0"' in page  # the summary links to the first radio button
    assert 'aria-describedby="id_owner_occupier_error"' in page  # on the fieldset
    count, dangling = references(page)
    assert count >= 10 and dangling == []
    assert stored() == (0, 0, 0, 0)


def test_a_wrong_postcode_is_refused_on_its_field(client, programme):
    response = client.post(APPLY, form(postcode="0123 AB"))

    assert "Nederlandse postcode" in response.context["form"].errors["postcode"][0]
    assert Application.objects.count() == 0


# --- The community worker's form --------------------------------------------------------------------------


@pytest.fixture
def helped(programme, community_worker, coordinator, handyman):
    household = HouseholdFactory(programme=programme, active=True, community_worker=community_worker,
                                 handyman=handyman, registered_by=coordinator, contact_name="Familie Mulder",
                                 email="mulder@example.nl", household_type="couple",
                                 net_monthly_income=Decimal("1800.00"))
    dwelling = household.dwelling
    dwelling.street, dwelling.house_number, dwelling.postcode, dwelling.city, dwelling.tenure = \
        "Kerkbrink", 3, "1211 BX", "Hilversum", "owner_occupier"
    dwelling.save()
    return household


def worker_form(**changes) -> dict:
    data = form(applicant_name="Familie Mulder", email="", household_type="couple", net_monthly_income="1800,00",
                street="Elders", postcode="9999 ZZ")  # the address cannot be changed here
    data.update(changes)
    return data


def test_the_community_workers_form_is_filled_in_from_the_household(client, helped, community_worker):
    client.force_login(community_worker)

    response = client.get(reverse("subsidy:apply_for_household", args=[helped.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Familie Mulder"' in page
    assert 'value="Kerkbrink"' in page and "disabled" in page
    assert response.context["form"]["household_type"].value() == "couple"
    assert response.context["form"]["owner_occupier"].value() == "yes"


def test_the_community_worker_submits_for_the_household_and_goes_to_the_application(client, helped,
                                                                                     community_worker):
    client.force_login(community_worker)
    households = Household.objects.count()

    response = client.post(reverse("subsidy:apply_for_household", args=[helped.pk]), worker_form())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("subsidy:application", args=[application.pk])
    assert application.household == helped
    assert application.helped_by == community_worker
    assert application.status == Application.Status.SUBMITTED
    assert Household.objects.count() == households
    assert (helped.dwelling.street, helped.dwelling.postcode) == ("Kerkbrink", "1211 BX")
    assert application.documents.get().uploaded_by == community_worker


def test_the_community_workers_form_refuses_bad_input_on_its_fields(client, helped, community_worker):
    client.force_login(community_worker)

    response = client.post(reverse("subsidy:apply_for_household", args=[helped.pk]),
                           worker_form(quote_amount="-5"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"quote_amount": ["Het bedrag moet groter zijn dan nul."]}
    assert Application.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [("handyman", 403), ("handyman2", 404), ("assessor", 403),
                                              ("finance", 403), ("coordinator", 200)])
def test_only_the_households_community_worker_and_the_coordinator_fill_it_in(client, helped, users_by_role, role,
                                                                              status):
    client.force_login(users_by_role[role])

    assert client.get(reverse("subsidy:apply_for_household", args=[helped.pk])).status_code == status


def test_the_live_estimate_waits_for_an_area_without_scolding(client, programme):
    response = client.get(reverse("subsidy:diy_estimate"), {"programme": "hilversum-2022", "measure": "roof"},
                          headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "Kies de maatregel en vul de oppervlakte in" in page
    assert "errorlist" not in page
