"""Recording who looked at whose personal data (issue 14, "Who looked"; `accounts.models.ViewLog`).

A view that shows a data subject's personal data, or hands out their document or letter, calls `log_view` once per
request after it has checked permissions. accounts names no app: the app that knows the data subject makes the key
(`households.viewlog.log_household_view` for a household and everything of it).
"""

from accounts.models import ViewLog


def log_view(request, *, subject_key: str, subject_label: str = "", what: str,
             kind: str = ViewLog.Kind.PAGE) -> ViewLog | None:
    """Append one row for the signed-in user viewing `what` of `subject_key`; nothing for an anonymous request
    (the applicant on their own status page is not staff looking)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return ViewLog.objects.create(user=user, kind=kind, subject_key=subject_key[:64],
                                  subject_label=subject_label[:64], what=str(what)[:200],
                                  path=request.get_full_path()[:300])
