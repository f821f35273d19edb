"""The household register (DOMAIN.md, glossary; DESIGN.md, "The data flow").

Household (huishouden): the people at one address who are helped, with a contact person and income.
Dwelling (woning): their home: address, energy label, type, build year, floor area and tenure.
Consent (toestemming): the resident's recorded agreement to the privacy statement, with its scopes.
A household becomes active only with consent for processing (see `households.services`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.text import no_control_characters
from eligibility.bounds import MAX_AREA_M2, MAX_MONTHLY_INCOME, MAX_RESIDENTS
from eligibility.codes import EnergyLabel, HouseholdType, Tenure
from households.validators import (
    MAX_HOUSE_NUMBER,
    normalise_postcode,
    validate_bag_id,
    validate_build_year,
    validate_consent_date,
    validate_label_date,
    validate_postcode,
    validate_statement_version,
)


class EnergyAllowance(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class ReferralSource(models.TextChoices):
    INCOME_CONSULTANT = "income_consultant", _("Income consultant")
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    SELF_REGISTRATION = "self_registration", _("Self-registration")
    NEIGHBOURHOOD_EVENT = "neighbourhood_event", _("Neighbourhood event")
    OTHER = "other", _("Other")


class DwellingType(models.TextChoices):
    TERRACED = "terraced", _("Terraced house")
    CORNER = "corner", _("Corner house")
    SEMI_DETACHED = "semi_detached", _("Semi-detached house")
    DETACHED = "detached", _("Detached house")
    APARTMENT = "apartment", _("Apartment")
    OTHER = "other", _("Other")


class HouseholdQuerySet(models.QuerySet):
    def reached(self) -> "HouseholdQuerySet":
        """Households the programme works or has worked with: active at least once (closed or not)."""
        return self.filter(reached_at__isnull=False)

    def with_register_details(self) -> "HouseholdQuerySet":
        """What the list and detail pages show, in one query."""
        return self.select_related("programme", "dwelling", "handyman", "community_worker", "registered_by")


class Household(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    # No index of its own: the unique (programme, reference) index serves the programme's households.
    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="households",
                                  verbose_name=_("programme"), db_index=False)
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    contact_name = models.CharField(_("contact person"), max_length=200, validators=[no_control_characters])
    phone = models.CharField(
        _("phone"), max_length=20, blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]{8,20}$", _("Enter a phone number, e.g. 06 12345678."))],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    household_type = models.CharField(_("household type"), max_length=20, choices=HouseholdType.choices)
    residents = models.PositiveSmallIntegerField(
        _("number of residents"), default=1,
        validators=[MinValueValidator(1),
                    MaxValueValidator(MAX_RESIDENTS, _("At most %(limit_value)s people live in one household."))])
    net_monthly_income = models.DecimalField(
        _("net monthly income"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.00")),
                    MaxValueValidator(MAX_MONTHLY_INCOME, _("This is not a monthly income: check the amount."))],
        help_text=_("Net household income per month in euros; may be filled in later."),
    )
    energy_allowance = models.CharField(_("energy allowance received"), max_length=10,
                                        choices=EnergyAllowance.choices, default=EnergyAllowance.UNKNOWN)
    referral_source = models.CharField(_("referred by"), max_length=30, choices=ReferralSource.choices)
    handyman = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="households_as_handyman", verbose_name=_("energy handyman"),
                                 db_index=False)  # the index household_handyman_newest starts with it
    community_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="households_as_community_worker",
                                         verbose_name=_("community worker"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="households_registered", verbose_name=_("registered by"))
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED, protected=True)
    # Reached (bereikt): the programme has worked with the household, i.e. it was active at least once. A household
    # closed straight from registered was never reached. Set by the transitions into active, never cleared.
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True, editable=False,
                                      help_text=_("When the household first became active."))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Retention (issue 14, households.retention): when the household was last closed (its retention period runs
    # from then; for one left registered, from `updated_at`), when the resident asked for erasure, and when its
    # personal data was removed.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    erasure_requested_at = models.DateTimeField(_("erasure requested at"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["-created_at", "-pk"]
        # The register's orders at a large city's scale (issue 10), so a page reads 25 rows, not the register:
        # newest first (the list and the API), the handyman's own list, "recently changed" on the start pages,
        # by name. The search's trigram indexes are PostgreSQL-only (migration 0009).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="household_newest_first"),
            models.Index(fields=["handyman", "-created_at", "-id"], name="household_handyman_newest"),
            models.Index(fields=["-updated_at", "-id"], name="household_recently_changed"),
            models.Index(fields=["contact_name", "-id"], name="household_by_name"),
            # The retention run's candidates: closed and not yet anonymised (a partial index: few rows), and left
            # registered (consent never given, refused or withdrawn) by their last change.
            models.Index(fields=["closed_at"], name="household_to_anonymise",
                         condition=models.Q(closed_at__isnull=False, anonymised_at__isnull=True)),
            models.Index(fields=["updated_at"], name="household_left_registered",
                         condition=models.Q(status="registered", anonymised_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["programme", "reference"], name="household_reference_unique_in_programme"),
            models.CheckConstraint(condition=models.Q(net_monthly_income__gte=0) | models.Q(net_monthly_income=None),
                                   name="household_income_not_negative"),
            models.CheckConstraint(condition=models.Q(residents__gte=1), name="household_has_residents"),
        ]
        permissions = [("assign_household", _("Can assign handymen and community workers")),
                       ("reopen_household", _("Can reopen a closed household"))]

    def __str__(self) -> str:
        return f"{self.reference} {self.contact_name}"

    def has_processing_consent(self) -> bool:
        return self.consents.filter(processing=True, withdrawn_at=None).exists()

    @transition(field=status, source=Status.REGISTERED, target=Status.ACTIVE,
                conditions=[has_processing_consent])
    def activate(self):
        """Active: the programme may work with this household (consent for processing recorded)."""
        self._mark_reached()

    @transition(field=status, source=[Status.REGISTERED, Status.ACTIVE], target=Status.CLOSED)
    def close(self):
        """Closed: the programme's work with this household has ended."""
        self.closed_at = timezone.now()

    @transition(field=status, source=Status.CLOSED, target=Status.ACTIVE, conditions=[has_processing_consent])
    def reopen(self):
        """Active again after closing."""
        self._mark_reached()

    def _mark_reached(self) -> None:
        if self.reached_at is None:
            self.reached_at = timezone.now()


