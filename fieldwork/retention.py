"""What the field work removes when a household is anonymised (issue 14; `households.retention`;
docs/security.md, "Retention and anonymisation").

The free text the handyman and the community worker wrote (a visit's notes, the intake's wishes and advice, the
evaluation's remarks, a referral's reason and note, a defect report's description), the reports for the resident
(files and rows) and the audit notes of these records. Kept: the visits with their kinds and moments, the findings'
characteristics (label, glazing, insulation, use) and the advised measure with its figures, the evaluation's score
and the measures in use, the referrals' and defect reports' dates and corporation.
"""

from django.db.models import Q

from fieldwork.models import DefectReport, Evaluation, IntakeFindings, Referral, ResidentReport, Visit
from households.retention import forget_files, redact_audit_trail


def anonymise_fieldwork(household, *, now) -> dict:
    visits = Visit.objects.filter(household=household)
    visit_ids = list(visits.values_list("pk", flat=True))
    visits.exclude(notes="").update(notes="")
    IntakeFindings.objects.filter(visit__in=visit_ids).filter(~Q(wishes="") | ~Q(advice="")).update(
        wishes="", advice="")
    Evaluation.objects.filter(visit__in=visit_ids).exclude(remarks="").update(remarks="")
    referrals = Referral.objects.filter(household=household)
    referral_ids = list(referrals.values_list("pk", flat=True))
    referrals.update(reason="", handled_note="")
    defects = DefectReport.objects.filter(household=household)
    defect_ids = list(defects.values_list("pk", flat=True))
    defects.update(description="")
    reports = ResidentReport.objects.filter(visit__in=visit_ids)
    removed_reports = reports.count()
    forget_files(report.file for report in reports.only("file"))
    reports.delete()
    return {"visits": len(visit_ids), "referrals": len(referral_ids), "defect_reports": len(defect_ids),
            "resident_reports": removed_reports,
            "audit_notes": (redact_audit_trail(Visit, visit_ids) + redact_audit_trail(Referral, referral_ids)
                            + redact_audit_trail(DefectReport, defect_ids))}
