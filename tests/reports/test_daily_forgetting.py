"""The daily retention run also forgets the short-lived files of personal data of every app (accounts.retention)."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from households.models import InzageExport
from reports.models import ListExport
from tests.factories import HouseholdFactory


def _list_export(user, *, hours_ago: int) -> ListExport:
    export = ListExport.objects.create(kind="households", requested_by=user, file_format="csv",
                                       status=ListExport.Status.DONE, content=b"Kenmerk;Naam\r\nHIL-1;Jansen\r\n")
    ListExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return export


def _inzage_export(household, user, *, days_ago: int) -> InzageExport:
    export = InzageExport.objects.create(household=household, requested_by=user, status=InzageExport.Status.DONE,
                                         pdf=b"%PDF-1.7 ...", json=b"{}",
                                         finished_at=timezone.now() - datetime.timedelta(days=days_ago))
    InzageExport.objects.filter(pk=export.pk).update(requested_at=export.finished_at)
    return export


def test_the_run_forgets_expired_exports_and_keeps_fresh_ones(coordinator, programme):
    household = HouseholdFactory(programme=programme)
    old_list, fresh_list = _list_export(coordinator, hours_ago=25), _list_export(coordinator, hours_ago=1)
    old_inzage, fresh_inzage = (_inzage_export(household, coordinator, days_ago=8),
                                _inzage_export(household, coordinator, days_ago=1))
    out = StringIO()

    call_command("anonymise_expired", stdout=out)

    assert not ListExport.objects.filter(pk=old_list.pk).exists()
    assert ListExport.objects.get(pk=fresh_list.pk).content is not None
    old_inzage.refresh_from_db()
    fresh_inzage.refresh_from_db()
    assert (old_inzage.pdf, old_inzage.json) == (None, None)
    assert bytes(fresh_inzage.pdf).startswith(b"%PDF")
    assert "list exports 1" in out.getvalue()
    assert "inzage exports 1" in out.getvalue()


def test_a_dry_run_forgets_nothing(coordinator, programme):
    old_list = _list_export(coordinator, hours_ago=25)

    call_command("anonymise_expired", "--dry-run", stdout=StringIO())

    assert ListExport.objects.filter(pk=old_list.pk).exists()
