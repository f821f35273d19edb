"""Corrections and imports in the admin are audited; append-only records cannot be changed there."""

from decimal import Decimal

import pytest
import tablib
from django.contrib.admin.sites import site

from accounts.models import AuditEvent
from budget.admin import BudgetLineResource
from budget.models import BudgetLine, LedgerEntry
from eligibility.models import SocialMinimumNorm

pytestmark = pytest.mark.django_db


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def admin_form_data(page) -> dict:
    """What the browser would post back unchanged: the main form, and each inline with its management form."""
    form = page.context["adminform"].form
    data = {form.add_prefix(name): _value(form[name]) for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for each in formset.forms:
            data.update({each.add_prefix(name): _value(each[name]) for name in each.fields})
    return {name: value for name, value in data.items() if value != ""}


def test_changing_a_budget_lines_allocation_in_the_programme_admin_is_audited(staff_client, programme,
                                                                              coordinator):
    url = f"/admin/budget/programme/{programme.pk}/change/"
    page = staff_client.get(url)
    data = admin_form_data(page)
    grants = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    lines = next(inline.formset for inline in page.context["inline_admin_formsets"]
                 if inline.formset.model is BudgetLine)
    form = next(each for each in lines.forms if each.instance.pk == grants.pk)
    data[form.add_prefix("allocated")] = "650000.00"

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    grants.refresh_from_db()
    assert grants.allocated == Decimal("650000.00")
    event = AuditEvent.objects.for_object(programme).get(action="changed_in_admin", data__inline="budgetline")
    assert event.actor == coordinator
    assert event.data["changed"] == {str(grants): ["allocated"]}


def test_a_budget_line_import_records_who_imported_each_row(programme, coordinator):
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.COMMUNICATION)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([line.pk, programme.pk, line.kind, line.name, "55000.00", line.position])

    result = BudgetLineResource().import_data(dataset, dry_run=False, user=coordinator)

    assert not result.has_errors()
    line.refresh_from_db()
    assert line.allocated == Decimal("55000.00")
    assert AuditEvent.objects.for_object(line).get(action="imported_in_admin").actor == coordinator


def test_a_dry_run_import_records_nothing(programme, coordinator):
    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.COMMUNICATION)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([line.pk, programme.pk, line.kind, line.name, "55000.00", line.position])

    BudgetLineResource().import_data(dataset, dry_run=True, user=coordinator)

    assert not AuditEvent.objects.for_object(line).exists()
    line.refresh_from_db()
    assert line.allocated == Decimal("50000.00")


def test_reference_data_without_its_own_resource_imports_audited_too(rf, coordinator):
    request = rf.get("/")
    request.user = coordinator
    resource_class = site._registry[SocialMinimumNorm].get_resource_classes(request)[0]

    assert resource_class.__mro__[1].__name__ == "AuditedResource"


@pytest.mark.parametrize("model", [LedgerEntry, AuditEvent])
def test_append_only_records_cannot_be_added_changed_or_deleted_in_the_admin(rf, coordinator, model):
    request = rf.get("/")
    request.user = coordinator
    model_admin = site._registry[model]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_an_allocation_cannot_be_changed_in_the_admin_once_money_is_booked(staff_client, programme, assessor):
    from budget.services import commit

    grants = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)
    commit(grants, "3000.00", by=assessor)
    url = f"/admin/budget/budgetline/{grants.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["allocated"] = "2999.99"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    grants.refresh_from_db()
    assert grants.allocated == Decimal("600000.00")
    assert grants.committed_open == Decimal("3000.00")


def test_an_import_that_lowers_an_allocation_below_what_is_committed_changes_nothing(programme, coordinator,
                                                                                    assessor):
    from budget.services import commit

    line = BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.COMMUNICATION)
    commit(line, "1000.00", by=assessor)
    dataset = tablib.Dataset(headers=["id", "programme", "kind", "name", "allocated", "position"])
    dataset.append([line.pk, programme.pk, line.kind, line.name, "999.99", line.position])

    result = BudgetLineResource().import_data(dataset, dry_run=False, user=coordinator, use_transactions=True)

    assert result.has_validation_errors()
    line.refresh_from_db()
    assert line.allocated == Decimal("50000.00")
