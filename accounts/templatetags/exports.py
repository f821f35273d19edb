"""`{% export_buttons "households" %}`: the list's export buttons (see accounts.exports), for whoever may export it.

The form carries the list's current address parameters (its search, filters and sort, without the page) as
`filters`, so the export holds exactly the rows the list shows on all its pages. A list whose filters are not in its
address (the ledger's line, the week a page shows by default) passes them as keywords:
`{% export_buttons "ledger" line=line.pk %}`.
"""

from django import template
from django.http import QueryDict
from django.urls import reverse

from accounts.exports import list_export, may_export

register = template.Library()

NOT_FILTERS = ("page", "older_than", "newer_than")  # where the list's page starts, not which rows it holds


@register.inclusion_tag("accounts/_export_buttons.html", takes_context=True)
def export_buttons(context, kind: str, **fixed):
    request = context.get("request")
    if request is None or not may_export(request.user, kind):
        return {"shown": False}
    filters = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in NOT_FILTERS and name not in fixed:
            filters.setlist(name, values)
    for name, value in fixed.items():
        if value not in (None, ""):
            filters[name] = str(value)
    return {"shown": True, "kind": kind, "action": reverse(list_export(kind).url_name, args=[kind]),
            "filters": filters.urlencode(), "csrf_token": context.get("csrf_token")}
