"""The large-measure application (aanvraag grote maatregel) and its documents (DESIGN.md, "The large-measure
application: states"; DOMAIN.md, "The application, as the plan describes it").

Application: one owner-occupier's request for the grant of one large insulation measure, by a contractor (the
    grant is the quote, at most the programme's maximum) or DIY (zelfwerkzaamheid: area × rate, see
    `eligibility.calculators.diy_grant`). Its status changes only through the transitions below, called by
    `subsidy.services`, which check who acts, lock the row and record an event per transition.
Decision term (beslistermijn): the rule set's days from submission; a request for information suspends it
    (opschorting, Awb 4:15) and the deadline moves by the days suspended; the assessor may extend it once
    (verdaging, Awb 4:14) by at most the term.
Document: a file the applicant or staff uploaded (quote, DIY calculation, energy-allowance letter, proof of
    ownership, invoice, accepted quote, other), checked by content and kept outside the web root.
DecisionLetter: the approval or rejection letter (beschikking) as a PDF rendered in the background.
"""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.text import no_control_characters, no_control_characters_multiline
from accounts.uploads import PrivateStorage
from budget.fields import AmountField
from eligibility.bounds import MAX_AREA_M2, MAX_MONTHLY_INCOME
from eligibility.codes import HouseholdType, LargeMeasure


def new_status_token() -> str:
    """The secret of an application's status link: 256 random bits, URL-safe (never the id)."""
    return secrets.token_urlsafe(32)


class Route(models.TextChoices):
    CONTRACTOR = "contractor", _("By a contractor (quote)")
    DIY = "diy", _("Do it yourself (DIY calculation)")


class IncomeProof(models.TextChoices):
    ENERGY_ALLOWANCE_LETTER = "energy_allowance_letter", _("Letter showing the energy allowance was paid")
    INCOME_DETAILS = "income_details", _("Income details")


def queue_group() -> models.Case:
    """0: awaiting a decision with the term running, 1: suspended (information requested), 2: the others."""
    return models.Case(models.When(status__in=("submitted", "in_review"), then=models.Value(0)),
                       models.When(status="info_requested", then=models.Value(1)),
                       default=models.Value(2), output_field=models.IntegerField())


# The lists' order: the running terms by deadline, the suspended ones by the day they were paused, then the others
# newest first. An index on the same expressions (Meta.indexes) lets a page of it be read without sorting the table.
DEADLINE_ORDER = (models.F("decision_due_on").asc(nulls_last=True), models.F("suspended_since").asc(nulls_last=True),
                  models.F("created_at").desc(), models.F("id").desc())


class ApplicationQuerySet(models.QuerySet):
    def awaiting_decision(self) -> "ApplicationQuerySet":
        """The assessor's queue: submitted, in review, or waiting for information."""
        return self.filter(status__in=Application.AWAITING_DECISION)

    def overdue(self, today) -> "ApplicationQuerySet":
        return self.awaiting_decision().filter(decision_due_on__lt=today)

    def due_within(self, today, days: int) -> "ApplicationQuerySet":
        return self.awaiting_decision().filter(decision_due_on__gte=today,
                                               decision_due_on__lte=today + datetime.timedelta(days))

    def granted(self) -> "ApplicationQuerySet":
        """Approved and not withdrawn or lapsed: the large measures the programme has taken on."""
        return self.filter(status__in=Application.GRANTED)

    def with_list_details(self) -> "ApplicationQuerySet":
        return self.select_related("household", "household__dwelling", "programme", "helped_by")


