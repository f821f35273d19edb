"""The applicant's pages: the application form (no account), the community worker's copy of it for a household
they help, and the private status page reached through the link with the application's token.

- `/aanvragen/`: the public form for the current programme (the one whose period includes today, else the
  latest). It is submitted whole (`subsidy.services.apply`: the household found at the address or registered, the
  application opened, its documents attached and submitted, all or nothing); a refusal comes back on its field.
- `/applications/new/<household>/`: the same form for the community worker (and the coordinator), filled in from
  the household; the household rules apply (not yours: 404; yours to see, not to help: 403).
- `/aanvragen/status/<token>/`: the status, the deadline, what is needed next, the documents and letters, a
  timeline without staff names; and the applicant's acts (add a document, provide the information asked for,
  request the payout, withdraw), each a POST with the version the page showed. A wrong token is 404.

The public POST registers a household and stores files: it is limited per client address
(settings.PUBLIC_APPLICATIONS_PER_HOUR, accounts.rate_limits), beyond that a 429 page that says so.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import rate_limits
from accounts.audit import history_of
from accounts.downloads import attachment_response
from accounts.errors import DomainError
from accounts.htmx import render_page_or_fragment
from budget.models import Programme
from eligibility.parameters import NoParametersOnDate, rule_set_on
from eligibility.services import calculate_diy_grant
from households.privacy import current_statement
from households.selectors import households_visible_to
from households.viewlog import log_household_page
from subsidy import services
from subsidy.forms import (
    ApplicantDocumentForm,
    ApplicantInfoForm,
    ApplicantPayoutForm,
    ApplicantWithdrawForm,
    ApplicationForm,
    DiyEstimateForm,
)
from subsidy.models import Application, DecisionLetter, Document, Route
from subsidy.selectors import grant_valid_until

S = Application.Status
APPLICANT = services.Actor.APPLICANT

# The status in the applicant's words.
STATUS_TEXT = {
    S.DRAFT: gettext_lazy("Not yet submitted"),
    S.SUBMITTED: gettext_lazy("Received: waiting for an assessor"),
    S.IN_REVIEW: gettext_lazy("Being assessed"),
    S.INFO_REQUESTED: gettext_lazy("We need information from you"),
    S.APPROVED: gettext_lazy("Granted"),
    S.REJECTED: gettext_lazy("Not granted"),
    S.WITHDRAWN: gettext_lazy("Withdrawn"),
    S.LAPSED: gettext_lazy("Lapsed: the grant was not used in time"),
    S.PAYOUT_REQUESTED: gettext_lazy("Payout requested: we check your invoice"),
    S.PAYOUT_SET: gettext_lazy("Payout set: the payment is on its way"),
    S.PAID: gettext_lazy("Paid"),
}

# What happened, for the applicant's timeline (no staff names).
TIMELINE_TEXT = {
    "application.opened": gettext_lazy("Application started"),
    "application.draft_changed": gettext_lazy("Application changed"),
    "application.submit": gettext_lazy("Application submitted"),
    "application.start_review": gettext_lazy("An assessor started assessing it"),
    "application.request_info": gettext_lazy("Information asked from you"),
    "application.provide_info": gettext_lazy("Information provided"),
    "application.term_extended": gettext_lazy("Decision term extended"),
    "application.area_checked": gettext_lazy("The energy handyman checked the area"),
    "application.approve": gettext_lazy("Grant approved"),
    "application.reject": gettext_lazy("Application rejected"),
    "application.withdraw": gettext_lazy("Application withdrawn"),
    "application.lapse": gettext_lazy("Grant lapsed"),
    "application.request_payout": gettext_lazy("Payout requested"),
    "application.set_payout": gettext_lazy("Payout set"),
    "application.mark_paid": gettext_lazy("Grant paid"),
    "application.document_added": gettext_lazy("Document added"),
}


def current_programme() -> Programme | None:
    """The programme whose period includes today, else the one that started last."""
    today = timezone.localdate()
    programmes = Programme.objects.order_by("-starts_on", "slug")
    return programmes.filter(starts_on__lte=today, ends_on__gte=today).first() or programmes.first()


def _refusal_on_form(form, error: Exception, *, rename: dict | None = None) -> None:
    """A service's refusal on the form's field it names (Dutch sentence), or at the top of the form."""
    if isinstance(error, ValidationError):
        items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    else:
        items = [(getattr(error, "field", None), [str(error)])]
    for field, sentences in items:
        field = (rename or {}).get(field, field)
        target = field if field in form.fields and not form.fields[field].disabled else None
        for sentence in sentences:
            form.add_error(target, sentence)


# --- The application form -------------------------------------------------------------------------------

# The register's names for what the form calls otherwise (households.services.register_applicant).
REGISTER_FIELDS = {"contact_name": "applicant_name", "privacy_statement_version": "privacy_consent",
                   "statement_version": "privacy_consent"}


def _apply(request: HttpRequest, form: ApplicationForm, programme: Programme, *, by, household=None):
    """Submit the whole form through `services.apply`; the application, or None with the refusal on the form."""
    try:
        return services.apply(programme, by=by, answers=form.answers(), address=form.address(),
                              consent=form.consent(),
                              documents=form.documents(), household=household,
                              energy_label=form.energy_label_given())
    except (DomainError, ValidationError) as error:
        if isinstance(error, PermissionDenied):
            raise
        _refusal_on_form(form, error, rename=REGISTER_FIELDS)
        return None


def _diy_estimate(programme, form: ApplicationForm) -> dict:
    """The estimate shown under the area when the page is rendered with the form's values (also without script)."""
    values = {"measure": form["measure"].value(), "diy_area_m2": form["diy_area_m2"].value()}
    if not form.is_bound or not all(values.values()):
        return {"estimate": None, "estimate_form": None}
    return _estimate(programme, DiyEstimateForm(values))


