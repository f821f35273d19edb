"""The ledger's edges (issue 9): forms and imports never write the cached totals back, allocations move by
reallocation once money is booked, append-only records refuse every way of changing them."""

from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError

from accounts.append_only import AppendOnlyError
from accounts.audit import record_event
from accounts.models import AuditEvent
from budget.admin import BudgetLineResource
from budget.models import BudgetLine, LedgerEntry, Reallocation
from budget.services import commit, reallocate
from tests.accounts.test_admin_audit import admin_form_data

pytestmark = pytest.mark.django_db


def test_a_line_loaded_before_a_booking_and_saved_after_it_keeps_the_booking(grants_line, assessor):
    stale = BudgetLine.objects.get(pk=grants_line.pk)
    commit(grants_line, "3000.00", by=assessor)

    stale.name = "Subsidies grote maatregel"
    stale.save()

    grants_line.refresh_from_db()
    assert grants_line.name == "Subsidies grote maatregel"
    assert grants_line.committed_open == Decimal("3000.00")


def test_the_line_admin_form_saved_after_a_booking_keeps_the_booking(staff_client, grants_line, assessor):
    url = f"/admin/budget/budgetline/{grants_line.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    commit(grants_line, "3000.00", by=assessor)  # booked while the form was open
    data["name"] = "Subsidies grote maatregel"
    data["allocated"] = "1.00"  # not on the form any more, so ignored

    response = staff_client.post(url, data)

    assert response.status_code == 302
    grants_line.refresh_from_db()
    assert grants_line.name == "Subsidies grote maatregel"
    assert grants_line.committed_open == Decimal("3000.00")
    assert grants_line.allocated == Decimal("600000.00")


def test_the_programme_admin_inline_saved_after_a_booking_keeps_the_booking(staff_client, programme, grants_line,
                                                                            assessor):
    url = f"/admin/budget/programme/{programme.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    commit(grants_line, "3000.00", by=assessor)

    response = staff_client.post(url, data)

    assert response.status_code == 302
    grants_line.refresh_from_db()
    assert grants_line.committed_open == Decimal("3000.00")


def test_once_money_is_booked_the_admin_shows_the_allocation_read_only(staff_client, grants_line, assessor):
    url = f"/admin/budget/budgetline/{grants_line.pk}/change/"
    assert 'name="allocated"' in staff_client.get(url).content.decode()

    commit(grants_line, "10.00", by=assessor)

    assert 'name="allocated"' not in staff_client.get(url).content.decode()


def test_once_money_is_booked_an_allocation_changes_only_through_a_reallocation(grants_line, handymen_line,
                                                                                assessor, coordinator):
    commit(grants_line, "10.00", by=assessor)
    grants_line.allocated = Decimal("650000.00")

    with pytest.raises(ValidationError) as refused:
        grants_line.full_clean()
    assert "herverdeling" in str(refused.value.message_dict["allocated"])
    with pytest.raises(ValidationError):
        grants_line.save()

    reallocate(handymen_line, grants_line, "50000.00", by=coordinator, reason="Meer aanvragen dan verwacht")
    grants_line.refresh_from_db()
    assert grants_line.allocated == Decimal("650000.00")


def test_a_new_line_in_a_programme_with_bookings_starts_empty(programme, grants_line, assessor):
    commit(grants_line, "10.00", by=assessor)
    line = BudgetLine(programme=programme, kind=BudgetLine.Kind.COMMUNICATION, name="Extra", allocated="5000.00")

    with pytest.raises(ValidationError):
        line.save()


def test_an_import_that_changes_an_allocation_after_bookings_reports_the_row_and_changes_nothing(
        programme, grants_line, assessor, coordinator):
    commit(grants_line, "3000.00", by=assessor)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([grants_line.pk, programme.pk, grants_line.kind, "Nieuwe naam", "700000.00", grants_line.position])

    result = BudgetLineResource().import_data(dataset, dry_run=False, user=coordinator, use_transactions=True)

    assert result.has_validation_errors()
    assert "herverdeling" in str(result.invalid_rows[0].error_dict["allocated"])
    grants_line.refresh_from_db()
    assert grants_line.allocated == Decimal("600000.00")
    assert grants_line.name != "Nieuwe naam"
    assert grants_line.committed_open == Decimal("3000.00")


def test_an_import_of_the_same_allocation_keeps_the_bookings_and_reads_cents(programme, grants_line, assessor,
                                                                             coordinator):
    commit(grants_line, "3000.00", by=assessor)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([grants_line.pk, programme.pk, grants_line.kind, "Nieuwe naam", "600000.00", grants_line.position])

    result = BudgetLineResource().import_data(dataset, dry_run=False, user=coordinator)

    assert not result.has_errors() and not result.has_validation_errors()
    grants_line.refresh_from_db()
    assert grants_line.name == "Nieuwe naam"
    assert grants_line.committed_open == Decimal("3000.00")


def test_an_import_before_any_booking_reads_the_allocation_with_its_cents(programme, coordinator):
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.COMMUNICATION)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([line.pk, programme.pk, line.kind, line.name, "55000.55", line.position])

    BudgetLineResource().import_data(dataset, dry_run=False, user=coordinator)

    line.refresh_from_db()
    assert line.allocated == Decimal("55000.55")


# --- Append-only, on every path ---------------------------------------------------------------------


@pytest.fixture
def records(grants_line, handymen_line, assessor, coordinator):
    from eligibility.models import Assessment

    entry = commit(grants_line, "10.00", by=assessor)
    reallocation = reallocate(handymen_line, grants_line, "5.00", by=coordinator, reason="test")
    event = record_event(grants_line, actor=coordinator, action="looked")
    return {LedgerEntry: entry, Reallocation: reallocation, AuditEvent: event, Assessment: None}


@pytest.mark.parametrize("model_name", ["LedgerEntry", "Reallocation", "AuditEvent", "Assessment"])
def test_append_only_records_refuse_bulk_updates_and_deletes(records, model_name):
    model = next(model for model in records if model.__name__ == model_name)

    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=1)
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk__gt=0).delete()
    if records[model] is not None:
        with pytest.raises(AppendOnlyError):
            records[model].save()
        with pytest.raises(AppendOnlyError):
            records[model].delete()
        assert model.objects.filter(pk=records[model].pk).exists()


# --- Plausible input, on every way in -------------------------------------------------------------


def test_a_note_with_a_control_character_is_refused_by_the_service_and_nothing_is_booked(
        handymen_line, finance_officer):
    from budget.exceptions import BudgetError
    from budget.services import spend_direct

    with pytest.raises(BudgetError) as refused:
        spend_direct(handymen_line, "10.00", by=finance_officer, note="factuur\x1b[31m")

    assert refused.value.field == "note"
    assert not LedgerEntry.objects.exists()


def test_implausible_programme_targets_and_control_characters_in_names_are_field_errors(programme):
    programme.target_households = 10 ** 12
    programme.name = "Hilversum\x07"

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert {"target_households", "name"} <= set(refused.value.message_dict)


def test_a_rule_set_dated_in_the_year_one_is_refused(programme):
    from eligibility.models import RuleSet

    rule_set = RuleSet.objects.filter(programme=programme).first()
    rule_set.valid_from = __import__("datetime").date(1, 1, 1)

    with pytest.raises(ValidationError) as refused:
        rule_set.full_clean()

    assert "valid_from" in refused.value.message_dict
