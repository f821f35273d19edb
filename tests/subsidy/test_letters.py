"""Decision letters: what the applicant reads in the PDF (text taken from it), where it is kept, and a failure."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from budget.money import euro
from subsidy import letters, services
from subsidy.models import Application, DecisionLetter
from subsidy.tasks import render_decision_letter
from tests.factories import application_in


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def text_of(letter: DecisionLetter) -> str:
    """The letter's text as a reader gets it from the PDF, its white space (line breaks, non-breaking spaces)
    made single spaces."""
    with letter.file.open("rb") as file:
        reader = pypdf.PdfReader(io.BytesIO(file.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def dutch(text: str) -> str:
    return " ".join(str(text).split())


def dutch_date(day) -> str:
    with translation.override("nl"):
        return date_format(day, "j F Y")


def euro_nl(amount) -> str:
    with translation.override("nl"):
        return dutch(euro(Decimal(str(amount))))


def decided(application: Application, act: str, django_capture_on_commit_callbacks, **arguments) -> DecisionLetter:
    """Approve or reject as the assessor; the letter is rendered by the (immediate) background task after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, act)(application, **arguments)
    return Application.objects.get(pk=application.pk).letters.get()


def test_an_approval_letter_states_the_grant_its_calculation_rules_conditions_and_how_to_object(
        people, programme, django_capture_on_commit_callbacks):
    application = application_in("in_review", people)
    letter = decided(application, "approve", django_capture_on_commit_callbacks, by=people["assessor"])
    application.refresh_from_db()
    text = text_of(letter)

    assert letter.kind == DecisionLetter.Kind.APPROVAL
    # Who writes to whom, about what.
    assert "Gemeente Hilversum" in text and "Postbus 9900" in text and "1201 GM Hilversum" in text
    dwelling = application.household.dwelling
    assert application.applicant_name in text
    assert dwelling.address_line in text and f"{dwelling.postcode} {dwelling.city}" in text
    assert application.reference in text
    assert f"Datum {dutch_date(timezone.localdate(application.decided_at))}" in text
    assert "Besluit op uw aanvraag" in text
    # The decision and the amount, in Dutch.
    assert "€ 4.200,00" in text
    assert "Wij verlenen u een subsidie van € 4.200,00" in text
    # The calculation, line by line.
    assert application.calculation["lines"]
    for line in application.calculation["lines"]:
        assert f"{dutch(line['label'])} {euro_nl(line['amount'])}" in text
    # The rules and the values applied, from the assessment at submission.
    assessment = application.assessment
    assert assessment.rule_set_version in text
    assert f"Inkomensgrens (netto per maand) {euro_nl(assessment.income_limit)}" in text
    assert "Maximale subsidie voor een grote maatregel € 5.000,00" in text
    assert "Inkomensgrens: percentage van de bijstandsnorm 130%" in text
    # The conditions.
    assert "offerte" in text and "factuur" in text
    assert "12 maanden" in text
    # The objection clause: six weeks after the date of the letter, to whom, and what an objection contains.
    assert "binnen zes weken na de datum van deze brief" in text
    assert "Het college van burgemeester en wethouders van Hilversum" in text
    for part in ("uw naam en adres", "de datum", "het besluit waartegen u bezwaar maakt", "waarom u het niet eens "
                 "bent", "uw handtekening"):
        assert part in text
    # Signed by the programme's signatory.
    assert "A. de Boer" in text and "Programmamanager Aanpak energiearmoede" in text


