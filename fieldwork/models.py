"""What the energy handyman does in the home (DOMAIN.md, "The three visits"; DESIGN.md, "fieldwork/").

Visit: one of the three visits to a household, in this order: the intake (visit 1: the dwelling's findings and
    the advice), the installation (visit 2: the products package installed, through `subsidy.packages`) and the
    evaluation (visit 3, at home or by phone: the resident's experience; it closes the field trajectory). A
    household has at most one visit of each kind; a visit is planned (date and time, handyman), then done.
IntakeFindings: what the handyman found at the intake (label known or estimated, glazing, insulation of roof,
    floor and walls, the crawl space, yearly gas and electricity use, the residents' wishes) and the advice:
    which large measure would save most and suits the resident, with the indicative cost and yearly saving of
    the programme's table on that day (`eligibility.LargeMeasureCost`), and whether DIY is possible.
Evaluation: the resident's experience (1–5), the measures in use, remarks.
Referral: the handyman asks a community worker to help the household (money worries, the large-measure
    application, the Warmtefonds loan); the community worker sees it on their start page and marks it handled.
DefectReport (melding aan corporatie): a rented home in very bad condition reported to its housing corporation:
    sent, acknowledged, resolved, each with its date.
ResidentReport: the one-page PDF for the resident after the intake and after the installation (advice, measures
    installed, estimated yearly savings, who to call), rendered in the background and e-mailed when there is an
    address.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.text import no_control_characters, no_control_characters_multiline
from accounts.uploads import PrivateStorage
from eligibility.codes import EnergyLabel, LargeMeasure

MAX_GAS_M3 = 20_000  # a year; above this it is a typo, not a home in this programme
MAX_ELECTRICITY_KWH = 50_000


class VisitQuerySet(models.QuerySet):
    def planned(self) -> "VisitQuerySet":
        return self.filter(done_at=None)

    def done(self) -> "VisitQuerySet":
        return self.exclude(done_at=None)

    def of_handyman(self, user) -> "VisitQuerySet":
        return self.filter(handyman=user)

    def with_household(self) -> "VisitQuerySet":
        return self.select_related("household", "household__dwelling", "handyman")


class Visit(models.Model):
    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake")
        INSTALLATION = "installation", _("Installation")
        EVALUATION = "evaluation", _("Evaluation")

    class Mode(models.TextChoices):
        AT_HOME = "at_home", _("At home")
        BY_PHONE = "by_phone", _("By phone")

    ORDER = (Kind.INTAKE, Kind.INSTALLATION, Kind.EVALUATION)

    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="visits",
                                  verbose_name=_("household"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    handyman = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                                 verbose_name=_("handyman"))
    planned_at = models.DateTimeField(_("planned at"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.AT_HOME,
                            help_text=_("Only the evaluation can be done by phone."))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[no_control_characters_multiline])
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["household", "planned_at", "pk"]
        indexes = [
            models.Index(fields=["handyman", "planned_at"], name="visit_agenda"),
            models.Index(fields=["planned_at"], name="visit_by_moment"),
            # The workload's counts per handyman: visits still to do, evaluations done.
            models.Index(fields=["household"], condition=Q(done_at=None), name="visit_to_do_by_household"),
            models.Index(fields=["household"], condition=Q(kind="evaluation", done_at__isnull=False),
                         name="visit_evaluated_household"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["household", "kind"], name="one_visit_of_each_kind"),
            models.CheckConstraint(condition=Q(mode="at_home") | Q(kind="evaluation"),
                                   name="only_the_evaluation_by_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def number(self) -> int:
        return self.ORDER.index(self.kind) + 1


class Glazing(models.TextChoices):
    SINGLE = "single", _("Single glass")
    DOUBLE = "double", _("Double glass")
    HR_PLUS_PLUS = "hr_plus_plus", _("HR++ glass")
    TRIPLE = "triple", _("Triple glass (HR+++)")
    MIXED = "mixed", _("Mixed")


class Insulation(models.TextChoices):
    NONE = "none", _("Not insulated")
    PARTLY = "partly", _("Partly insulated")
    INSULATED = "insulated", _("Insulated")
    UNKNOWN = "unknown", _("Unknown")


class IntakeFindings(models.Model):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("visit"))
    energy_label = models.CharField(_("energy label"), max_length=7, choices=EnergyLabel.choices,
                                    default=EnergyLabel.UNKNOWN)
    label_estimated = models.BooleanField(_("label estimated by the handyman"), default=False,
                                          help_text=_("No registered label: the handyman's estimate."))
    glazing = models.CharField(_("glazing"), max_length=20, choices=Glazing.choices)
    roof_insulation = models.CharField(_("roof insulation"), max_length=10, choices=Insulation.choices)
    floor_insulation = models.CharField(_("floor insulation"), max_length=10, choices=Insulation.choices)
    wall_insulation = models.CharField(_("wall insulation"), max_length=10, choices=Insulation.choices)
    crawl_space_suitable = models.BooleanField(_("crawl space allows floor insulation"), null=True, blank=True)
    gas_m3_per_year = models.PositiveIntegerField(_("gas per year (m³)"), null=True, blank=True,
                                                  validators=[MaxValueValidator(MAX_GAS_M3)])
    electricity_kwh_per_year = models.PositiveIntegerField(_("electricity per year (kWh)"), null=True, blank=True,
                                                           validators=[MaxValueValidator(MAX_ELECTRICITY_KWH)])
    wishes = models.TextField(_("residents' wishes"), blank=True, validators=[no_control_characters_multiline])

    advised_measure = models.CharField(_("advised large measure"), max_length=20, choices=LargeMeasure.choices,
                                       blank=True, help_text=_("The one that would save most and suits the resident."))
    diy_possible = models.BooleanField(_("DIY possible"), null=True, blank=True)
    advice = models.TextField(_("advice"), blank=True, validators=[no_control_characters_multiline])
    # The programme's indicative figures for the advised measure on the day of the intake (DOMAIN.md):
    # {"cost_minimum", "cost_maximum", "yearly_savings_minimum", "yearly_savings_maximum", "valid_from"}.
    advice_figures = models.JSONField(_("indicative figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("intake findings")
        verbose_name_plural = _("intake findings")

    def __str__(self) -> str:
        return str(self.visit)


class Evaluation(models.Model):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="evaluation",
                                 verbose_name=_("visit"))
    experience = models.PositiveSmallIntegerField(_("experience (1–5)"),
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    # The installed products still in use: [{"product": id, "name": "...", "in_use": true}, ...]
    measures_in_use = models.JSONField(_("measures in use"), default=list, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, validators=[no_control_characters_multiline])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.CheckConstraint(condition=Q(experience__gte=1) & Q(experience__lte=5),
                                              name="evaluation_experience_1_to_5")]

    def __str__(self) -> str:
        return str(self.visit)


class Referral(models.Model):
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="referrals",
                                  verbose_name=_("household"))
    community_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         related_name="referrals_received", verbose_name=_("community worker"))
    reason = models.TextField(_("reason"), validators=[no_control_characters_multiline])
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("referred by"))
    referred_at = models.DateTimeField(_("referred at"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals",
                              verbose_name=_("visit"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_note = models.TextField(_("note"), blank=True, validators=[no_control_characters_multiline])

    class Meta:
        verbose_name = _("referral to a community worker")
        verbose_name_plural = _("referrals to a community worker")
        ordering = ["-referred_at", "-pk"]
        indexes = [models.Index(fields=["community_worker", "handled_at", "-referred_at"],
                                name="referral_inbox")]

    def __str__(self) -> str:
        return f"{self.household} → {self.community_worker}"


class DefectReport(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="defect_reports",
                                  verbose_name=_("household"))
    housing_corporation = models.CharField(_("housing corporation"), max_length=200,
                                           validators=[no_control_characters])
    description = models.TextField(_("what is wrong"), validators=[no_control_characters_multiline])
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="defect_reports",
                              verbose_name=_("visit"))
    sent_on = models.DateField(_("sent on"))
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("defect report")
        verbose_name_plural = _("defect reports")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(acknowledged_on=None) | Q(acknowledged_on__gte=models.F("sent_on")),
                                   name="defect_acknowledged_after_sent"),
            models.CheckConstraint(condition=Q(resolved_on=None) | Q(resolved_on__gte=models.F("sent_on")),
                                   name="defect_resolved_after_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.household} ({self.housing_corporation})"

    @property
    def status(self) -> str:
        if self.resolved_on:
            return self.Status.RESOLVED
        if self.acknowledged_on:
            return self.Status.ACKNOWLEDGED
        return self.Status.SENT

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class ResidentReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="reports", verbose_name=_("visit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), storage=PrivateStorage(), upload_to="resident-reports/", max_length=200,
                            blank=True)
    emailed_to = models.EmailField(_("e-mailed to"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report for the resident")
        verbose_name_plural = _("reports for the resident")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.visit} {self.created_at:%Y-%m-%d}"
