"""Pages of the household register: list, detail, register, edit, consent, assignment, closing, assessing.

A household the user may not see answers 404 (its existence is not revealed); one they may see but
not act on answers 403. Views parse input, call one service, and render.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.audit import history_of
from accounts.downloads import attachment_response
from accounts.htmx import render_page_or_fragment
from accounts.models import ViewLog
from eligibility.parameters import NoParametersOnDate
from eligibility.selectors import household_eligibility
from households import extensions, inzage, services
from households.forms import (
    IMPORT_MAX_BYTES,
    AssignmentForm,
    CloseForm,
    ConsentDecisionForm,
    DwellingForm,
    HouseholdFilterForm,
    HouseholdForm,
    ImportForm,
    RegistrationForm,
    ReopenForm,
    RequestErasureForm,
    WithdrawConsentForm,
)
from households.imports import (
    ROWS_KEPT_FOR,
    XLSX_CONTENT_TYPE,
    allowed_values,
    forget_old_imports,
    template_csv,
    template_xlsx,
)
from households.models import Dwelling, Household, HouseholdImport, InzageExport
from households.retention import retention_due_at
from households.selectors import HouseholdPaginator, households_visible_to, search_households
from households.tasks import check_households_import, start_import
from households.viewlog import log_household_page

PAGE_SIZE = 25

LIST_COLUMNS = [
    ("reference", gettext_lazy("Reference")),
    ("name", gettext_lazy("Contact person")),
    ("street", gettext_lazy("Address")),
    ("postcode", gettext_lazy("Postcode")),
    ("label", gettext_lazy("Label")),
    ("status", gettext_lazy("Status")),
    ("handyman", gettext_lazy("Energy handyman")),
]


EVENT_LABELS = {
    "registered": gettext_lazy("registered"),
    "changed": gettext_lazy("details changed"),
    "consent_recorded": gettext_lazy("consent recorded"),
    "consent_refused": gettext_lazy("consent for processing refused"),
    "assigned": gettext_lazy("assigned"),
    "closed": gettext_lazy("closed"),
    "reopened": gettext_lazy("reopened"),
    "consent_withdrawn": gettext_lazy("consent withdrawn"),
    "erasure_requested": gettext_lazy("erasure requested"),
    "changed_in_admin": gettext_lazy("corrected in the admin"),
    "created_in_admin": gettext_lazy("created in the admin"),
    "eligibility_assessed": gettext_lazy("eligibility assessed"),
    "anonymised": gettext_lazy("personal data removed (anonymised)"),
    "inzage_requested": gettext_lazy("request for access: export asked for"),
}


def _visible_household(request: HttpRequest, pk: int) -> Household:
    return get_object_or_404(households_visible_to(request.user), pk=pk)


def _require(request: HttpRequest, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _add_service_errors(error: ValidationError, *forms) -> None:
    """Put a service's field errors on the form that has the field; the rest above the first form."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((form for form in forms if field in form.fields), None)
        if target is None:
            forms[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


def _sort_columns(request: HttpRequest, current: str) -> list[dict]:
    """Column headers with the link that sorts by them (again: the other way round)."""
    columns = []
    for key, label in LIST_COLUMNS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = f"-{key}" if current == key else key
        direction = "ascending" if current == key else "descending" if current == f"-{key}" else None
        columns.append({"key": key, "label": label, "href": f"?{params.urlencode()}", "aria_sort": direction})
    return columns


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _require(request, "households.list_households")
    filters = HouseholdFilterForm(request.GET, user=request.user)
    criteria = filters.criteria()
    households = search_households(households_visible_to(request.user), **criteria)
    page = HouseholdPaginator(households, PAGE_SIZE, count_with_page="q" in criteria).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "page_obj": page,
        "households": page.object_list,
        "querystring": params.urlencode(),
        "columns": _sort_columns(request, criteria.get("sort", "")),
        "may_register": request.user.has_perm("households.add_household"),
        "may_import": request.user.has_perm("households.import_households"),
        "filtered": bool(criteria.keys() - {"sort"}),
        "filters_open": bool(criteria.keys() - {"sort", "q"}),
    }
    # For htmx only the results; the search form keeps its place (and the sort order, swapped out of band).
    return render_page_or_fragment(request, "households/list.html", "households/_results.html", context)