def _estimate(programme, estimate_form: DiyEstimateForm) -> dict:
    calculation = None
    if programme is not None and estimate_form.is_valid():
        data = estimate_form.cleaned_data
        try:
            calculation = calculate_diy_grant(programme, timezone.localdate(), data["measure"], data["diy_area_m2"])
        except NoParametersOnDate as error:
            estimate_form.add_error(None, str(error))
    return {"estimate": calculation, "estimate_form": estimate_form}


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application form: no account; the applicant gets the reference and the private status link."""
    if request.method == "POST" and not rate_limits.allow("public_application", request, per=timedelta(hours=1),
                                                          limit=settings.PUBLIC_APPLICATIONS_PER_HOUR):
        return render(request, "subsidy/public/too_many.html", status=429)
    programme = current_programme()
    statement = current_statement(programme) if programme is not None else None
    if request.method == "POST" and programme is not None:
        form = ApplicationForm(request.POST, request.FILES, privacy_statement=statement)
        if form.is_valid():
            application = _apply(request, form, programme, by=APPLICANT)
            if application is not None:
                return redirect(reverse("subsidy:status", args=[application.status_token]) + "?ontvangen=1")
    else:
        form = ApplicationForm(privacy_statement=statement)
    return render(request, "subsidy/public/apply.html",
                  {"form": form, "programme": programme, "term_days": _term_days(programme),
                   "privacy_statement": statement, **_diy_estimate(programme, form)})


def _term_days(programme) -> int | None:
    try:
        return rule_set_on(programme, timezone.localdate()).decision_term_days if programme else None
    except NoParametersOnDate:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def apply_for_household(request: HttpRequest, household_pk: int) -> HttpResponse:
    """The community worker fills in the form with the applicant of a household they help."""
    household = get_object_or_404(households_visible_to(request.user).select_related("dwelling", "programme"),
                                  pk=household_pk)
    if not request.user.has_perm("subsidy.apply_for_household", household):
        raise PermissionDenied("subsidy.apply_for_household")
    log_household_page(request, household)
    initial = ApplicationForm.initial_for(household)
    statement = current_statement(household.programme)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, household=household, require_email=False,
                               initial=initial, privacy_statement=statement)
        if form.is_valid():
            application = _apply(request, form, household.programme, by=request.user, household=household)
            if application is not None:
                messages.success(request, _("Application %(reference)s was submitted. The applicant's status link: "
                                            "%(link)s") % {"reference": application.reference,
                                                           "link": _status_link(request, application)})
                return redirect("subsidy:application", pk=application.pk)
    else:
        form = ApplicationForm(household=household, require_email=False, initial=initial,
                               privacy_statement=statement)
    return render(request, "subsidy/public/apply_for_household.html",
                  {"form": form, "programme": household.programme, "household": household,
                   "privacy_statement": statement,
                   **_diy_estimate(household.programme, form)})


@require_GET
def diy_estimate(request: HttpRequest) -> HttpResponse:
    """The DIY grant for the measure and area typed so far (htmx swaps in the fragment; nothing is stored)."""
    form = DiyEstimateForm(request.GET if request.GET.get("diy_area_m2") else None)  # nothing typed yet: a hint
    slug = request.GET.get("programme")
    programme = Programme.objects.filter(slug=slug).first() if slug else current_programme()
    context = {"programme": programme, **_estimate(programme, form)}
    return render_page_or_fragment(request, "subsidy/public/diy_estimate.html", "subsidy/public/_diy_estimate.html",
                                   context)


# --- The status page --------------------------------------------------------------------------------------


def _by_token(token: str) -> Application:
    """The application of this status link; 404 for any other token (nothing revealed)."""
    return get_object_or_404(Application.objects.select_related("programme"), status_token=token)


def _status_link(request: HttpRequest, application: Application) -> str:
    return request.build_absolute_uri(reverse("subsidy:status", args=[application.status_token]))


def _needed_for_payout(application: Application) -> list[str]:
    have = set(application.documents.values_list("kind", flat=True))
    return [kind for kind in services.documents_needed_for_payout(application) if kind not in have]


def _timeline(application: Application) -> list[dict]:
    """What happened, oldest first, in the applicant's words (dates only, no names of staff)."""
    lines = []
    for event in reversed(list(history_of(application))):
        text = TIMELINE_TEXT.get(event.action)
        if text is None:
            continue
        detail = ""
        if event.action == "application.document_added":
            kind = event.data.get("kind")
            detail = Document.Kind(kind).label if kind in Document.Kind.values else ""
        elif event.action == "application.term_extended":
            detail = _("by %(days)s days") % {"days": event.data.get("days")}
        lines.append({"at": event.at, "text": text, "detail": detail,
                      "by_you": event.data.get("by") == services.Actor.APPLICANT})
    return lines


