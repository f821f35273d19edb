"""The resident's right of access: everything held on one household, as PDF and JSON (issue 14, item 5).

Inzageverzoek (request for access, AVG art. 15): a resident asks which personal data the programme holds on them,
where it came from and who received or saw it; the municipality answers within a month (art. 12(3)). The coordinator
asks for an export (`request_inzage`); the background worker writes it (`make_inzage_export`): the household and its
dwelling, its consents with the privacy statement's version, its eligibility assessments with the values they used,
what every app to the right keeps of it (their providers: `households.extensions.register_personal_data`), the audit
trail of the household and of each of its records (who changed what, when), and the view log of its data subject
(who looked at what, when). The rows of a household import are not in it: they are forgotten after 24 hours.

An export holds personal data too: its files are emptied after `KEPT_FOR` (`forget_old_exports`, from the daily
retention run); the export's row stays as the record that the request was answered.
"""

import datetime
import json
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.models import AuditEvent, ViewLog
from accounts.pdf import render_pdf_template
from accounts.roles import ensure_may
from eligibility.models import Assessment
from households import extensions
from households.models import Dwelling, Household, InzageExport
from households.viewlog import subject_key

EXPORT_LANGUAGE = "nl"  # the programme's language: the resident reads the answer in Dutch
PDF_TEMPLATE = "households/pdf/inzage.html"
KEPT_FOR = datetime.timedelta(days=7)
# Never in an export: the record's own key, and secrets that open something (the application's status link).
NEVER_SHOWN = {"id", "status_token"}



# --- Values as text ----------------------------------------------------------------------------------------------


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def text(value) -> str:
    """A value as the export writes it: dates and moments ISO 8601 (local time), amounts with a point ("1234.56"),
    yes/no, people by name, structured values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, get_user_model()):
        return person(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True)
    return str(value)


def record_rows(instance: models.Model, *, exclude=()) -> dict[str, str]:
    """Every field of `instance` as {label: text}, choices by their label. A related record is named when it was
    loaded with the instance (select_related), else by its number: nothing here queries the database."""
    row = {}
    for field in instance._meta.concrete_fields:
        if field.name in NEVER_SHOWN or field.name in exclude:
            continue
        label = capfirst(str(field.verbose_name))
        if field.is_relation:
            if field.is_cached(instance):
                row[label] = text(getattr(instance, field.name))
            else:
                row[label] = text(getattr(instance, field.attname))
        elif field.choices:
            value = getattr(instance, field.attname)
            row[label] = "" if value in (None, "") else str(getattr(instance, f"get_{field.name}_display")())
        elif isinstance(field, models.FileField):
            row[label] = getattr(instance, field.attname).name or ""
        elif isinstance(field, models.DecimalField) and getattr(instance, field.attname) is not None:
            value = Decimal(getattr(instance, field.attname))
            row[label] = format(value.quantize(Decimal(1).scaleb(-field.decimal_places)), "f")
        else:
            row[label] = text(getattr(instance, field.attname))
    return row


def section(title, rows: list[dict], **more) -> dict:
    return {"title": str(title), "rows": rows, **more}


# --- Collecting ---------------------------------------------------------------------------------------------------


def collect(household: Household) -> dict:
    """Everything held on `household`, JSON-ready: sections of records ({"title", "rows": [{label: text}]}), the
    audit trail of the household and every record of it, and who viewed its data. The number of queries does not
    grow with the number of records (each kind is read at once; providers prefetch)."""
    household = Household.objects.with_register_details().get(pk=household.pk)
    try:
        dwelling = household.dwelling
    except Dwelling.DoesNotExist:
        dwelling = None
    consents = list(household.consents.select_related("statement", "recorded_by").order_by("given_on", "pk"))
    assessments = list(Assessment.objects.for_household(household).order_by("assessed_at", "pk"))

    sections = [
        section(_("Household"), [record_rows(household)]),
        section(_("Dwelling"), [record_rows(dwelling, exclude=("household",))] if dwelling else []),
        section(_("Consent"), [{**record_rows(consent, exclude=("household",)),
                                _("Privacy statement (title)"): consent.statement.title if consent.statement else ""}
                               for consent in consents]),
        section(_("Eligibility assessments"),
                [record_rows(assessment, exclude=("household",)) for assessment in assessments]),
    ]
    subjects = [(household, _("Household %(reference)s") % {"reference": household.reference})]
    if dwelling:
        subjects.append((dwelling, _("Dwelling")))
    subjects += [(consent, _("Consent of %(date)s") % {"date": consent.given_on.isoformat()})
                 for consent in consents]
    for name, records in extensions.personal_data_providers().items():
        for part in records(household):
            subjects += [item if isinstance(item, tuple) else (item, str(item)) for item in part.get("subjects", ())]
            sections.append(section(part["title"], [{str(label): text(value) if not isinstance(value, str) else value
                                                     for label, value in row.items()} for row in part["rows"]],
                                    app=name, **({"note": str(part["note"])} if part.get("note") else {})))
    return {
        "reference": household.reference,
        "programme": str(household.programme),
        "made_at": text(timezone.now()),
        "sections": sections,
        "audit_trail": audit_trail(subjects),
        "view_log": view_log(household),
    }


def audit_trail(subjects: list[tuple[models.Model, str]]) -> list[dict]:
    """The events of all `subjects` (record, label), oldest first, in one query (per kind of record a filter)."""
    by_model = defaultdict(dict)
    for instance, label in subjects:
        by_model[type(instance)][str(instance.pk)] = label
    if not by_model:
        return []
    types = ContentType.objects.get_for_models(*by_model)
    labels = {}
    matches = Q(pk__in=[])
    for model, records in by_model.items():
        content_type = types[model]
        matches |= Q(content_type=content_type, object_id__in=list(records))
        labels.update({(content_type.pk, object_id): label for object_id, label in records.items()})
    from households.views import EVENT_LABELS  # the household page's names of its events: one list for both

    names = {**extensions.event_labels(), **EVENT_LABELS}
    trail = []
    for event in AuditEvent.objects.filter(matches).select_related("actor").order_by("at", "pk"):
        by = (event.data or {}).get("by")
        who = person(event.actor) or (_("the applicant") if by == "applicant" else _("the system"))
        trail.append({"at": text(event.at), "by": who, "record": labels[(event.content_type_id, event.object_id)],
                      "action": str(names.get(event.action, event.action)), "note": event.note,
                      "details": text(event.data) if event.data else ""})
    return trail


def view_log(household: Household) -> list[dict]:
    """Who viewed what of the household's personal data, oldest first."""
    rows = ViewLog.objects.of_subject(subject_key(household)).select_related("user").order_by("at", "pk")
    return [{"at": text(row.at), "by": person(row.user), "kind": str(row.get_kind_display()), "what": row.what}
            for row in rows]


