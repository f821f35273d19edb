"""Field work and anonymisation (issue 14, item 4): the free text the handyman and community worker wrote and the
reports for the resident go; the visits, the findings' characteristics and the advice's figures stay."""

import datetime
import os

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import AuditEvent
from fieldwork.models import DefectReport, Evaluation, IntakeFindings, Referral, ResidentReport, Visit
from households.models import Household
from households.retention import anonymise_household
from tests.factories import PDF_BYTES, HouseholdFactory

NOW = timezone.now()


def test_anonymising_removes_the_field_works_free_text_and_reports(programme, handyman, community_worker,
                                                                   django_capture_on_commit_callbacks):
    household = HouseholdFactory(programme=programme, closed=True, handyman=handyman,
                                 closed_at=NOW - datetime.timedelta(days=800))
    moment = NOW - datetime.timedelta(days=900)
    intake = Visit.objects.create(household=household, kind="intake", handyman=handyman, planned_at=moment,
                                  done_at=moment, notes="Mevrouw Jansen is doof; bel haar zoon Piet.")
    IntakeFindings.objects.create(visit=intake, energy_label="E", glazing="single", roof_insulation="none",
                                  floor_insulation="none", wall_insulation="partly", gas_m3_per_year=1800,
                                  wishes="Warme voeten voor haar reuma.", advised_measure="floor",
                                  advice="Vloerisolatie; de kruipruimte is droog.",
                                  advice_figures={"cost_minimum": "1800.00"})
    evaluation = Visit.objects.create(household=household, kind="evaluation", handyman=handyman,
                                      planned_at=moment, done_at=moment, mode="by_phone")
    Evaluation.objects.create(visit=evaluation, experience=4, remarks="Haar zoon is tevreden.")
    Referral.objects.create(household=household, community_worker=community_worker, referred_by=handyman,
                            referred_at=moment, reason="Schulden bij de energieleverancier.", handled_note="Gebeld.")
    DefectReport.objects.create(household=household, housing_corporation="Dudok Wonen", reported_by=handyman,
                                sent_on=moment.date(), description="Schimmel in de slaapkamer van de kinderen.")
    report = ResidentReport.objects.create(visit=intake, status="ready", emailed_to="jansen@example.nl")
    report.file.save("rapport.pdf", ContentFile(PDF_BYTES))
    path = report.file.path
    record_event(intake, actor=handyman, action="fieldwork.intake_done", note="Mevrouw Jansen is doof.")

    with django_capture_on_commit_callbacks(execute=True):
        removed = anonymise_household(Household.objects.get(pk=household.pk), now=NOW, reason="retention")

    intake.refresh_from_db()
    findings = IntakeFindings.objects.get(visit=intake)
    assert intake.notes == "" and intake.done_at == moment
    assert (findings.wishes, findings.advice) == ("", "")
    assert (findings.energy_label, findings.glazing, findings.gas_m3_per_year, findings.advised_measure,
            findings.advice_figures) == ("E", "single", 1800, "floor", {"cost_minimum": "1800.00"})
    assert Evaluation.objects.get(visit=evaluation).remarks == ""
    assert Evaluation.objects.get(visit=evaluation).experience == 4
    assert Referral.objects.filter(household=household, reason="", handled_note="").count() == 1
    assert DefectReport.objects.get(household=household).description == ""
    assert DefectReport.objects.get(household=household).housing_corporation == "Dudok Wonen"
    assert not ResidentReport.objects.filter(visit__household=household).exists()
    assert not os.path.exists(path)
    assert AuditEvent.objects.for_object(intake).get().note == ""
    assert removed["fieldwork"] == {"visits": 2, "referrals": 1, "defect_reports": 1, "resident_reports": 1,
                                    "audit_notes": 1}