def _pay_by(application: Application):
    """The last day to request the payout before the grant lapses (the rule set's validity period)."""
    if application.status != S.APPROVED or application.decided_at is None:
        return None
    return grant_valid_until(application)[1]


def _status_page(request: HttpRequest, application: Application, *, status: int = 200, **forms) -> HttpResponse:
    status_code = application.status
    version = {"version": application.version}
    is_open = status_code in services.OPEN_FOR_DOCUMENTS
    if is_open:
        forms.setdefault("document_form", ApplicantDocumentForm(initial=version))
    if status_code == S.INFO_REQUESTED:
        forms.setdefault("info_form", ApplicantInfoForm(initial=version))
    if status_code == S.APPROVED:
        forms.setdefault("payout_form", ApplicantPayoutForm(initial=version, needs=_needed_for_payout(application)))
    context = {
        "application": application,
        "status_text": STATUS_TEXT.get(status_code, application.get_status_display()),
        "status_link": _status_link(request, application),
        "just_submitted": "ontvangen" in request.GET,
        "is_contractor": application.route == Route.CONTRACTOR,
        "withdrawable": status_code in Application.WITHDRAWABLE,
        "pay_by": _pay_by(application),
        "documents": application.documents.all(),
        "letters": application.letters.filter(status=DecisionLetter.Status.READY, file__gt=""),
        "letter_pending": application.letters.filter(status=DecisionLetter.Status.PENDING).exists(),
        "timeline": _timeline(application),
        **forms,
    }
    return render(request, "subsidy/public/status.html", context, status=status)


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    return _status_page(request, _by_token(token))


def _act(request, application, form, name: str, act) -> HttpResponse:
    """Run `act(application, form)` (one service, given the version the page showed) for a valid form; a refusal
    goes back on the form, nothing kept."""
    if form.is_valid():
        try:
            done = act(application, form)
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise
            _refusal_on_form(form, error, rename={"documents": None})
        else:
            messages.success(request, done)
            return redirect("subsidy:status", token=application.status_token)
    application.refresh_from_db()
    return _status_page(request, application, **{name: form})


