"""The application API (/api/v1/applications/): drafts, documents, every act through the API, the same scoping as the
pages; 403 for the wrong role, 409 for the wrong state or a stale version, 400 naming the field, never 500."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts.roles import Role
from budget.models import BudgetLine
from subsidy import services
from subsidy.models import Application, Document
from tests.factories import PDF_BYTES, ApplicationFactory, HouseholdFactory, UserFactory, application_in, pdf_file

S = Application.Status
LIST = reverse("api-v1:application-list")
IBAN = "NL91ABNA0417164300"
TODAY = datetime.date.today()


def detail(application) -> str:
    return reverse("api-v1:application-detail", kwargs={"pk": application.pk})


def act_url(application, act: str) -> str:
    return reverse(f"api-v1:application-{act.replace('_', '-')}", kwargs={"pk": application.pk})


def documents_url(application) -> str:
    return reverse("api-v1:application-documents", kwargs={"pk": application.pk})


def dutch(message: str, **values) -> str:
    with translation.override("nl"):
        return gettext(message) % values if values else gettext(message)


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


def grants(programme) -> BudgetLine:
    return BudgetLine.objects.get(programme=programme, kind=BudgetLine.Kind.GRANTS)


def application(state: str, people, **fields) -> Application:
    """An application in `state` of a household that `handyman` and `community` work on."""
    return application_in(state, people, household__handyman=people["handyman"],
                          household__community_worker=people["community"], **fields)


# --- Opening a draft ------------------------------------------------------------------------------------------


@pytest.fixture
def helped(people):
    return HouseholdFactory(active=True, community_worker=people["community"], handyman=people["handyman"])


def answers(of, **changes) -> dict:
    return {"household": of.reference if of else None, "applicant_name": "Jan de Vries", "email": "jan@example.nl",
            "phone": "06 12345678", "owner_occupier": True, "measure": "roof", "route": "contractor",
            "quote_amount": "4200.00", "household_type": "single", "net_monthly_income": "1250.00",
            "income_proof": "income_details", "declaration_true": True, "privacy_statement_version": "2022-1",
            **changes}


def test_the_community_worker_opens_a_draft_for_a_household_they_help_by_its_reference(api, people, helped):
    response = as_user(api, people["community"]).post(LIST, answers(helped), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["household"] == helped.pk
    assert body["household_reference"] == helped.reference
    assert body["quote_amount"] == "4200.00"
    assert body["helped_by"] == "community"
    assert body["documents"] == []
    assert [(event["action"], event["to_status"], event["by"], event["actor"]) for event in body["timeline"]] == [
        ("application.opened", "draft", "staff", "community")]
    created = Application.objects.get()
    assert created.household == helped
    assert created.reference == body["reference"]


def test_the_coordinator_opens_a_draft_by_the_households_id(api, people, helped):
    response = as_user(api, people["coordinator"]).post(LIST, answers(None, household=helped.pk, route="diy",
                                                                      quote_amount=None, diy_area_m2="70"),
                                                        format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["route"] == "diy"
    assert response.json()["diy_area_m2"] == "70.00"


@pytest.mark.parametrize("role", ["handyman", "assessor", "finance"])
def test_roles_that_do_not_apply_for_households_get_403_and_nothing_is_opened(api, people, helped, role):
    response = as_user(api, people[role]).post(LIST, answers(helped), format="json")

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_community_worker_who_also_assesses_may_not_apply_for_a_household_they_do_not_help(api, people, helped):
    both = UserFactory(username="community-assessor", role=Role.COMMUNITY_WORKER)
    both.groups.add(people["assessor"].groups.get())  # sees every household as assessor

    response = as_user(api, both).post(LIST, answers(helped), format="json")

    assert response.status_code == 403
    assert "coördinator" in response.json()["detail"]
    assert not Application.objects.exists()


def test_a_household_the_community_worker_does_not_help_is_not_found_on_its_field(api, people):
    other = HouseholdFactory(active=True)

    response = as_user(api, people["community"]).post(LIST, answers(other), format="json")

    assert response.status_code == 400
    assert response.json()["household"] == ["Er is geen huishouden met dit id of kenmerk dat u mag zien."]
    assert not Application.objects.exists()


BAD_ANSWERS = [
    ("quote_amount", "0", "The amount must be greater than zero."),
    ("quote_amount", "-1", "The amount must be greater than zero."),
    ("quote_amount", "abc", "Enter the amount as a number with at most two decimals."),
    ("quote_amount", "12.345", "The amount may have at most two decimals (whole cents)."),
    ("measure", "sauna", "Choose the measure."),
    ("owner_occupier", False, "The large-measure grant is for owner-occupiers who live in the home. Tenants can get "
                              "small and medium measures: an energy handyman visits and installs them."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWERS, ids=[f"{f}={v}" for f, v, _m in BAD_ANSWERS])
def test_bad_answers_are_a_400_on_their_field_with_the_pages_sentence_and_nothing_is_opened(api, people, helped,
                                                                                          field, value, message):
    response = as_user(api, people["community"]).post(LIST, answers(helped, **{field: value}), format="json")

    assert response.status_code == 400
    assert response.json() == {field: [dutch(message)]}
    assert not Application.objects.exists()


# --- Reading ---------------------------------------------------------------------------------------------------


def test_an_application_shows_its_amounts_term_calculation_documents_and_timeline(api, people):
    reviewed = application("info_requested", people)

    response = as_user(api, people["assessor"]).get(detail(reviewed))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "info_requested"
    assert body["version"] == reviewed.version
    assert body["requested_grant"] == "4200.00"
    assert body["decision_due_on"] is None  # suspended while the information is asked for
    assert body["suspended_since"] == TODAY.isoformat()
    assert body["info_requested"] == "Stuur het energielabel mee."
    assert body["calculation"]["grant"] == "4200.00"
    assert body["calculation"]["route"] == "contractor"
    [quote] = body["documents"]
    assert (quote["kind"], quote["name"], quote["size"]) == ("quote", "offerte.pdf", len(PDF_BYTES))
    assert [(event["action"], event["from_status"], event["to_status"], event["by"], event["actor"])
            for event in body["timeline"] if event["from_status"] != event["to_status"]] == [
        ("application.request_info", "in_review", "info_requested", "staff", "assessor"),
        ("application.start_review", "submitted", "in_review", "staff", "assessor"),
        ("application.submit", "draft", "submitted", "staff", "community"),
    ]


def test_an_act_of_the_applicant_shows_in_the_timeline_without_a_staff_member(api, people):
    submitted = application("submitted", people)
    services.withdraw(submitted, by=services.Actor.APPLICANT, note="Verhuisd")

    body = as_user(api, people["coordinator"]).get(detail(submitted)).json()

    assert body["timeline"][0] | {"at": None} == {"at": None, "action": "application.withdraw",
                                                  "from_status": "submitted", "to_status": "withdrawn",
                                                  "by": "applicant", "actor": None, "note": "Verhuisd"}


def test_an_application_of_a_household_that_is_not_yours_is_not_found(api, people):
    draft = application("draft", people)

    assert as_user(api, people["handyman2"]).get(detail(draft)).status_code == 404
    assert as_user(api, people["handyman"]).get(detail(draft)).status_code == 200


# --- Every act from a state that allows it (200 and the new state) and from one that does not (409) ------------

with_documents = {
    "submit": [Document.Kind.QUOTE],
    "request_payout": [Document.Kind.INVOICE, Document.Kind.ACCEPTED_QUOTE],
}

# act, the state it starts from, who does it, the body, the state after it
ALLOWED = [
    ("submit", "draft", "community", {}, "submitted"),
    ("start_review", "submitted", "assessor", {}, "in_review"),
    ("request_info", "in_review", "assessor", {"message": "Stuur de eigendomsakte."}, "info_requested"),
    ("request_info", "submitted", "coordinator", {"message": "Stuur de eigendomsakte."}, "info_requested"),
    ("provide_info", "info_requested", "community", {"note": "Akte toegevoegd."}, "in_review"),
    ("approve", "in_review", "assessor", {"note": "Akkoord."}, "approved"),
    ("reject", "in_review", "assessor", {"note": "Geen eigenaar-bewoner."}, "rejected"),
    ("withdraw", "submitted", "community", {"note": "Verhuist."}, "withdrawn"),
    ("withdraw", "approved", "coordinator", {}, "withdrawn"),
    ("request_payout", "approved", "community",
     {"invoice_amount": "3950.00", "iban": "NL91 ABNA 0417 1643 00", "account_holder": "J. de Vries"},
     "payout_requested"),
    ("set_payout", "payout_requested", "assessor", {"amount": "3900.00", "note": "Volgens factuur."}, "payout_set"),
    ("mark_paid", "payout_set", "finance", {"paid_on": TODAY.isoformat(), "iban": IBAN}, "paid"),
]


@pytest.mark.parametrize(("act", "state", "role", "body", "after"), ALLOWED,
                         ids=[f"{act} from {state} by {role}" for act, state, role, _b, _a in ALLOWED])
def test_every_act_through_the_api_from_a_state_that_allows_it(api, people, act, state, role, body, after):
    subject = application(state, people)
    for kind in with_documents.get(act, []):
        services.add_document(subject, by=people["community"], kind=kind, file=pdf_file())
    subject.refresh_from_db()

    response = as_user(api, people[role]).post(act_url(subject, act), {**body, "version": subject.version},
                                               format="json")

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["status"] == after
    assert answer["version"] == subject.version + 1
    assert answer["timeline"][0]["action"] == f"application.{act}"
    assert answer["timeline"][0]["actor"] == people[role].username
    subject.refresh_from_db()
    assert subject.status == after


# act, a state it is not allowed from, who tries it, a body that would do
REFUSED_STATE = [
    ("submit", "in_review", "community", {}),
    ("start_review", "draft", "assessor", {}),
    ("start_review", "in_review", "assessor", {}),
    ("request_info", "approved", "assessor", {"message": "Nog iets?"}),
    ("provide_info", "in_review", "community", {}),
    ("approve", "approved", "assessor", {}),  # approving twice
    ("approve", "submitted", "assessor", {}),
    ("reject", "draft", "assessor", {"note": "Nee."}),
    ("reject", "approved", "coordinator", {"note": "Nee."}),
    ("withdraw", "draft", "community", {}),
    ("withdraw", "payout_set", "community", {}),
    ("request_payout", "in_review", "community",
     {"invoice_amount": "3950.00", "iban": IBAN, "account_holder": "J. de Vries"}),
    ("set_payout", "approved", "assessor", {"amount": "100.00"}),
    ("mark_paid", "payout_requested", "finance", {"paid_on": TODAY.isoformat(), "iban": IBAN}),
    ("mark_paid", "paid", "finance", {"paid_on": TODAY.isoformat(), "iban": IBAN}),  # paying twice
]


@pytest.mark.parametrize(("act", "state", "role", "body"), REFUSED_STATE,
                         ids=[f"{act} from {state} by {role}" for act, state, role, _b in REFUSED_STATE])
def test_an_act_the_state_does_not_allow_is_a_409_and_changes_nothing(api, people, act, state, role, body):
    subject = application(state, people)

    response = as_user(api, people[role]).post(act_url(subject, act), body, format="json")

    assert response.status_code == 409
    label = dutch(str(Application.Status(state).label))
    assert response.json()["detail"] == dutch("This cannot be done while the application is “%(status)s”.",
                                              status=label)
    version = subject.version
    subject.refresh_from_db()
    assert (subject.status, subject.version) == (state, version)


def test_an_application_that_is_not_yours_is_not_found_for_any_act(api, people):
    subject = application("in_review", people)

    for act in ("approve", "withdraw"):
        assert as_user(api, people["handyman2"]).post(act_url(subject, act), {}, format="json").status_code == 404


# --- Roles ----------------------------------------------------------------------------------------------------

# act, state, a role that may see the application but not do this, body
WRONG_ROLE = [
    ("approve", "in_review", "handyman", {}),
    ("approve", "in_review", "community", {}),
    ("approve", "in_review", "finance", {}),
    ("reject", "in_review", "community", {"note": "Nee."}),
    ("submit", "draft", "assessor", {}),
    ("submit", "draft", "handyman", {}),
    ("start_review", "submitted", "community", {}),
    ("request_info", "in_review", "handyman", {"message": "?"}),
    ("provide_info", "info_requested", "assessor", {}),
    ("withdraw", "submitted", "finance", {}),
    ("request_payout", "approved", "assessor", {"invoice_amount": "1.00", "iban": IBAN, "account_holder": "X"}),
    ("set_payout", "payout_requested", "finance", {"amount": "100.00"}),
    ("set_payout", "payout_requested", "community", {"amount": "100.00"}),
    ("mark_paid", "payout_set", "assessor", {"paid_on": TODAY.isoformat(), "iban": IBAN}),
    ("mark_paid", "payout_set", "coordinator", {"paid_on": "not a date"}),  # 403 before the body is read
]


@pytest.mark.parametrize(("act", "state", "role", "body"), WRONG_ROLE,
                         ids=[f"{act} by {role}" for act, _s, role, _b in WRONG_ROLE])
def test_an_act_the_role_may_not_do_is_a_403_and_changes_nothing(api, people, act, state, role, body):
    subject = application(state, people)

    response = as_user(api, people[role]).post(act_url(subject, act), body, format="json")

    assert response.status_code == 403
    version = subject.version
    subject.refresh_from_db()
    assert (subject.status, subject.version) == (state, version)


def test_nobody_decides_for_a_household_they_work_on(api, people):
    assessor_and_handyman = UserFactory(username="assessor-handyman", role=Role.ASSESSOR)
    assessor_and_handyman.groups.add(people["handyman"].groups.get())
    subject = application_in("in_review", people, household__handyman=assessor_and_handyman)

    response = as_user(api, assessor_and_handyman).post(act_url(subject, "approve"), {}, format="json")

    assert response.status_code == 403
    subject.refresh_from_db()
    assert subject.status == S.IN_REVIEW


def test_whoever_set_the_payout_cannot_mark_it_paid_four_eyes(api, people, programme):
    both = UserFactory(username="assessor-finance", role=Role.ASSESSOR)
    both.groups.add(people["finance"].groups.get())
    subject = application("payout_requested", people)
    as_user(api, both).post(act_url(subject, "set_payout"), {"amount": "4000.00"}, format="json")
    spent = grants(programme).spent

    response = as_user(api, both).post(act_url(subject, "mark_paid"), {"paid_on": TODAY.isoformat(), "iban": IBAN},
                                       format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == dutch("You set this payout; someone else records its payment (four eyes).")
    subject.refresh_from_db()
    assert subject.status == S.PAYOUT_SET
    assert grants(programme).spent == spent
    assert as_user(api, people["finance"]).post(act_url(subject, "mark_paid"),
                                                {"paid_on": TODAY.isoformat(), "iban": IBAN},
                                                format="json").status_code == 200


# --- Bad input --------------------------------------------------------------------------------------------------

TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()
PAYOUT = {"invoice_amount": "3950.00", "iban": IBAN, "account_holder": "J. de Vries"}

# act, state, role, body, the field named
BAD_INPUT = [
    ("request_info", "in_review", "assessor", {"message": ""}, "message"),
    ("request_info", "in_review", "assessor", {}, "message"),
    ("request_info", "in_review", "assessor", {"message": "bel\x00me"}, "message"),
    ("reject", "in_review", "assessor", {}, "note"),
    ("reject", "in_review", "assessor", {"reasons": ["income"]}, "reasons"),
    ("reject", "in_review", "assessor", {"reasons": "income"}, "reasons"),
    ("request_payout", "approved+documents", "community", {**PAYOUT, "iban": "NL92ABNA0417164300"}, "iban"),
    ("request_payout", "approved+documents", "community", {**PAYOUT, "invoice_amount": "abc"}, "invoice_amount"),
    ("request_payout", "approved+documents", "community", {**PAYOUT, "invoice_amount": "0"}, "invoice_amount"),
    ("request_payout", "approved+documents", "community", {**PAYOUT, "account_holder": " "}, "account_holder"),
    ("request_payout", "approved", "community", PAYOUT, "documents"),  # no invoice or accepted quote yet
    ("set_payout", "payout_requested", "assessor", {"amount": "4200.01"}, "amount"),  # above the grant
    ("set_payout", "payout_requested", "assessor", {"amount": "4100.00"}, "amount"),  # above the invoice
    ("set_payout", "payout_requested", "assessor", {"amount": "12.345"}, "amount"),
    ("set_payout", "payout_requested", "assessor", {"amount": "-5"}, "amount"),
    ("set_payout", "payout_requested", "assessor", {}, "amount"),
    ("mark_paid", "payout_set", "finance", {"paid_on": TOMORROW, "iban": IBAN}, "paid_on"),
    ("mark_paid", "payout_set", "finance", {"paid_on": "31-12-2022", "iban": IBAN}, "paid_on"),
    ("mark_paid", "payout_set", "finance", {"paid_on": "2022-02-30", "iban": IBAN}, "paid_on"),
    ("mark_paid", "payout_set", "finance", {"paid_on": TODAY.isoformat(), "iban": "NL91"}, "iban"),
    ("approve", "in_review", "assessor", {"version": "abc"}, "version"),
]


@pytest.mark.parametrize(("act", "state", "role", "body", "field"), BAD_INPUT,
                         ids=[f"{act} {field}={body.get(field)!r}" for act, _s, _r, body, field in BAD_INPUT])
def test_bad_input_is_a_400_naming_the_field_and_nothing_changes(api, people, programme, act, state, role, body,
                                                                 field):
    state, _, extra = state.partition("+")
    subject = application(state, people, invoice="4000.00")
    if extra:
        for kind in with_documents[act]:
            services.add_document(subject, by=people["community"], kind=kind, file=pdf_file())
        subject.refresh_from_db()
    line = grants(programme)

    response = as_user(api, people[role]).post(act_url(subject, act), body, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()) == [field]
    version = subject.version
    subject.refresh_from_db()
    assert (subject.status, subject.version) == (state, version)
    after = grants(programme)
    assert (after.committed_open, after.spent) == (line.committed_open, line.spent)


def test_a_payout_above_the_grant_is_refused_with_the_grant_named(api, people):
    subject = application("payout_requested", people, invoice="4500.00")

    response = as_user(api, people["assessor"]).post(act_url(subject, "set_payout"), {"amount": "4300.00"},
                                                     format="json")

    assert response.status_code == 400
    assert response.json() == {"amount": [dutch("The payout can be at most the grant of %(grant)s.",
                                                grant="€\xa04.200,00")]}


def test_approval_refused_for_a_missing_document_says_why_for_the_application_as_a_whole(api, people):
    subject = application("in_review", people)
    Document.objects.filter(application=subject).delete()

    response = as_user(api, people["assessor"]).post(act_url(subject, "approve"), {}, format="json")

    assert response.status_code == 400
    [problem] = response.json()["non_field_errors"]
    assert dutch(str(Document.Kind.QUOTE.label)) in problem


# --- Versions -------------------------------------------------------------------------------------------------


def test_an_act_on_a_version_someone_else_changed_is_a_409_and_changes_nothing(api, people, programme):
    subject = application("in_review", people)
    seen = subject.version
    services.request_info(subject, by=people["coordinator"], message="Stuur de akte.")
    subject.refresh_from_db()
    services.provide_info(subject, by=people["community"])
    committed = grants(programme).committed_open

    response = as_user(api, people["assessor"]).post(act_url(subject, "approve"), {"version": seen}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == dutch(
        "Someone else changed this application meanwhile; nothing was changed. Reload the page to see its current "
        "state.")
    subject.refresh_from_db()
    assert subject.status == S.IN_REVIEW
    assert grants(programme).committed_open == committed

    fresh = as_user(api, people["assessor"]).post(act_url(subject, "approve"), {"version": subject.version},
                                                  format="json")
    assert fresh.status_code == 200
    assert fresh.json()["status"] == "approved"
    assert grants(programme).committed_open == committed + Decimal("4200.00")


# --- Documents --------------------------------------------------------------------------------------------------


def upload(api, subject, *, kind="proof_of_ownership", name="akte.pdf", content=PDF_BYTES):
    return api.post(documents_url(subject), {"kind": kind, "file": SimpleUploadedFile(name, content)},
                    format="multipart")


def test_a_document_is_uploaded_and_listed_on_the_application_with_its_download(api, client, people):
    subject = application("in_review", people)

    response = upload(as_user(api, people["community"]), subject)

    assert response.status_code == 201, response.json()
    uploaded = response.json()
    assert (uploaded["kind"], uploaded["name"], uploaded["size"], uploaded["content_type"]) == (
        "proof_of_ownership", "akte.pdf", len(PDF_BYTES), "application/pdf")
    body = api.get(detail(subject)).json()
    assert uploaded["id"] in [document["id"] for document in body["documents"]]
    assert body["timeline"][0]["action"] == "application.document_added"
    client.force_login(people["community"])
    download = client.get(uploaded["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF_BYTES


BAD_FILES = [
    ("html renamed .pdf", "akte.pdf", b"<!doctype html><script>alert(1)</script>"),
    ("program renamed .pdf", "akte.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
    ("empty", "akte.pdf", b""),
    ("11 MB", "akte.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)),
]


@pytest.mark.parametrize(("name", "content"), [(n, c) for _i, n, c in BAD_FILES], ids=[i for i, _n, _c in BAD_FILES])
def test_a_file_that_is_not_a_document_is_a_400_on_file_and_nothing_is_kept(api, people, name, content):
    subject = application("in_review", people)
    before = subject.documents.count()

    response = upload(as_user(api, people["community"]), subject, name=name, content=content)

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert subject.documents.count() == before


def test_a_document_of_an_unknown_kind_is_a_400_on_kind(api, people):
    response = upload(as_user(api, people["community"]), application("in_review", people), kind="selfie")

    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_uploading_needs_the_right_to_and_an_open_application(api, people):
    subject = application("in_review", people)
    refused = upload(as_user(api, people["finance"]), subject)
    assert refused.status_code == 403
    assert refused.json() == {"detail": dutch("You may not do this.")}  # not the permission's code name
    assert upload(as_user(api, people["handyman2"]), subject).status_code == 404
    assert upload(as_user(api, people["handyman"]), subject).status_code == 201  # the household's handyman

    paid = application("paid", people)
    assert upload(as_user(api, people["community"]), paid).status_code == 409


# --- The list -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_households(people):
    """Applications of a household that `handyman` and `community` work on, and of one they do not."""
    ours = [application(state, people) for state in ("draft", "in_review")]
    theirs = {**people, "community": UserFactory(username="community2", role=Role.COMMUNITY_WORKER)}
    others = [application_in("approved", theirs, household__handyman=people["handyman2"],
                             household__community_worker=theirs["community"])]
    return ours, others


@pytest.mark.parametrize(("role", "sees"), [
    ("handyman", "ours"), ("community", "ours"), ("handyman2", "others"),
    ("assessor", "all"), ("finance", "all"), ("coordinator", "all"),
])
def test_the_list_shows_the_applications_of_the_households_a_role_may_see(api, people, two_households, role, sees):
    ours, others = two_households
    expected = {"ours": ours, "others": others, "all": ours + others}[sees]

    response = as_user(api, people[role]).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(expected)
    assert {row["id"] for row in body["results"]} == {application.pk for application in expected}


def test_the_list_is_filtered_by_status(api, people, two_households):
    ours, _others = two_households

    body = as_user(api, people["assessor"]).get(LIST, {"status": "in_review"}).json()

    assert [row["reference"] for row in body["results"]] == [ours[1].reference]
    assert body["results"][0]["requested_grant"] == "4200.00"


def test_an_unknown_status_filter_is_a_400_naming_it(api, people):
    response = as_user(api, people["assessor"]).get(LIST, {"status": "lost"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_the_list_does_not_query_per_application(api, people, django_assert_num_queries,
                                                django_assert_max_num_queries):
    ApplicationFactory.create_batch(2, household__handyman=people["handyman"])
    as_user(api, people["handyman"])
    api.get(LIST)  # warms the caches of the first request
    with django_assert_max_num_queries(6) as few:
        api.get(LIST)
    ApplicationFactory.create_batch(20, household__handyman=people["handyman"])

    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(LIST)
    assert response.json()["count"] == 22


def test_anonymous_callers_get_403(api):
    assert api.get(LIST).status_code == 403


@pytest.mark.parametrize(("field", "value"), [("applicant_name", "Jan\x00"), ("household", "HIL\x00-1"),
                                              ("phone", "06\x00")])
def test_a_nul_character_in_an_answer_is_a_400_on_its_field(api, people, helped, field, value):
    response = as_user(api, people["community"]).post(LIST, answers(helped, **{field: value}), format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_nul_character_in_the_status_filter_is_a_400(api, people):
    assert as_user(api, people["assessor"]).get(f"{LIST}?status=dra%00ft").status_code == 400