def household_detail_context(request: HttpRequest, household: Household) -> dict:
    """Everything the detail page shows. Other apps add their sections' data here."""
    user = request.user
    try:
        dwelling = household.dwelling
    except Dwelling.DoesNotExist:
        dwelling = None
    consents = list(household.consents.select_related("recorded_by", "statement"))
    current_consent = next((consent for consent in consents if consent.withdrawn_at is None), None)
    labels = {**extensions.event_labels(), **EVENT_LABELS}
    kept = household.anonymised_at is None
    return {
        "household": household,
        "dwelling": dwelling,
        "consents": consents,
        "current_consent": current_consent,
        "history": [{"event": event, "label": labels.get(event.action, event.action)}
                    for event in history_of(household)],
        # An anonymised household's record is kept for the figures only: nothing is added to it again.
        "may": {
            "edit": user.has_perm("households.change_household", household) and kept,
            "consent": user.has_perm("households.record_consent", household) and kept,
            "assign": user.has_perm("households.assign_household", household) and kept,
            "close": user.has_perm("households.close_household", household) and can_proceed(household.close),
            "reopen": (user.has_perm("households.reopen_household", household)
                       and household.status == Household.Status.CLOSED and kept),
            "withdraw": (user.has_perm("households.record_consent", household) and current_consent is not None
                         and current_consent.processing and kept),  # a refusal is not withdrawn
            # Without consent for processing in force (with it, the withdrawal page asks for erasure too).
            "erase": (user.has_perm("households.record_consent", household) and kept
                      and household.erasure_requested_at is None
                      and not (current_consent is not None and current_consent.processing)),
        },
        # The eligibility section (templates/eligibility/_household_assessment.html).
        "eligibility": {**household_eligibility(household), **_assessing(user, household, consents)},
        # Sections of the apps to the right (households.extensions), e.g. the household's applications.
        "sections": extensions.detail_sections(request, household),
        # The coordinator's request for access (inzageverzoek): the button and the latest exports.
        "inzage": _inzage_section(user, household),
    }


def _assessing(user, household: Household, consents: list) -> dict:
    """The eligibility section's button (`assess_url`), or why there is none for someone who may assess."""
    if not user.has_perm("households.assess_eligibility", household) or household.anonymised_at is not None:
        return {}
    if not any(consent.processing and consent.withdrawn_at is None for consent in consents):
        return {"cannot_assess": services.consent_needed_error().messages[0]}
    return {"assess_url": reverse("households:assess", args=[household.pk])}


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    log_household_page(request, household)
    return render(request, "households/detail.html", household_detail_context(request, household))


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    _require(request, "households.add_household")
    household_form = RegistrationForm(request.POST or None)
    dwelling_form = DwellingForm(request.POST or None)
    if request.method == "POST" and household_form.is_valid() & dwelling_form.is_valid():
        data = household_form.cleaned_data
        try:
            household = services.register_household(
                programme=data["programme"], by=request.user, household=data,
                dwelling=dwelling_form.cleaned_data, reference=data["reference"])
        except ValidationError as error:
            _add_service_errors(error, household_form, dwelling_form)
        else:
            messages.success(request, _("Household %(reference)s is registered.") % {"reference": household.reference})
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/form.html", {
        "household_form": household_form, "dwelling_form": dwelling_form, "household": None,
        "title": _("Register a household")})


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.change_household", household)
    log_household_page(request, household)
    try:
        dwelling = household.dwelling
    except Dwelling.DoesNotExist:
        dwelling = Dwelling(household=household)
    household_form = HouseholdForm(request.POST or None, instance=household)
    dwelling_form = DwellingForm(request.POST or None, instance=dwelling)
    if request.method == "POST" and household_form.is_valid() & dwelling_form.is_valid():
        try:
            services.update_household(household, by=request.user, household_changes=household_form.cleaned_data,
                                      dwelling_changes=dwelling_form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(error, household_form, dwelling_form)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/form.html", {
        "household_form": household_form, "dwelling_form": dwelling_form, "household": household,
        "title": _("Edit household %(reference)s") % {"reference": household.reference}})


