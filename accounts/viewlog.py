"""Recording who looked at whose personal data (issue 14, "Who looked"; `accounts.models.ViewLog`).

A view that shows a data subject's personal data, or hands out their document or letter, calls `log_view` once per
request after it has checked permissions. accounts names no app: the app that knows the data subject makes the key
(`households.viewlog.log_household_view` for a household and everything of it).
"""

from accounts.models import ViewLog


def _row(request, user, *, subject_key: str, subject_label: str, what: str, kind: str) -> dict:
    return {"user": user, "kind": kind, "subject_key": subject_key[:64], "subject_label": subject_label[:64],
            "what": str(what)[:200], "path": request.get_full_path()[:300]}


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def log_view(request, *, subject_key: str, subject_label: str = "", what: str,
             kind: str = ViewLog.Kind.PAGE) -> ViewLog | None:
    """Append one row for the signed-in user viewing `what` of `subject_key`; nothing for an anonymous request
    (the applicant on their own status page is not staff looking)."""
    user = _signed_in(request)
    if user is None:
        return None
    return ViewLog.objects.create(**_row(request, user, subject_key=subject_key, subject_label=subject_label,
                                         what=what, kind=kind))


def log_views(request, subjects, *, what: str, kind: str = ViewLog.Kind.PAGE) -> list[ViewLog]:
    """`log_view` for each of `subjects` ((subject_key, subject_label) pairs; a key once) shown together, as an
    API list's page does: one INSERT, however many rows the page has."""
    user = _signed_in(request)
    if user is None:
        return []
    labels = dict(subjects)  # one look per subject, in the order first shown
    return ViewLog.objects.bulk_create([
        ViewLog(**_row(request, user, subject_key=key, subject_label=label, what=what, kind=kind))
        for key, label in labels.items()])


def page_name(request) -> str:
    """The URL name the request came in on (`households:detail`), what the log calls the page."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else request.path