class Dwelling(models.Model):
    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="dwelling",
                                     verbose_name=_("household"))
    street = models.CharField(_("street"), max_length=200, validators=[no_control_characters])
    house_number = models.PositiveIntegerField(
        _("house number"), null=True,  # empty only once anonymised (households.retention); forms require it
        validators=[MinValueValidator(1), MaxValueValidator(
            MAX_HOUSE_NUMBER, _("A house number is at most %(limit_value)s; put letters in the addition."))])
    house_letter = models.CharField(
        _("house letter"), max_length=1, blank=True,
        validators=[RegexValidator(r"^[A-Za-z]$", _("A house letter is one letter."))],
    )
    house_number_addition = models.CharField(
        _("addition"), max_length=4, blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]{1,4}$", _("An addition is at most four letters or digits."))],
    )
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    city = models.CharField(_("city"), max_length=100, validators=[no_control_characters])
    bag_id = models.CharField(_("BAG id"), max_length=16, blank=True, validators=[validate_bag_id],
                              help_text=_("16 digits of the BAG address object (verblijfsobject), optional."))
    energy_label = models.CharField(_("energy label"), max_length=7, choices=EnergyLabel.choices,
                                    default=EnergyLabel.UNKNOWN)
    energy_label_date = models.DateField(_("label date"), null=True, blank=True, validators=[validate_label_date])
    dwelling_type = models.CharField(_("dwelling type"), max_length=20, choices=DwellingType.choices, blank=True)
    build_year = models.PositiveSmallIntegerField(_("build year"), null=True, blank=True,
                                                  validators=[validate_build_year])
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=1, null=True,
                                        blank=True, validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(
                                            MAX_AREA_M2, _("A dwelling is at most %(limit_value)s m²."))])
    tenure = models.CharField(_("tenure"), max_length=20, choices=Tenure.choices)
    housing_corporation = models.CharField(_("housing corporation"), max_length=200, blank=True,
                                           validators=[no_control_characters])

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        # Search by postcode (and number), and by postcode area ("1221": the postcodes that start with it; on
        # PostgreSQL the pattern operator class lets the index serve a LIKE '1221%' as well as equality).
        indexes = [models.Index(fields=["postcode"], name="dwelling_postcode", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(floor_area_m2__gt=0) | models.Q(floor_area_m2=None),
                                   name="dwelling_floor_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.address_line}, {self.postcode} {self.city}"

    def save(self, *args, **kwargs):
        # Every way in (forms, API, admin, imports) stores the one written form, so searches find it.
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def address_line(self) -> str:
        number = f"{self.house_number or ''}{self.house_letter}"
        if self.house_number_addition:
            number = f"{number}-{self.house_number_addition}"
        return f"{self.street} {number}"

    @property
    def is_rented(self) -> bool:
        return self.tenure != Tenure.OWNER_OCCUPIER


class PrivacyStatement(models.Model):
    """A version of a programme's privacy statement, with its text and the day it applies from (issue 14).

    The current one (the newest that applies today) is what the public form shows and new consent refers to.
    A version's text is not changed once consent refers to it: a change is a new version.
    """

    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    version = models.CharField(_("version"), max_length=20, validators=[validate_statement_version])
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    text = models.TextField(_("text"), help_text=_("The statement as the resident reads it. Markdown is not "
                                                   "interpreted: paragraphs are separated by an empty line."))
    valid_from = models.DateField(_("applies from"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("privacy statement")
        verbose_name_plural = _("privacy statements")
        ordering = ["programme", "-valid_from", "-pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"],
                                               name="privacy_statement_version_unique_in_programme")]

    def __str__(self) -> str:
        return f"{self.version} ({self.valid_from:%d-%m-%Y})"


class Consent(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents",
                                  verbose_name=_("household"))
    # The version the resident read and consented to (or refused); its text is in the register (households.privacy).
    statement = models.ForeignKey(PrivacyStatement, on_delete=models.PROTECT, related_name="consents",
                                  verbose_name=_("privacy statement"))
    given_on = models.DateField(_("given on"), validators=[validate_consent_date])
    processing = models.BooleanField(_("processing by the programme"), default=False)
    share_address_level = models.BooleanField(
        _("sharing address-level data with municipality or province"), default=False,
        help_text=_("Without this, data is shared only per postcode area (PC6 or coarser)."),
    )
    # Empty: given by the resident themself in the public application form.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True,
                                        help_text=_("When this consent ended: replaced, or withdrawn."))
    withdrawn_by_resident = models.BooleanField(
        _("withdrawn by the resident"), default=False,
        help_text=_("Ended because the resident withdrew consent (not replaced by newer consent)."))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household.reference} {self.statement.version} {self.given_on}"


