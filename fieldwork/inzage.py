"""What the field work holds on a household, for the resident's request for access (`households.inzage`, issue 14).

The household's visits with the handyman's notes, the intake's findings and advice, the evaluation, the referrals to
a community worker, the defect reports to the housing corporation and the reports made for the resident (their
PDFs are not in the export). Each record is a subject of the export's audit trail. Registered in
`FieldworkConfig.ready()`.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fieldwork.models import DefectReport, Referral, Visit
from households.inzage import record_rows

# The names of the field work's events in the export's audit trail (actions are recorded as "fieldwork.<act>").
EVENT_LABELS = {
    "fieldwork.visit_planned": gettext_lazy("visit planned"),
    "fieldwork.visit_rescheduled": gettext_lazy("visit rescheduled"),
    "fieldwork.intake_done": gettext_lazy("intake recorded"),
    "fieldwork.installation_done": gettext_lazy("installation recorded"),
    "fieldwork.evaluation_done": gettext_lazy("evaluation recorded"),
    "fieldwork.referred": gettext_lazy("referred to a community worker"),
    "fieldwork.referral_handled": gettext_lazy("referral handled"),
    "fieldwork.defect_reported": gettext_lazy("defect reported to the housing corporation"),
    "fieldwork.defect_updated": gettext_lazy("defect report updated"),
}


def _one(visit: Visit, name: str):
    """The visit's findings or evaluation, loaded with it; None when there is none."""
    try:
        return getattr(visit, name)
    except ObjectDoesNotExist:
        return None


def records(household) -> list[dict]:
    visits = list(Visit.objects.filter(household=household)
                  .select_related("handyman", "planned_by", "findings", "evaluation")
                  .prefetch_related("reports").order_by("planned_at", "pk"))
    referrals = list(Referral.objects.filter(household=household).select_related("community_worker", "referred_by")
                     .order_by("referred_at", "pk"))
    defects = list(DefectReport.objects.filter(household=household).select_related("reported_by")
                   .order_by("sent_on", "pk"))
    kinds = {visit.pk: str(visit.get_kind_display()) for visit in visits}
    findings = [(visit, found) for visit in visits if (found := _one(visit, "findings")) is not None]
    evaluations = [(visit, evaluation) for visit in visits if (evaluation := _one(visit, "evaluation")) is not None]
    reports = [(visit, report) for visit in visits for report in visit.reports.all()]
    visit_label = _("Visit")
    return [
        {"title": _("Visits"), "rows": [record_rows(visit, exclude=("household",)) for visit in visits],
         "subjects": [(visit, f"{visit_label}: {kinds[visit.pk]}") for visit in visits]},
        {"title": _("Intake findings and advice"),
         "rows": [record_rows(found, exclude=("visit",)) for _visit, found in findings],
         "subjects": [(found, _("Intake findings")) for _visit, found in findings]},
        {"title": _("Evaluations"),
         "rows": [record_rows(evaluation, exclude=("visit",)) for _visit, evaluation in evaluations],
         "subjects": [(evaluation, _("Evaluation")) for _visit, evaluation in evaluations]},
        {"title": _("Referrals to a community worker"),
         "rows": [{**record_rows(referral, exclude=("household", "visit")),
                   visit_label: kinds.get(referral.visit_id, "")} for referral in referrals],
         "subjects": [(referral, _("Referral")) for referral in referrals]},
        {"title": _("Defect reports to the housing corporation"),
         "rows": [{**record_rows(defect, exclude=("household", "visit")), _("Status"): str(defect.get_status_display()),
                   visit_label: kinds.get(defect.visit_id, "")} for defect in defects],
         "subjects": [(defect, _("Defect report")) for defect in defects]},
        {"title": _("Reports for the resident"),
         "note": _("The reports themselves are not in this export; the resident received them after the visit."),
         "rows": [{visit_label: kinds[visit.pk], **record_rows(report, exclude=("visit", "file"))}
                  for visit, report in reports],
         "subjects": [(report, _("Report for the resident")) for _visit, report in reports]},
    ]


def register() -> None:
    """The provider of `households.extensions` for the request for access, and the names of this app's events."""
    from households import extensions

    extensions.register_personal_data("fieldwork", records)
    extensions.register_event_labels(EVENT_LABELS)
