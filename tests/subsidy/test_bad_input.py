"""Bad input to the application's acts: a clear sentence on the field, nothing saved, nothing booked (issue 11)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.errors import Conflict, Refused
from accounts.models import AuditEvent
from budget.models import LedgerEntry
from subsidy import services
from subsidy.models import Application
from tests.factories import ApplicationFactory, application_in

ANSWERS = {"applicant_name": "J. de Vries", "owner_occupier": True, "measure": "roof", "route": "contractor",
           "quote_amount": "4200.00", "household_type": "single", "income_proof": "income_details",
           "net_monthly_income": "1250.00", "declaration_true": True}


def nothing_changes():
    return Application.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(("quote", "message"), [
    ("0", "groter zijn dan nul"), ("-5", "groter zijn dan nul"), ("abc", "getal"), ("12.345", "twee decimalen"),
    ("", "Vul het bedrag in"),
])
def test_a_wrong_quote_is_refused_on_its_field(quote, message, programme):
    with pytest.raises(Refused, match=message) as refused:
        services.check_answers({**ANSWERS, "quote_amount": quote})
    assert refused.value.field == "quote_amount"


def test_a_tenant_is_told_the_large_grant_is_for_owner_occupiers(programme):
    with pytest.raises(Refused, match="eigenaar-bewoners") as refused:
        services.check_answers({**ANSWERS, "owner_occupier": False})
    assert refused.value.field == "owner_occupier"


def test_glass_cannot_be_done_yourself(programme):
    with pytest.raises(Refused, match="alleen een aannemer") as refused:
        services.check_answers({**ANSWERS, "route": "diy", "measure": "glass", "diy_area_m2": "20"})
    assert refused.value.field == "measure"


def test_a_diy_area_above_the_measures_maximum_is_capped_and_said(programme):
    application = ApplicationFactory(diy=True, measure="roof", diy_area_m2=Decimal("250"))

    calculation = services.grant_calculation(application, datetime.date(2026, 12, 1))

    assert calculation["area_used_m2"] == "200.00"
    assert calculation["grant"] == "5000.00"  # 200 × 1.1 × 30 + 200 × 6 = 7,800: the maximum
    assert any("200" in note and "250" in note for note in calculation["notes"])


def test_an_iban_with_a_wrong_check_digit_is_refused_and_nothing_is_booked(programme, users_by_role):
    application = application_in("payout_set", users_by_role)
    before = nothing_changes()

    with pytest.raises(Refused, match="IBAN is niet geldig") as refused:
        services.mark_paid(application, by=users_by_role["finance"], paid_on=datetime.date.today(),
                           iban="NL92ABNA0417164300")

    assert refused.value.field == "iban"
    assert nothing_changes() == before


@pytest.mark.parametrize(("amount", "message"), [("4200.01", "ten hoogste de subsidie"),
                                                 ("4000.01", "ten hoogste het factuurbedrag")])
def test_a_payout_above_the_grant_or_the_invoice_is_refused(amount, message, programme, users_by_role):
    application = application_in("payout_requested", users_by_role, invoice="4000.00")
    before = nothing_changes()

    with pytest.raises(Refused, match=message):
        services.set_payout(application, by=users_by_role["assessor"], amount=amount)

    assert nothing_changes() == before


def test_approving_twice_is_refused_and_books_one_commitment(programme, users_by_role):
    application = application_in("approved", users_by_role)
    before = nothing_changes()

    with pytest.raises(Conflict):
        services.approve(application, by=users_by_role["coordinator"])

    assert nothing_changes() == before


def test_who_set_the_payout_cannot_mark_it_paid(programme, users_by_role):
    finance_and_assessor = users_by_role["finance"]
    finance_and_assessor.groups.add(*users_by_role["assessor"].groups.all())
    application = application_in("payout_requested", users_by_role)
    services.set_payout(application, by=finance_and_assessor, amount="4000.00")
    application.refresh_from_db()
    before = nothing_changes()

    with pytest.raises(PermissionDenied, match="vier ogen"):
        services.mark_paid(application, by=finance_and_assessor, paid_on=datetime.date.today(),
                           iban="NL91ABNA0417164300")

    assert nothing_changes() == before


def test_approval_needs_an_eligible_household_and_is_refused_with_the_reason(programme, users_by_role):
    application = application_in("in_review", users_by_role, net_monthly_income=Decimal("4000.00"))
    before = nothing_changes()

    with pytest.raises(Refused, match="niet in aanmerking voor de grote maatregel"):
        services.approve(application, by=users_by_role["assessor"])

    assert nothing_changes() == before
    assert any(ground["rule"] == "income" for ground in services.rejection_grounds(application))


def test_a_second_large_measure_on_the_dwelling_is_refused(programme, users_by_role):
    first = application_in("approved", users_by_role)
    second = application_in("in_review", users_by_role, household=first.household)

    assert any("heeft al een toegekende of betaalde grote maatregel" in problem
               for problem in services.approval_problems(second))
    with pytest.raises(Refused):
        services.approve(second, by=users_by_role["assessor"])


def test_approval_is_refused_with_the_available_amount_when_the_grants_line_cannot_carry_it(programme,
                                                                                          users_by_role):
    line = services.grants_line(programme)
    type(line).objects.filter(pk=line.pk).update(allocated=line.committed_open + line.spent + Decimal("1000.00"))
    application = application_in("in_review", users_by_role)
    before = nothing_changes()

    with pytest.raises(Refused, match=r"1\.000,00"):
        services.approve(application, by=users_by_role["assessor"])

    assert nothing_changes() == before


def test_the_lapse_command_lets_old_grants_lapse_once(programme, users_by_role):
    from django.core.management import call_command

    application = application_in("approved", users_by_role)
    Application.objects.filter(pk=application.pk).update(
        decided_at=application.decided_at - datetime.timedelta(days=400))
    committed = services.grants_line(programme).committed_open
    listed = io.StringIO()

    call_command("lapse_grants", dry_run=True, stdout=listed)
    assert application.reference in listed.getvalue()
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED  # a dry run changes nothing

    call_command("lapse_grants", verbosity=0)
    call_command("lapse_grants", verbosity=0)

    application.refresh_from_db()
    assert application.status == Application.Status.LAPSED
    assert services.grants_line(programme).committed_open == committed - Decimal("4200.00")
    event = AuditEvent.objects.for_object(application).get(action="application.lapse")
    assert (event.actor, event.data["by"]) == (None, "system")


def test_a_home_has_one_application_in_progress_at_a_time(programme, users_by_role):
    first = application_in("in_review", users_by_role)
    before = nothing_changes()

    with pytest.raises(Refused, match=first.reference):
        services.open_application(first.household, by=users_by_role["community"], answers=ANSWERS)

    assert nothing_changes() == before


def test_a_refused_application_leaves_no_file_behind(programme, users_by_role, private_files):
    from django.db import transaction

    from tests.factories import pdf_file

    with pytest.raises(Refused), transaction.atomic():
        services.apply(programme, by=services.Actor.APPLICANT,
                       answers={**ANSWERS, "income_proof": "energy_allowance_letter", "net_monthly_income": ""},
                       address={"street": "Kerkelaan", "house_number": 9, "postcode": "1211 JT", "city": "Hilversum"},
                       consent={"statement_version": "2022-1"},
                       documents=[("quote", pdf_file())])  # the energy-allowance letter is missing: refused

    stored = list(private_files.rglob("*.pdf")) if private_files.exists() else []
    assert stored == []
    assert not Application.objects.exists()