class HouseholdImport(models.Model):
    """A spreadsheet of households to register or update, in two steps in the background (households.tasks).

    The dry run checks every row and stores what each would do (`outcomes`: created, updated with the fields that
    change, unchanged, refused) without writing to the register; the coordinator then imports it, all or nothing,
    checked again in the import's transaction. A dry run with a refused row cannot be imported.
    The uploaded file holds personal data: it is emptied once it cannot be imported any more (refused, imported).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked: nothing imported yet")
        EXPIRED = "expired", _("Expired: not imported within 24 hours")
        IMPORTING = "importing", _("Being imported")
        DONE = "done", _("Registered")
        REJECTED = "rejected", _("Rejected: nothing registered")
        FAILED = "failed", _("Failed")

    class Outcome(models.TextChoices):
        """What a row of the file does to the register."""

        CREATED = "created", _("New")
        UPDATED = "updated", _("Changed")
        UNCHANGED = "unchanged", _("Unchanged")
        REFUSED = "refused", _("Refused")

    programme = models.ForeignKey("budget.Programme", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("programme"))
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"), null=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    registered = models.PositiveIntegerField(_("households registered"), default=0)
    language = models.CharField(_("language"), max_length=10, default="nl",
                                help_text=_("The language of the error messages (the requester's)."))
    errors = models.JSONField(_("errors"), default=list, blank=True,
                              help_text=_("Per wrong row: its row number in the file, the column and the message."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("new households"), default=0)
    updated = models.PositiveIntegerField(_("changed households"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged households"), default=0)
    refused = models.PositiveIntegerField(_("refused rows"), default=0)
    outcomes = models.JSONField(
        _("outcome per row"), default=list, blank=True,
        help_text=_("Per row: its number in the file, the outcome, the reference and name, the changed fields (old "
                    "and new) or the errors."))

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-requested_at", "-pk"]
        permissions = [("import_households", _("Can import households from a spreadsheet"))]

    def __str__(self) -> str:
        return f"{self.filename} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        """Nothing more happens by itself: polling stops (a checked import waits for the coordinator)."""
        return self.status in (self.Status.CHECKED, self.Status.EXPIRED, self.Status.DONE, self.Status.REJECTED,
                               self.Status.FAILED)

    @property
    def may_be_imported(self) -> bool:
        return self.status == self.Status.CHECKED and not self.refused

    @property
    def percentage_checked(self) -> int:
        return 100 * self.rows_checked // self.rows_total if self.rows_total else 0


class ReferenceCounter(models.Model):
    """The last reference number handed out in a programme (`households.services.reserve_references`).

    A row of its own, so that taking a number locks neither the programme (bookings on its budget lines go
    on) nor, for longer than its own short transaction, other registrations: an import takes its numbers
    at once before it starts. Numbers of a registration that is undone are not reused.
    """

    programme = models.OneToOneField("budget.Programme", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("programme"))
    last_number = models.PositiveIntegerField(_("last reference number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.last_number}"


class InzageExport(models.Model):
    """Everything held on one household, as PDF and JSON, made in the background for a resident's request for
    access (inzageverzoek, AVG art. 15; issue 14). Asked for by a coordinator; downloadable by them only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("household"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    json = models.BinaryField(_("JSON"), null=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzage export")
        verbose_name_plural = _("inzage exports")
        ordering = ["-requested_at", "-pk"]
        permissions = [("export_inzage", _("Can export everything held on a household (inzageverzoek)"))]

    def __str__(self) -> str:
        return f"{self.household_id} ({self.requested_at:%Y-%m-%d %H:%M})"