@require_POST
def status_upload(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant adds a document while the application is open."""
    application = _by_token(token)
    form = ApplicantDocumentForm(request.POST, request.FILES)

    def add(application, form):
        data = form.cleaned_data
        services.add_document(application, by=APPLICANT, kind=data["kind"], file=data["file"], version=data["version"])
        return _("The document was added.")

    return _act(request, application, form, "document_form", add)


@require_POST
def status_provide_info(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant provides the information asked for (an answer and/or files); the decision term runs again."""
    application = _by_token(token)
    form = ApplicantInfoForm(request.POST, request.FILES)

    def provide(application, form):
        data = form.cleaned_data
        services.provide_info(application, by=APPLICANT, note=data["note"], version=data["version"], uploads=[
            services.Upload(data["kind"] or Document.Kind.OTHER, file, "files") for file in data["files"]])
        return _("Thank you: the information was sent. The assessor takes up your application again.")

    return _act(request, application, form, "info_form", provide)


@require_POST
def status_payout(request: HttpRequest, token: str) -> HttpResponse:
    """After the works: the invoice (and the accepted quote), the amount and the account; the payout is requested."""
    application = _by_token(token)
    form = ApplicantPayoutForm(request.POST, request.FILES, needs=_needed_for_payout(application))

    def request_payout(application, form):
        data = form.cleaned_data
        services.request_payout(application, by=APPLICANT, invoice_amount=data["invoice_amount"], iban=data["iban"],
                                account_holder=data["account_holder"], version=data["version"],
                                uploads=[services.Upload(kind, file, name) for name, kind, file in form.uploads()])
        return _("Your payout request was sent. We check the invoice and let you know.")

    return _act(request, application, form, "payout_form", request_payout)


@require_http_methods(["GET", "POST"])
def status_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Withdraw the application: a page that asks to confirm, then the POST."""
    application = _by_token(token)
    if request.method == "POST":
        form = ApplicantWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw(application, by=APPLICANT, note=form.cleaned_data["note"],
                                  version=form.cleaned_data["version"])
            except DomainError as error:
                if isinstance(error, PermissionDenied):
                    raise
                _refusal_on_form(form, error)
            else:
                messages.success(request, _("Your application was withdrawn."))
                return redirect("subsidy:status", token=application.status_token)
    else:
        form = ApplicantWithdrawForm(initial={"version": application.version})
    return render(request, "subsidy/public/withdraw.html",
                  {"application": application, "form": form,
                   "withdrawable": application.status in Application.WITHDRAWABLE})


@require_GET
def status_document(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    application = _by_token(token)
    document = get_object_or_404(Document, pk=pk, application=application)
    return attachment_response(document.file, filename=document.original_name, content_type=document.content_type)


@require_GET
def status_letter(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    application = _by_token(token)
    letter = get_object_or_404(DecisionLetter, pk=pk, application=application, status=DecisionLetter.Status.READY)
    if not letter.file:
        raise Http404
    name = _("decision-%(reference)s.pdf") % {"reference": application.reference}
    return attachment_response(letter.file, filename=name, content_type="application/pdf")


urlpatterns = [
    path("aanvragen/", apply, name="apply"),
    path("aanvragen/subsidie-berekenen/", diy_estimate, name="diy_estimate"),
    path("aanvragen/status/<slug:token>/", status, name="status"),
    path("aanvragen/status/<slug:token>/document/", status_upload, name="status_upload"),
    path("aanvragen/status/<slug:token>/informatie/", status_provide_info, name="status_provide_info"),
    path("aanvragen/status/<slug:token>/uitbetaling/", status_payout, name="status_payout"),
    path("aanvragen/status/<slug:token>/intrekken/", status_withdraw, name="status_withdraw"),
    path("aanvragen/status/<slug:token>/documenten/<int:pk>/", status_document, name="status_document"),
    path("aanvragen/status/<slug:token>/besluiten/<int:pk>/", status_letter, name="status_letter"),
    path("applications/new/<int:household_pk>/", apply_for_household, name="apply_for_household"),
]
