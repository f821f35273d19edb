"""The demo holds applications in every state, some overdue, and the grants line agrees with them (issue 11)."""

from django.core.management import call_command
from django.utils import timezone

from budget.selectors import reconcile
from subsidy import services
from subsidy.models import Application


def test_the_demo_has_applications_in_every_state_some_overdue_and_the_grants_line_agrees(settings, programme):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    count = Application.objects.count()
    call_command("load_demo_data", verbosity=0)

    assert Application.objects.count() == count  # loads once
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Application.Status.values)
    today = timezone.localdate()
    assert Application.objects.overdue(today).exists()
    assert Application.objects.due_within(today, 7).exists()
    line = services.grants_line(programme)
    open_grants = sum(application.granted_amount for application in Application.objects.filter(
        status__in=Application.COMMITTED)) - sum(
        application.granted_amount - application.payout_amount
        for application in Application.objects.filter(status=Application.Status.PAYOUT_SET))
    assert line.committed_open == open_grants
    assert line.spent == sum(a.payout_amount for a in Application.objects.filter(status=Application.Status.PAID))
    assert all(row.agrees and row.invariant_holds for row in reconcile(programme))
