"""The view log's data subject for a household and everything of it (its applications, visits, documents).

When a look is logged (docs/security.md, "Who looked"): once per request that shows a household's personal data or
hands out its document or letter, after the permission check, on the GET of the page or the download. A POST that
acts (its audit event says who did what) or re-shows a form with its errors is not a new look; neither is an htmx
request for a part of a page that was logged when it was opened: only the view knows which it answers, so only a
view that renders the part (`accounts.htmx.render_page_or_fragment`) says `fragment=wants_fragment(request)`. The
htmx header alone skips nothing (anyone can send it): a page, file or API record answered whole is a look.
Lists (25 names and addresses a page) are not logged row by row: opening a household is.

`what` says which page: the URL's name (`households:detail`, `subsidy:document`), and for a document or letter which
one (`subsidy:document 12 (quote)`), stable across languages; the view log's page shows it as it is stored.
"""

from accounts.models import ViewLog
from accounts.viewlog import log_view, log_views, page_name


def subject_key(household_or_id) -> str:
    household_id = getattr(household_or_id, "pk", household_or_id)
    return f"household:{household_id}"


def log_household_view(request, household, *, what: str, kind: str = ViewLog.Kind.PAGE) -> ViewLog | None:
    """Log that the signed-in user viewed `what` (a page, a document, a letter) of `household`'s personal data."""
    return log_view(request, subject_key=subject_key(household), subject_label=household.reference, what=what,
                    kind=kind)


def is_a_look(request, *, fragment: bool = False) -> bool:
    """A GET answered with the whole page, a file or an API record: what counts as looking (see the module's
    docstring). `fragment`: the view answers this request with a part of a page (it chose to, not the header)."""
    return request.method == "GET" and not fragment


def log_household_page(request, household, *, detail: str = "", kind: str = ViewLog.Kind.PAGE,
                       fragment: bool = False) -> ViewLog | None:
    """Log a look at `household`'s page or file named by the request's URL (plus `detail`: which document), once
    per request; nothing for a POST or for the part of a page the view renders for htmx (`fragment`, see the
    module's docstring). A file or an API record is never a fragment."""
    if not is_a_look(request, fragment=fragment and kind == ViewLog.Kind.PAGE):
        return None
    what = f"{page_name(request)} {detail}".strip()
    return log_household_view(request, household, what=what, kind=kind)


def log_household_list(request, households) -> list[ViewLog]:
    """Log one look at each of `households` (a household once) that an API list's page gives in full (the household
    list: income, phone, e-mail, address; the application list: the applicant's name), in one INSERT. The pages'
    lists are not logged (see the module's docstring): they show what finding a household needs."""
    if not is_a_look(request):
        return []
    return log_views(request, [(subject_key(household), household.reference) for household in households],
                     what=page_name(request))
