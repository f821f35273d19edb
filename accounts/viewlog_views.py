"""The coordinator's page of the view log, "Wie keek?" (issue 14, "Who looked"; accounts.models.ViewLog).

Filters: the staff member, the data subject (a household's reference as the log stores it, or the `subject` key in
the address, as the household page's "Wie keek?" link gives it), the kind and a period. Newest first, 50 rows a page,
found from where the previous page ended (keyset on the `(at, id)` indexes): the page never counts or scans the log,
however long it has grown.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import ViewLog
from accounts.roles import ensure_may
from accounts.templatetags.people import person

PAGE_SIZE = 50
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)
LARGEST_ID = 2**63 - 1
PERMISSION = "accounts.view_view_log"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class ViewLogFilterForm(forms.Form):
    user = StaffChoiceField(label=_("Staff member"), required=False, empty_label=_("Everyone"), queryset=None)
    subject_label = forms.CharField(
        label=_("Data subject"), required=False, max_length=64,
        help_text=_("A household's reference, exactly as on its page."))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ViewLog.Kind.choices])
    # Bounded, so that a day after the last one is still a date (9999-12-31 + 1 day would not be).
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)])
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)])
    subject = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (get_user_model().objects.filter(groups__isnull=False).distinct()
                                        .order_by("first_name", "last_name", "username"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filter(self, rows):
        """The rows the filters ask for; none while a filter is wrong (the form says which)."""
        if not self.is_bound:
            return rows
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["user"]:
            rows = rows.filter(user=data["user"])
        if data["subject"]:
            rows = rows.filter(subject_key=data["subject"])
        if data["subject_label"].strip():
            rows = rows.filter(subject_label=data["subject_label"].strip())
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["date_from"]:
            rows = rows.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            rows = rows.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        return rows


def _start_of(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class ViewLogPage:
    rows: list
    older: str | None  # the cursor of the next (older) page; None on the last


def _cursor(row: ViewLog) -> str:
    return f"{row.at.isoformat()}_{row.pk}"


def _parse_cursor(text: str | None) -> tuple[datetime.datetime, int] | None:
    try:
        moment, pk = (text or "").rsplit("_", 1)
        at, pk = datetime.datetime.fromisoformat(moment), int(pk)
        if not 0 < pk <= LARGEST_ID:
            return None
        return (at if timezone.is_aware(at) else None), pk
    except ValueError:
        return None


def view_log_page(rows, *, older_than: str | None = None, size: int = PAGE_SIZE) -> ViewLogPage:
    """The `size` rows just older than the cursor (the newest without one), with who looked: one query."""
    cursor = _parse_cursor(older_than)
    if cursor is not None and cursor[0] is not None:
        at, pk = cursor
        rows = rows.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    shown = list(rows.select_related("user").order_by("-at", "-pk")[:size + 1])
    more, shown = len(shown) > size, shown[:size]
    return ViewLogPage(rows=shown, older=_cursor(shown[-1]) if more else None)


@login_required
@require_GET
def view_log(request: HttpRequest) -> HttpResponse:
    ensure_may(request.user, PERMISSION)
    filters = ViewLogFilterForm(request.GET if request.GET.keys() - {"older_than"} else None)
    page = view_log_page(filters.filter(ViewLog.objects.all()), older_than=request.GET.get("older_than"))
    query = request.GET.copy()
    query.pop("older_than", None)
    return render(request, "accounts/view_log.html", {
        "filters": filters,
        "page": page,
        "querystring": query.urlencode(),
        "continued": bool(request.GET.get("older_than")),
        "subject": filters.cleaned_data.get("subject", "") if filters.is_bound and filters.is_valid() else "",
    })
