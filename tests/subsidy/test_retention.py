"""Applications and anonymisation (issue 14, item 4): a running application holds the household's data, a paid or
rejected one for the financial term; anonymising removes the applicant's data, documents and letters, keeps the
amounts, and the old status link answers 404."""

import datetime
import os
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from budget.models import LedgerEntry
from households.models import Household
from households.retention import ANONYMISED, anonymise_household, end_of_term, retention_due_at
from subsidy import packages
from subsidy.models import Application, DecisionLetter, Document, Package
from tests.factories import PDF_BYTES, application_in, assessed_household, product

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=3 * 365)  # closed well before the 24 months


def close(household, *, at=LONG_AGO) -> Household:
    Household.objects.filter(pk=household.pk).update(status="closed", closed_at=at)
    return Household.objects.select_related("programme").get(pk=household.pk)


@pytest.mark.parametrize("state", ["draft", "in_review", "approved", "payout_set"])
def test_an_application_in_progress_holds_the_household(people, state):
    application = application_in(state, people)

    assert retention_due_at(close(application.household), now=NOW) is None


def test_a_paid_application_holds_the_household_for_the_financial_term(people):
    application = application_in("paid", people)
    household = close(application.household)

    assert household.programme.financial_retention_years == 7
    assert retention_due_at(household, now=NOW) == end_of_term(application.paid_on, 7)
    assert end_of_term(application.paid_on, 7).date() == application.paid_on.replace(year=application.paid_on.year + 7)


def test_a_rejected_application_holds_it_from_the_decision(people):
    application = application_in("rejected", people)

    assert retention_due_at(close(application.household), now=NOW) == end_of_term(application.decided_at, 7)


def test_a_withdrawn_application_holds_nothing(people):
    application = application_in("withdrawn", people)
    household = close(application.household)

    assert retention_due_at(household, now=NOW) == LONG_AGO.replace(year=LONG_AGO.year + 2)


@pytest.fixture
def anonymised_application(people, private_files, django_capture_on_commit_callbacks):
    application = application_in("paid", people, phone="06 87654321")
    letter = DecisionLetter.objects.create(application=application, kind="approval", status="ready")
    letter.file.save("besluit.pdf", ContentFile(PDF_BYTES))
    files = [document.file.path for document in application.documents.all()] + [letter.file.path]
    old_link = reverse("subsidy:status", args=[application.status_token])
    household = close(application.household)
    with django_capture_on_commit_callbacks(execute=True):
        removed = anonymise_household(household, now=NOW, reason="retention")
    application.refresh_from_db()
    return application, files, old_link, removed


def test_anonymising_removes_the_applicants_data(anonymised_application):
    application, _files, _link, _removed = anonymised_application

    assert application.applicant_name == ANONYMISED
    assert (application.email, application.phone, application.iban, application.account_holder) == ("", "", "", "")
    assert application.net_monthly_income is None


def test_anonymising_deletes_the_documents_and_letters_with_their_files(anonymised_application):
    application, files, _link, removed = anonymised_application

    assert files and not any(os.path.exists(path) for path in files)
    assert not Document.objects.filter(application=application).exists()
    assert not DecisionLetter.objects.filter(application=application).exists()
    assert removed["subsidy"]["documents"] == len(files) - 1
    assert removed["subsidy"]["letters"] == 1


def test_the_old_status_link_answers_404(client, anonymised_application):
    application, _files, old_link, _removed = anonymised_application

    response = client.get(old_link)

    assert response.status_code == 404
    assert ANONYMISED not in response.content.decode()
    assert reverse("subsidy:status", args=[application.status_token]) != old_link


def test_anonymising_keeps_the_amounts_the_states_and_the_ledger(people, django_capture_on_commit_callbacks):
    application = application_in("paid", people)
    entries = list(LedgerEntry.objects.order_by("pk").values_list("pk", "kind", "amount"))
    household = close(application.household)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_household(household, now=NOW, reason="retention")

    after = Application.objects.get(pk=application.pk)
    assert (after.status, after.measure, after.route) == ("paid", "roof", "contractor")
    assert (after.quote_amount, after.requested_grant, after.granted_amount, after.payout_amount) == (
        application.quote_amount, application.requested_grant, application.granted_amount,
        application.payout_amount)
    assert after.paid_on == application.paid_on
    assert list(LedgerEntry.objects.order_by("pk").values_list("pk", "kind", "amount")) == entries


def test_the_income_goes_from_the_reasons_for_rejection(people):
    application = application_in("rejected", people, net_monthly_income=Decimal("9000.00"))
    Application.objects.filter(pk=application.pk).update(
        rejection_reasons=[{"rule": "income", "reason": "Netto-inkomen € 9.000,00 ligt boven de grens."},
                           {"rule": "energy_label", "reason": "Label B voldoet niet."}])

    anonymise_household(close(application.household), now=NOW, reason="erasure")

    application.refresh_from_db()
    assert application.rejection_reasons == [{"rule": "income", "reason": ANONYMISED},
                                             {"rule": "energy_label", "reason": "Label B voldoet niet."}]
    assert application.decision_note == ""


def test_a_packages_free_text_goes_and_its_values_stay(programme, handyman):
    household = assessed_household(handyman)
    package = packages.propose(household, by=handyman, items={product("LED-lamp").pk: 2},
                               motivation="Mevrouw is slechtziend.")
    package = packages.cancel(package, by=handyman, reason="Bewoner verhuist naar haar dochter.")

    anonymise_household(close(household), now=NOW, reason="retention")

    after = Package.objects.get(pk=package.pk)
    assert (after.motivation, after.cancel_reason) == ("", "")
    assert (after.status, after.value) == ("cancelled", package.value)
