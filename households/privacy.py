"""The register of a programme's privacy statements (privacyverklaring; AVG art. 12-14) and which one applies.

- A **privacy statement** (`PrivacyStatement`) is one version of the text a resident reads before consenting: who
  is responsible, which data and why, with whom it is shared, how long it is kept, the resident's rights.
- The **current** statement of a programme on a day is the one with the latest `valid_from` on or before that day
  (`current_statement`). The public form shows it and new consent refers to it, unless staff choose another.
- A version, once stored, never changes: consent refers to the exact text the resident read (AVG art. 7(1): the
  controller must be able to show what was consented to). A change is a new version (`record_statement`).
- Consent, an application and an import row name a version by its string (`2022-1`); `statement_of` finds it
  in the programme's register or refuses with a sentence for the field.
- A version is letters, digits, dots, hyphens and underscores (`households.validators.validate_statement_version`):
  it is part of the address of its page, which the register, the public form and the household page link to.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.errors import Refused
from accounts.roles import ensure_may
from accounts.text import entered_text
from budget.models import Programme
from households.models import PrivacyStatement
from households.validators import STATEMENT_VERSION, STATEMENT_VERSION_MESSAGE

MAX_TEXT_CHARACTERS = 20_000


def statements(programme: Programme):
    """The programme's statements, newest first."""
    return PrivacyStatement.objects.filter(programme=programme).select_related("created_by").order_by(
        "-valid_from", "-pk")


def current_statement(programme: Programme, on: datetime.date | None = None) -> PrivacyStatement | None:
    """The statement that applies on `on` (today when not given); None when the programme has none yet."""
    on = on or timezone.localdate()
    return (PrivacyStatement.objects.filter(programme=programme, valid_from__lte=on).select_related("programme")
            .order_by("-valid_from", "-pk").first())


def statement_of(programme: Programme | int, version: str, *, field: str | None = None) -> PrivacyStatement:
    """The programme's statement with this version string; Refused (naming `field`) when it has none."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    version = (version or "").strip()
    if version and not STATEMENT_VERSION.fullmatch(version):
        raise Refused(str(STATEMENT_VERSION_MESSAGE), field=field)
    statement = PrivacyStatement.objects.filter(programme_id=programme_id, version=version).first()
    if statement is None:
        raise Refused(_("The programme has no privacy statement with version %(version)s: choose one from its "
                        "register.") % {"version": version or "–"}, field=field)
    return statement


@transaction.atomic
def record_statement(programme: Programme, *, by, version: str, title: str, text: str,
                     valid_from: datetime.date) -> PrivacyStatement:
    """A new version of the programme's privacy statement (coordinator). A stored version is never changed: a
    version string already in the register is refused, whatever its text."""
    ensure_may(by, "households.manage_privacy_statements", programme)
    version = entered_text(version, field="version", required=True)
    if len(version) > 20:
        raise Refused(_("A version has at most 20 characters, e.g. 2024-1."), field="version")
    if not STATEMENT_VERSION.fullmatch(version):
        raise Refused(str(STATEMENT_VERSION_MESSAGE), field="version")
    title = entered_text(title, field="title", required=True)
    if len(title) > 200:
        raise Refused(_("A title has at most 200 characters."), field="title")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused(_("Enter the text of the statement as the resident reads it."), field="text")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise Refused(_("The text has at most %(count)s characters.") % {"count": f"{MAX_TEXT_CHARACTERS:,}"
                                                                           .replace(",", ".")}, field="text")
    if "\x00" in text:
        raise Refused(_("The text holds a character that cannot be stored."), field="text")
    if PrivacyStatement.objects.filter(programme=programme, version=version).exists():
        raise Refused(_("Version %(version)s is in the register already. A stored version never changes: give the "
                        "new text a new version.") % {"version": version}, field="version")
    try:
        with transaction.atomic():
            statement = PrivacyStatement.objects.create(programme=programme, version=version, title=title, text=text,
                                                        valid_from=valid_from, created_by=by)
    except IntegrityError:  # the same version stored at the same moment by someone else
        raise Refused(_("Version %(version)s is in the register already. A stored version never changes: give the "
                        "new text a new version.") % {"version": version}, field="version") from None
    record_event(statement, actor=by, action="privacy_statement.recorded", programme=programme.slug,
                 version=version, valid_from=valid_from.isoformat())
    return statement