def test_a_diy_approval_letter_shows_the_area_the_rate_and_the_finishing(people, programme,
                                                                        django_capture_on_commit_callbacks):
    application = application_in("in_review", people, diy=True)
    letter = decided(application, "approve", django_capture_on_commit_callbacks, by=people["assessor"])
    application.refresh_from_db()
    text = text_of(letter)

    # The plan's worked example: roof 70 m² → 70 × 1.1 × €30 = €2,310, plus 70 × €6 = €420, total €2,730.
    assert "Isolatiemateriaal: 70 m² × 1,1 (snijverlies) × € 30,00 per m² € 2.310,00" in text
    assert "Afwerking: 70 m² × € 6,00 per m² € 420,00" in text
    assert "Totaal € 2.730,00" in text
    assert "Wij verlenen u een subsidie van € 2.730,00" in text
    assert "gecontroleerd: 70 m²" in text
    for name, value in (("Tarief per m² bij zelfwerkzaamheid (inclusief btw)", "€ 30,00"),
                        ("Snijverliesfactor", "1,1"), ("Afwerkingstarief per m²", "€ 6,00"),
                        ("Maximale oppervlakte voor deze maatregel", "200 m²")):
        assert f"{name} {value}" in text
    for line in application.calculation["lines"]:
        assert f"{dutch(line['label'])} {euro_nl(line['amount'])}" in text


def test_a_rejection_letter_gives_the_reasons_and_how_to_object(people, programme,
                                                                django_capture_on_commit_callbacks):
    application = application_in("in_review", people, net_monthly_income=Decimal("4800.00"))
    grounds = services.rejection_grounds(application)
    assert [ground["rule"] for ground in grounds] == ["income"]

    letter = decided(application, "reject", django_capture_on_commit_callbacks, by=people["assessor"],
                     reasons=["income"], note="Het inkomen ligt boven de grens van de regeling.")
    text = text_of(letter)

    assert letter.kind == DecisionLetter.Kind.REJECTION
    assert "Wij wijzen uw aanvraag af" in text
    assert dutch(grounds[0]["reason"]) in text
    assert "Het inkomen ligt boven de grens van de regeling." in text
    assert "Wij verlenen" not in text and "€ 4.200,00" not in text
    assert "binnen zes weken na de datum van deze brief" in text
    assert "Het college van burgemeester en wethouders van Hilversum" in text
    assert "A. de Boer" in text


def test_the_letter_is_kept_outside_the_web_root_under_a_random_name_and_is_ready(
        people, programme, settings, django_capture_on_commit_callbacks):
    application = application_in("in_review", people)
    letter = decided(application, "approve", django_capture_on_commit_callbacks, by=people["assessor"])

    assert letter.status == DecisionLetter.Status.READY
    assert letter.rendered_at is not None
    path = Path(letter.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_FILES_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert re.fullmatch(r"letters/[0-9a-f]{32}\.pdf", letter.file.name)
    assert application.reference not in letter.file.name
    assert path.read_bytes().startswith(b"%PDF-")
    with pytest.raises(ValueError):
        letter.file.url


def test_a_letter_that_cannot_be_rendered_is_marked_failed_and_sent_to_nobody(people, programme, monkeypatch,
                                                                             mailoutbox):
    application = application_in("approved", people)  # its letter waits: the commit never came in this test
    letter = application.letters.get()
    assert letter.status == DecisionLetter.Status.PENDING

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(letters, "render_pdf_template", broken)
    result = render_decision_letter.enqueue(letter.pk)

    letter.refresh_from_db()
    assert result.status == "FAILED"  # the task ends with the error; nothing retries it by itself
    assert letter.status == DecisionLetter.Status.FAILED
    assert not letter.file
    assert mailoutbox == []

    monkeypatch.undo()
    letters.render_letter(letter.pk)  # rendered again (e.g. by staff) it becomes ready and is sent
    letter.refresh_from_db()
    assert letter.status == DecisionLetter.Status.READY
    assert len(mailoutbox) == 2  # the applicant and the community worker


def test_a_ready_letter_is_not_rendered_or_sent_twice(people, programme, mailoutbox):
    application = application_in("approved", people)
    letter = application.letters.get()
    letters.render_letter(letter.pk)
    letter.refresh_from_db()
    name = letter.file.name

    letters.render_letter(letter.pk)

    letter.refresh_from_db()
    assert letter.file.name == name
    assert len(mailoutbox) == 2