class Application(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        INFO_REQUESTED = "info_requested", _("Information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")
        PAYOUT_REQUESTED = "payout_requested", _("Payout requested")
        PAYOUT_SET = "payout_set", _("Payout set")
        PAID = "paid", _("Paid")

    S = Status
    AWAITING_DECISION = (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED)
    GRANTED = (S.APPROVED, S.PAYOUT_REQUESTED, S.PAYOUT_SET, S.PAID)
    WITHDRAWABLE = (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED)
    # Open: a household has at most one application in these states at a time.
    IN_PROGRESS = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED, S.PAYOUT_REQUESTED, S.PAYOUT_SET)
    # A commitment stands on the grants line in these states.
    COMMITTED = (S.APPROVED, S.PAYOUT_REQUESTED, S.PAYOUT_SET)

    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="applications",
                                  verbose_name=_("household"))
    reference = models.CharField(_("reference"), max_length=24, blank=True, editable=False)
    status_token = models.CharField(_("status link token"), max_length=64, unique=True, default=new_status_token,
                                    editable=False)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True)
    # Raised by every transition: a page or API call that saw another version is told someone else acted.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # The applicant's answers, as given (the register keeps its own copy of the household's data).
    applicant_name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[no_control_characters])
    owner_occupier = models.BooleanField(_("owner-occupier"), default=True)
    measure = models.CharField(_("measure"), max_length=20, choices=LargeMeasure.choices)
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    quote_amount = AmountField(_("quote amount"), null=True, blank=True,
                               validators=[MinValueValidator(Decimal("0.01"))])
    diy_area_m2 = models.DecimalField(_("DIY area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AREA_M2)])
    household_type = models.CharField(_("household type"), max_length=20, choices=HouseholdType.choices)
    net_monthly_income = models.DecimalField(
        _("net monthly income"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_MONTHLY_INCOME)])
    income_proof = models.CharField(_("proof of income"), max_length=30, choices=IncomeProof.choices)
    declaration_true = models.BooleanField(_("declared truthfully filled in"), default=False)
    # The privacy statement the applicant consented to in the form; empty until consent is given (needed to submit).
    privacy_statement = models.ForeignKey("households.PrivacyStatement", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("privacy statement"))
    helped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("filled in by"),
                                  help_text=_("The community worker who filled in the form with the applicant."))

    # The handyman's check of the DIY area (the area seen decides the grant).
    diy_area_checked_m2 = models.DecimalField(_("area seen (m²)"), max_digits=7, decimal_places=2, null=True,
                                              blank=True, validators=[MinValueValidator(Decimal("0.01")),
                                                                      MaxValueValidator(MAX_AREA_M2)])
    diy_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("area checked by"))
    diy_checked_at = models.DateTimeField(_("area checked at"), null=True, blank=True)
    diy_check_note = models.TextField(_("note on the area check"), blank=True,
                                      validators=[no_control_characters_multiline])

    # Submission: the grant asked for, its calculation and the assessment, as of the submission date.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    assessment = models.ForeignKey("eligibility.Assessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("assessment at submission"))
    requested_grant = AmountField(_("grant applied for"), null=True, blank=True)
    calculation = models.JSONField(_("calculation"), default=dict, blank=True,
                                   help_text=_("The grant's calculation line by line, with the parameter values."))

    # The decision term (beslistermijn), kept by the services.
    term_days = models.PositiveSmallIntegerField(_("decision term (days)"), null=True, blank=True)
    decision_due_on = models.DateField(_("decide by"), null=True, blank=True,
                                       help_text=_("Empty while the term is suspended."))
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    suspended_days = models.PositiveSmallIntegerField(_("days suspended"), default=0)
    extended_days = models.PositiveSmallIntegerField(_("days extended"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True,
                                        validators=[no_control_characters_multiline])
    info_requested = models.TextField(_("information requested"), blank=True,
                                      validators=[no_control_characters_multiline])

    # The decision.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    granted_amount = AmountField(_("grant"), null=True, blank=True)
    rejection_reasons = models.JSONField(_("reasons for rejection"), default=list, blank=True)
    decision_note = models.TextField(_("explanation of the decision"), blank=True,
                                     validators=[no_control_characters_multiline])
    commitment = models.ForeignKey("budget.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("commitment"))

    # The payout (vaststelling en uitbetaling).
    payout_requested_at = models.DateTimeField(_("payout requested at"), null=True, blank=True)
    invoice_amount = AmountField(_("invoice amount"), null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=70, blank=True,
                                      validators=[no_control_characters])
    payout_amount = AmountField(_("payout"), null=True, blank=True)
    payout_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("payout set by"))
    payout_set_at = models.DateTimeField(_("payout set at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("payment recorded by"))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("large-measure application")
        verbose_name_plural = _("large-measure applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The assessor's queue: awaiting a decision, by deadline; and the lists per state.
            models.Index(fields=["status", "decision_due_on", "id"], name="application_queue"),
            # ASC sorts NULLs last in an index by default (SQLite cannot say NULLS LAST in an index).
            models.Index(queue_group(), models.F("decision_due_on").asc(), models.F("suspended_since").asc(),
                         models.F("created_at").desc(), models.F("id").desc(), name="application_by_deadline"),
            models.Index(fields=["status", "-created_at", "-id"], name="application_by_status"),
            models.Index(fields=["-created_at", "-id"], name="application_newest_first"),  # the API's list
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], condition=~models.Q(reference=""),
                                    name="application_reference_unique"),
            models.CheckConstraint(condition=models.Q(granted_amount__gt=0) | models.Q(granted_amount=None),
                                   name="application_grant_positive"),
            models.CheckConstraint(
                condition=models.Q(payout_amount=None) | models.Q(payout_amount__lte=models.F("granted_amount")),
                name="application_payout_within_grant"),
        ]
        # No model permissions for the acts: `subsidy.rules` decides them per application (a model permission would
        # let a role holding every permission of the app through a check made without an object).

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    # --- Transitions: the state machine of DESIGN.md. Who may call them is checked by subsidy.services
    # (`subsidy.rules.TRANSITION_PERMISSIONS`), the conditions with their own sentences there too.

    @transition(field=status, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        """Submitted: the decision term starts."""

    @transition(field=status, source=S.SUBMITTED, target=S.IN_REVIEW)
    def start_review(self):
        """In review: an assessor works on it."""

    @transition(field=status, source=[S.SUBMITTED, S.IN_REVIEW], target=S.INFO_REQUESTED)
    def request_info(self):
        """Waiting for information from the applicant; the term is suspended."""

    @transition(field=status, source=S.INFO_REQUESTED, target=S.IN_REVIEW)
    def provide_info(self):
        """The information came; the term runs again."""

    @transition(field=status, source=S.IN_REVIEW, target=S.APPROVED)
    def approve(self):
        """Granted: the amount is committed on the grants line."""

    @transition(field=status, source=S.IN_REVIEW, target=S.REJECTED)
    def reject(self):
        """Rejected, with reasons."""

    @transition(field=status, source=list(WITHDRAWABLE), target=S.WITHDRAWN)
    def withdraw(self):
        """Withdrawn by the applicant or on their behalf; a commitment is released."""

    @transition(field=status, source=S.APPROVED, target=S.LAPSED)
    def lapse(self):
        """No payout request within the validity period; the commitment is released."""

    @transition(field=status, source=S.APPROVED, target=S.PAYOUT_REQUESTED)
    def request_payout(self):
        """After the works: the invoice and the accepted quote are in."""

    @transition(field=status, source=S.PAYOUT_REQUESTED, target=S.PAYOUT_SET)
    def set_payout(self):
        """The assessor fixed the amount to pay; the rest of the commitment is released."""

    @transition(field=status, source=S.PAYOUT_SET, target=S.PAID)
    def mark_paid(self):
        """Finance paid it; the commitment became expenditure."""

    @property
    def is_awaiting_decision(self) -> bool:
        return self.status in self.AWAITING_DECISION

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.INFO_REQUESTED


class Document(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", _("Quote")
        DIY_CALCULATION = "diy_calculation", _("DIY calculation")
        ENERGY_ALLOWANCE_LETTER = "energy_allowance_letter", _("Energy-allowance letter")
        PROOF_OF_OWNERSHIP = "proof_of_ownership", _("Proof of ownership")
        INVOICE = "invoice", _("Invoice")
        ACCEPTED_QUOTE = "accepted_quote", _("Accepted quote")
        AREA_PHOTO = "area_photo", _("Photo of the area")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents",
                                    verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("file"), storage=PrivateStorage(), upload_to="documents/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, validators=[no_control_characters])
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"),
                                    help_text=_("Empty: the applicant uploaded it through the status link."))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class DecisionLetter(models.Model):
    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval")
        REJECTION = "rejection", _("Rejection")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters",
                                    verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), storage=PrivateStorage(), upload_to="letters/", max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class PaymentBatch(models.Model):
    """Payments due, exported for the bank in the background (`subsidy.tasks.export_payment_batch`): a spreadsheet
    (xlsx and csv) and a SEPA credit-transfer file (pain.001.001.03) from the programme's paying account.

    Exporting pays nothing: finance records each payment on its application (`services.mark_paid`) after the bank
    has confirmed it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    execution_date = models.DateField(_("requested execution date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    applications = models.ManyToManyField(Application, related_name="payment_batches", blank=True,
                                          verbose_name=_("applications"))
    payments = models.PositiveIntegerField(_("payments"), default=0)
    payments_written = models.PositiveIntegerField(_("payments written"), default=0)
    total = AmountField(_("total"), default=Decimal("0.00"))
    message_id = models.CharField(_("SEPA message id"), max_length=35, blank=True)
    xlsx_file = models.FileField(_("spreadsheet (xlsx)"), storage=PrivateStorage(), upload_to="payments/",
                                 max_length=200, blank=True)
    csv_file = models.FileField(_("spreadsheet (csv)"), storage=PrivateStorage(), upload_to="payments/",
                                max_length=200, blank=True)
    sepa_file = models.FileField(_("SEPA file (pain.001)"), storage=PrivateStorage(), upload_to="payments/",
                                 max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return _("payment batch %(number)s") % {"number": self.pk}

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
