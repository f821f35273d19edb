"""Every transition from every state, by every kind of actor: allowed, refused for the role (403), or refused for
the state (409), and a refused act changes nothing (DESIGN.md, "The large-measure application: states")."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts.errors import Conflict
from accounts.models import AuditEvent
from budget.models import LedgerEntry
from subsidy import services
from subsidy.models import Application, Document
from tests.factories import PATH, UserFactory, application_in, pdf_file

S = Application.Status
APPLICANT, SYSTEM = services.Actor.APPLICANT, services.Actor.SYSTEM
ACTORS = ("handyman", "community", "assessor", "finance", "coordinator", APPLICANT, SYSTEM)

# Who may make each transition, and from which states to which (DESIGN.md).
MAY = {
    "submit": {"community", "coordinator", APPLICANT},
    "start_review": {"assessor", "coordinator"},
    "request_info": {"assessor", "coordinator"},
    "provide_info": {"community", "coordinator", APPLICANT},
    "approve": {"assessor", "coordinator"},
    "reject": {"assessor", "coordinator"},
    "withdraw": {"community", "coordinator", APPLICANT},
    "request_payout": {"community", "coordinator", APPLICANT},
    "set_payout": {"assessor", "coordinator"},
    "mark_paid": {"finance"},
    "lapse": {SYSTEM},
}
MOVES = {
    "submit": {S.DRAFT: S.SUBMITTED},
    "start_review": {S.SUBMITTED: S.IN_REVIEW},
    "request_info": {S.SUBMITTED: S.INFO_REQUESTED, S.IN_REVIEW: S.INFO_REQUESTED},
    "provide_info": {S.INFO_REQUESTED: S.IN_REVIEW},
    "approve": {S.IN_REVIEW: S.APPROVED},
    "reject": {S.IN_REVIEW: S.REJECTED},
    "withdraw": {S.SUBMITTED: S.WITHDRAWN, S.IN_REVIEW: S.WITHDRAWN, S.INFO_REQUESTED: S.WITHDRAWN,
                 S.APPROVED: S.WITHDRAWN},
    "request_payout": {S.APPROVED: S.PAYOUT_REQUESTED},
    "set_payout": {S.PAYOUT_REQUESTED: S.PAYOUT_SET},
    "mark_paid": {S.PAYOUT_SET: S.PAID},
    "lapse": {S.APPROVED: S.LAPSED},
}


def call(act: str, application: Application, by):
    today = datetime.date.today()
    if act == "lapse":
        if by is not SYSTEM:
            raise PermissionDenied("only the system lets a grant lapse")  # no service lets a person do it
        return services.lapse(application)
    return {
        "submit": lambda: services.submit_application(application, by=by),
        "start_review": lambda: services.start_review(application, by=by),
        "request_info": lambda: services.request_info(application, by=by, message="Stuur de offerte opnieuw."),
        "provide_info": lambda: services.provide_info(application, by=by, note="Bijgevoegd."),
        "approve": lambda: services.approve(application, by=by),
        "reject": lambda: services.reject(application, by=by, note="Geen eigenaar-bewoner."),
        "withdraw": lambda: services.withdraw(application, by=by),
        "request_payout": lambda: services.request_payout(application, by=by, invoice_amount="4000.00",
                                                          iban="NL91ABNA0417164300", account_holder="J. de Vries"),
        "set_payout": lambda: services.set_payout(application, by=by, amount="4000.00"),
        "mark_paid": lambda: services.mark_paid(application, by=by, paid_on=today, iban="NL91ABNA0417164300"),
    }[act]()


def prepared(state: str, people: dict) -> Application:
    """The application in `state`, with what the next acts need (the quote for submitting, the invoice for a
    payout request), added by its community worker."""
    application = application_in(state, people)
    if state == S.DRAFT:
        services.add_document(application, by=people["community"], kind=Document.Kind.QUOTE, file=pdf_file())
    if state == S.APPROVED:
        for kind in (Document.Kind.INVOICE, Document.Kind.ACCEPTED_QUOTE):
            services.add_document(application, by=people["community"], kind=kind, file=pdf_file())
    application.refresh_from_db()
    return application


def snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    return application.status, application.version, LedgerEntry.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("act", list(MAY))
@pytest.mark.parametrize("state", list(PATH))
def test_each_transition_from_each_state_by_each_actor(state, act, programme, users_by_role):
    application = prepared(state, users_by_role)
    allowed = [actor for actor in ACTORS if actor in MAY[act]]
    for actor in ACTORS:
        if actor in allowed and actor != allowed[-1]:
            continue  # those who may are tried once: the last of them acts below
        by = actor if isinstance(actor, services.Actor) else users_by_role[actor]
        before = snapshot(application)
        if actor not in MAY[act]:
            with pytest.raises(PermissionDenied):
                call(act, application, by)
        elif state not in MOVES[act]:
            with pytest.raises(Conflict):
                call(act, application, by)
        else:
            call(act, application, by)
            application.refresh_from_db()
            assert application.status == MOVES[act][state]
            event = AuditEvent.objects.for_object(application).filter(action=f"application.{act}").get()
            assert (event.data["from_status"], event.data["to_status"]) == (state, MOVES[act][state])
            assert event.actor == (None if isinstance(by, services.Actor) else by)
            assert event.data["by"] == (str(by) if isinstance(by, services.Actor) else "staff")
            continue
        assert snapshot(application) == before, f"{actor} {act} from {state} changed something"


def test_nobody_decides_for_a_household_they_work_on(programme, users_by_role):
    assessor_and_handyman = UserFactory(username="both", role="assessor")
    assessor_and_handyman.groups.add(*users_by_role["handyman"].groups.all())
    application = application_in("in_review", users_by_role, household__handyman=assessor_and_handyman)

    with pytest.raises(PermissionDenied):
        services.approve(application, by=assessor_and_handyman)

    application.refresh_from_db()
    assert application.status == S.IN_REVIEW


def test_a_stale_version_is_refused_as_someone_elses_change(programme, users_by_role):
    application = application_in("in_review", users_by_role)
    seen = application.version
    services.request_info(application, by=users_by_role["coordinator"], message="Graag het label.")

    with pytest.raises(Conflict, match="Iemand anders heeft deze aanvraag intussen gewijzigd"):
        services.approve(application, by=users_by_role["assessor"], version=seen)
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED


@pytest.mark.parametrize("permission", ["subsidy.pay_application", "subsidy.review_application"])
def test_the_coordinator_holds_no_act_by_a_model_permission(permission, programme, users_by_role):
    coordinator = users_by_role["coordinator"]
    application = application_in("payout_set", users_by_role)

    assert not coordinator.has_perm("subsidy.pay_application", application)
    assert coordinator.has_perm(permission) is (permission == "subsidy.review_application")