# --- Asking for it, making it, forgetting it ----------------------------------------------------------------------


@transaction.atomic
def request_inzage(household: Household, *, by) -> InzageExport:
    """Ask for the household's export (coordinator only); the background worker makes it after commit."""
    ensure_may(by, "households.export_inzage", household)
    export = InzageExport.objects.create(household=household, requested_by=by)
    record_event(household, actor=by, action="inzage_requested", export=export.pk)
    transaction.on_commit(lambda: make_inzage_export.enqueue(export.pk))
    return export


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")


@task()
def make_inzage_export(export_id: int) -> str:
    """Write the export's JSON and PDF; on an error it is marked failed (and the error raised for the task's
    result). The error kept on the row names the kind of error only: a message could quote personal data."""
    export = (InzageExport.objects.defer("pdf", "json").select_related("household__programme", "requested_by")
              .filter(pk=export_id).first())
    if export is None or export.status == InzageExport.Status.DONE:
        return "gone" if export is None else export.status
    row = InzageExport.objects.filter(pk=export.pk)
    row.update(status=InzageExport.Status.RUNNING)
    try:
        with translation.override(EXPORT_LANGUAGE):
            data = collect(export.household)
            content = as_json(data)
            pdf = render_pdf_template(PDF_TEMPLATE, {"data": data, "export": export, "household": export.household},
                                      language=EXPORT_LANGUAGE)
    except Exception as error:
        row.update(status=InzageExport.Status.FAILED, error=type(error).__name__, finished_at=timezone.now())
        raise
    row.update(status=InzageExport.Status.DONE, json=content, pdf=pdf, error="", finished_at=timezone.now())
    return InzageExport.Status.DONE


def forget_old_exports(now: datetime.datetime) -> int:
    """Empty the files of exports finished more than `KEPT_FOR` ago (they hold personal data); returns how many."""
    return InzageExport.objects.filter(finished_at__lt=now - KEPT_FOR).filter(
        Q(pdf__isnull=False) | Q(json__isnull=False)).update(pdf=None, json=None)


def may_be_downloaded(export: InzageExport, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (export.status == InzageExport.Status.DONE and export.finished_at is not None
            and export.finished_at >= now - KEPT_FOR)


def filename(export: InzageExport, file_format: str) -> str:
    return f"inzage-{export.household.reference}-{timezone.localtime(export.requested_at):%Y%m%d-%H%M}.{file_format}"