@login_required
def household_consent(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.record_consent", household)
    log_household_page(request, household)
    form = ConsentDecisionForm(request.POST or None, programme=household.programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_consent(household, by=request.user, statement_version=data["statement_version"],
                                    given_on=data["given_on"], processing=data["processing"],
                                    share_address_level=data["share_address_level"])
        except ValidationError as error:
            _add_service_errors(error, form)
        else:
            household.refresh_from_db()
            if not data["processing"]:
                messages.success(request, _("The resident's refusal is recorded; the household stays registered."))
            elif household.status == Household.Status.ACTIVE:
                messages.success(request, _("Consent is recorded; the household is active."))
            else:
                messages.success(request, _("Consent is recorded."))
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/consent.html", {"household": household, "form": form})


@login_required
def household_assign(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.assign_household", household)
    log_household_page(request, household)
    form = AssignmentForm(request.POST or None, initial={"handyman": household.handyman_id,
                                                         "community_worker": household.community_worker_id})
    form.show_workload()
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_household(household, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(error, form)
        else:
            messages.success(request, _("The assignment is saved."))
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/assign.html", {"household": household, "form": form})


@login_required
@require_POST
def household_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Assess (or reassess) the household's eligibility now, and go back to its page."""
    household = _visible_household(request, pk)
    _require(request, "households.assess_eligibility", household)
    try:
        assessment = services.assess_eligibility(household, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except NoParametersOnDate as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Eligibility assessed with the rules valid on %(date)s.")
                         % {"date": assessment.reference_date.isoformat()})
    return redirect(reverse("households:detail", args=[household.pk]) + "#eligibility")


def _act_with_reason(request: HttpRequest, household: Household, form, act, done,
                     template: dict) -> HttpResponse:
    """A one-form act on a household (close, reopen, withdraw consent): the service, or the form again. `done`: the
    message, or a function of what the service returned that gives it."""
    log_household_page(request, household)
    if request.method == "POST" and form.is_valid():
        try:
            result = act(**form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(error, form)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/act.html", {"household": household, "form": form, **template})


@login_required
def household_close(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.close_household", household)
    return _act_with_reason(
        request, household, CloseForm(request.POST or None),
        lambda reason: services.close_household(household, by=request.user, reason=reason),
        _("Household %(reference)s is closed.") % {"reference": household.reference},
        {"title": _("Close household %(reference)s") % {"reference": household.reference},
         "lead": _("The programme's work with this household ends. The reason is kept in its history."),
         "button": _("Close household")})


@login_required
def household_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.reopen_household", household)
    return _act_with_reason(
        request, household, ReopenForm(request.POST or None),
        lambda reason: services.reopen_household(household, by=request.user, reason=reason),
        _("Household %(reference)s is active again.") % {"reference": household.reference},
        {"title": _("Reopen household %(reference)s") % {"reference": household.reference},
         "lead": _("The programme works with this household again. It needs the resident's consent for "
                   "processing in force; the reason is kept in its history."),
         "button": _("Reopen household")})


def _erasure_held(household: Household) -> str:
    """Why personal data the resident asked to erase is not removed yet: an application in progress holds it, or
    the financial audit's term (until when)."""
    due = retention_due_at(household, now=timezone.now())
    if due is None:
        return _("The personal data is removed once the application in progress has ended.")
    return _("The personal data is kept until %(date)s for the financial audit; it is removed then.") % {
        "date": date_format(timezone.localtime(due).date(), "j F Y")}


def _withdrawal_done(household: Household) -> str:
    """What became of the data: removed now, kept until the financial term ends, or until an application ends."""
    if household.erasure_requested_at is None:
        return _("The consent is withdrawn.")
    if household.anonymised_at is not None:
        return _("The consent is withdrawn and the household's personal data is removed.")
    withdrawn = _("The consent is withdrawn.")
    return f"{withdrawn} {_erasure_held(household)}"


@login_required
def household_withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    household = _visible_household(request, pk)
    _require(request, "households.record_consent", household)
    return _act_with_reason(
        request, household, WithdrawConsentForm(request.POST or None),
        lambda note, erase: services.withdraw_consent(household, by=request.user, note=note, erase=erase),
        _withdrawal_done,
        {"title": _("Withdraw consent of %(reference)s") % {"reference": household.reference},
         "lead": _("The resident no longer consents. The consent ends today and an active household is closed: "
                   "the programme stops working with it. The household's data stays for the programme's "
                   "accounts until its retention period ends, unless the resident asks for erasure."),
         "button": _("Withdraw consent"), "danger": True})


def _erasure_done(household: Household) -> str:
    """What became of the data: removed now, or kept until an application or the financial term ends."""
    if household.anonymised_at is not None:
        return _("The household's personal data is removed.")
    recorded = _("The request for erasure is recorded.")
    return f"{recorded} {_erasure_held(household)}"


@login_required
def household_request_erasure(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident asks for erasure without consent in force: withdrawn earlier, refused or never given."""
    household = _visible_household(request, pk)
    _require(request, "households.record_consent", household)
    return _act_with_reason(
        request, household, RequestErasureForm(request.POST or None),
        lambda note: services.request_erasure(household, by=request.user, note=note),
        _erasure_done,
        {"title": _("Erase the personal data of %(reference)s") % {"reference": household.reference},
         "lead": _("The resident asks for their personal data to be erased. An open household is closed, and its "
                   "personal data is removed at once: name, contact details, income, house number, documents, "
                   "letters and notes. A paid or rejected application keeps it for the financial audit's term; it "
                   "is removed when that ends. This cannot be undone."),
         "button": _("Erase personal data"), "danger": True})


IMPORT_UPLOAD_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries around the file
OUTCOMES_PER_PAGE = 100


@csrf_exempt  # the CSRF check reads the whole body; a file far over the limit is refused first (then it is checked)
@login_required
def household_import(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet of households; its dry run is done in the background, and shown on the status page."""
    _require(request, "households.import_households")
    if request.method == "POST" and _content_length(request) > IMPORT_MAX_BYTES + IMPORT_UPLOAD_OVERHEAD:
        # Refused from the request's length: a file far over the limit is not received, stored or parsed at all.
        return render(request, "households/import.html", {
            **_import_page(request), "form": ImportForm(),
            "too_large": _("The file is larger than 20 MB. Split it into smaller files.")}, status=413)
    return _household_import(request)


def _content_length(request: HttpRequest) -> int:
    """The request's length as its header says; 0 when the header is not a number (as Django reads it)."""
    length = request.META.get("CONTENT_LENGTH") or ""
    return int(length) if re.fullmatch(r"[0-9]+", length) else 0


def _import_page(request: HttpRequest) -> dict:
    return {"recent": HouseholdImport.objects.filter(requested_by=request.user).defer("content", "errors",
                                                                                       "outcomes")[:5],
            "allowed_values": allowed_values()}


@csrf_protect
def _household_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        forget_old_imports(timezone.now())
    context = _import_page(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # The database task backend stores the task in this same transaction: no import without its task.
        with transaction.atomic():
            job = HouseholdImport.objects.create(
                programme=form.cleaned_data["programme"], filename=upload.name[:200], content=upload.read(),
                requested_by=request.user, language=get_language() or "nl")
            check_households_import.enqueue(job.pk)
        return redirect("households:import_status", pk=job.pk)
    return render(request, "households/import.html", {**context, "form": form})


@login_required
def household_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the dry run or the import is (htmx polls the status part until it has finished); then what each row
    does, the refused rows first, a page at a time and per outcome."""
    _require(request, "households.import_households")
    job = get_object_or_404(HouseholdImport.objects.defer("content", "outcomes"), pk=pk)
    context = {"job": job}
    if job.is_finished:
        shown = request.GET.get("outcome", "")
        if shown not in HouseholdImport.Outcome.values:
            shown = ""
        kept = job.outcomes if job.finished_at and job.finished_at >= timezone.now() - ROWS_KEPT_FOR else []
        rows = [row for row in kept if row["outcome"] == shown] if shown else kept
        context.update({
            "rows_forgotten": not kept and job.rows_checked > 0,
            "shown": shown, "rows": Paginator(rows, OUTCOMES_PER_PAGE).get_page(request.GET.get("page")),
            "outcome_choices": [(value, label, getattr(job, value)) for value, label in
                                HouseholdImport.Outcome.choices]})
    return render_page_or_fragment(request, "households/import_status.html", "households/_import_status.html",
                                   context)


@login_required
@require_POST
def household_import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a checked file: in the background, checked again and written all or nothing."""
    _require(request, "households.import_households")
    job = get_object_or_404(HouseholdImport.objects.only("pk", "filename"), pk=pk)
    forget_old_imports(timezone.now())  # a file checked too long ago is no longer kept, nor imported
    if not start_import(job, by=request.user):
        messages.error(request, _("Only a checked file without refused rows can be imported, once. Correct the file "
                                  "and upload it again."))
    return redirect("households:import_status", pk=job.pk)


@login_required
def household_import_template(request: HttpRequest) -> HttpResponse:
    """An empty spreadsheet (csv) with the columns the import reads, and one example row."""
    _require(request, "households.import_households")
    return attachment_response(template_csv().encode("utf-8"), filename="warmhuis-huishoudens-sjabloon.csv",
                               content_type="text/csv; charset=utf-8")


@login_required
def household_import_template_xlsx(request: HttpRequest) -> HttpResponse:
    """The template as an Excel workbook: the columns with an example row, and the allowed values on a second sheet."""
    _require(request, "households.import_households")
    return attachment_response(template_xlsx(), filename="warmhuis-huishoudens-sjabloon.xlsx",
                               content_type=XLSX_CONTENT_TYPE)


# --- The resident's right of access (households.inzage) -----------------------------------------------------------

INZAGE_FORMATS = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}


def _inzage_section(user, household: Household) -> dict | None:
    """The coordinator's request-for-access part of the household page: the button and the latest exports."""
    if not user.has_perm("households.export_inzage", household):
        return None
    return {"exports": list(InzageExport.objects.filter(household=household).defer("pdf", "json")
                            .select_related("requested_by")[:3])}


@login_required
@require_POST
def household_inzage_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the export of everything held on the household; it is made in the background."""
    household = _visible_household(request, pk)
    _require(request, "households.export_inzage", household)
    export = inzage.request_inzage(household, by=request.user)
    return redirect("households:inzage", pk=export.pk)


def _inzage_export(request: HttpRequest, pk: int) -> InzageExport:
    _require(request, "households.export_inzage")
    return get_object_or_404(InzageExport.objects.defer("pdf", "json").select_related("household", "requested_by"),
                             pk=pk)


@login_required
def household_inzage(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export is (htmx polls its status part until it is ready or failed), then its two files."""
    export = _inzage_export(request, pk)
    return render_page_or_fragment(request, "households/inzage.html", "households/_inzage_status.html", {
        "export": export, "household": export.household, "may_download": inzage.may_be_downloaded(export),
        "finished": export.status in (InzageExport.Status.DONE, InzageExport.Status.FAILED),
        "kept_days": inzage.KEPT_FOR.days})


@login_required
def household_inzage_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The export's PDF or JSON, as a download; every download is in the household's view log."""
    export = _inzage_export(request, pk)
    if file_format not in INZAGE_FORMATS or not inzage.may_be_downloaded(export):
        raise Http404("no such file")
    content = InzageExport.objects.values_list(file_format, flat=True).get(pk=export.pk)
    if content is None:
        raise Http404("forgotten")
    log_household_page(request, export.household, kind=ViewLog.Kind.EXPORT, detail=f"{export.pk} ({file_format})")
    return attachment_response(bytes(content), filename=inzage.filename(export, file_format),
                               content_type=INZAGE_FORMATS[file_format])
