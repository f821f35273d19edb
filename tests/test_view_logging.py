"""Who looked (issue 14): every page and file that shows a household's personal data logs one look.

Walks the access matrix's URLs (tests/<app>/access.py) the way tests/test_access_matrix.py does: for each URL named in
PERSONAL, every role that gets 200 leaves exactly one ViewLog row naming the right data subject, and every refused
role none. The guard test makes each new page of households, subsidy, fieldwork (and their API) with an object in its
address decide: personal (logged) or not personal, with the reason.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ViewLog
from fieldwork.models import DefectReport, ResidentReport, Visit
from households.models import Household, InzageExport
from reports.models import ProvinceExport
from subsidy.models import Application, Package
from tests.access import ROLES, Context, access_modules

K = ViewLog.Kind


def household(name="pk"):
    return lambda kwargs: f"household:{kwargs[name]}"


def of(model, name="pk", field="household_id"):
    return lambda kwargs: f"household:{getattr(model.objects.get(pk=kwargs[name]), field)}"


def resident_report(kwargs):
    return f"household:{ResidentReport.objects.select_related('visit').get(pk=kwargs['pk']).visit.household_id}"


def province_export(kwargs):
    """Only an export per address holds personal data; the other levels are figures (nothing logged)."""
    export = ProvinceExport.objects.get(pk=kwargs["pk"])
    return f"province-export:{export.pk}" if export.level == ProvinceExport.Level.ADDRESS else None


def inzage_export(kwargs):
    return f"household:{InzageExport.objects.get(pk=kwargs['pk']).household_id}"


# URL name → (kind, the data subject the look is logged for, from the URL's kwargs).
PERSONAL = {
    "households:detail": (K.PAGE, household()),
    "households:edit": (K.PAGE, household()),
    "households:consent": (K.PAGE, household()),
    "households:assign": (K.PAGE, household()),
    "households:close": (K.PAGE, household()),
    "households:reopen": (K.PAGE, household()),
    "households:withdraw_consent": (K.PAGE, household()),
    "households:request_erasure": (K.PAGE, household()),
    "subsidy:application": (K.PAGE, of(Application)),
    "subsidy:document": (K.DOCUMENT, of(Application)),
    "subsidy:letter": (K.LETTER, of(Application)),
    "subsidy:apply_for_household": (K.PAGE, household("household_pk")),
    "subsidy:propose_package": (K.PAGE, household("household_pk")),
    "subsidy:package": (K.PAGE, of(Package)),
    "subsidy:mark_paid": (K.PAGE, of(Application)),
    "subsidy:payment_batch_download": (K.EXPORT, lambda kwargs: f"payment-batch:{kwargs['pk']}"),
    "fieldwork:plan_visit": (K.PAGE, household()),
    "fieldwork:refer": (K.PAGE, household()),
    "fieldwork:report_defect": (K.PAGE, household()),
    "fieldwork:reschedule_visit": (K.PAGE, of(Visit)),
    "fieldwork:update_defect": (K.PAGE, of(DefectReport)),
    "fieldwork:visit": (K.PAGE, of(Visit)),
    "fieldwork:record_intake": (K.PAGE, of(Visit)),
    "fieldwork:record_installation": (K.PAGE, of(Visit)),
    "fieldwork:record_evaluation": (K.PAGE, of(Visit)),
    "fieldwork:reassign": (K.PAGE, household("household_pk")),
    "fieldwork:resident_report": (K.LETTER, resident_report),
    "reports:province_download": (K.EXPORT, province_export),
    "reports:list_export_download": (K.EXPORT, lambda kwargs: f"list-export:{kwargs['pk']}"),
    "households:inzage_download": (K.EXPORT, inzage_export),
    "api-v1:household-detail": (K.PAGE, household()),
    "api-v1:application-detail": (K.PAGE, of(Application)),
    "api-v1:package-detail": (K.PAGE, of(Package)),
    "api-v1:visit-detail": (K.PAGE, of(Visit)),
}

# Pages with an object in their address that show no one's personal data, or whose look is logged elsewhere.
NOT_PERSONAL = {
    "households:assess": "POST only: an act, in the household's audit trail",
    "households:import_status": "an import's progress and refusals, for the coordinator who uploaded the file",
    "households:import_commit": "POST only: an act, audited",
    "households:inzage_request": "POST only: an act, audited",
    "households:inzage": "an export's progress and its two buttons; the household's reference only (downloads logged)",
    "subsidy:status": "the applicant's own status link: no staff member looking",
    "subsidy:status_upload": "the applicant's own status link (POST)",
    "subsidy:status_provide_info": "the applicant's own status link (POST)",
    "subsidy:status_payout": "the applicant's own status link (POST)",
    "subsidy:status_withdraw": "the applicant's own status link",
    "subsidy:status_document": "the applicant's own document through their status link",
    "subsidy:status_letter": "the applicant's own letter through their status link",
    **{f"subsidy:act_{name}": "POST only: an act on the application, audited" for name in (
        "add_document", "approve", "check_diy_area", "extend_term", "provide_info", "reject", "request_info",
        "request_payout", "set_payout", "start_review", "withdraw")},
    "subsidy:cancel_package": "POST only: an act, audited",
    "subsidy:decide_package": "POST only: an act, audited",
    "subsidy:edit_product": "a product of the catalogue",
    "subsidy:set_price": "a product of the catalogue",
    "subsidy:payment_batch": "a list of the batch's payments (the file's download is logged)",
    "fieldwork:handle_referral": "POST only: an act, audited",
    "fieldwork:handyman_week": "a list of a handyman's households (opening one is logged)",
    "fieldwork:reassign_many": "POST only: an act, audited",
    "api-v1:application-approve": "POST only: an act, audited",
    "api-v1:application-documents": "POST only: a document added, audited",
    "api-v1:application-mark-paid": "POST only: an act, audited",
    "api-v1:application-provide-info": "POST only: an act, audited",
    "api-v1:application-reject": "POST only: an act, audited",
    "api-v1:application-request-info": "POST only: an act, audited",
    "api-v1:application-request-payout": "POST only: an act, audited",
    "api-v1:application-set-payout": "POST only: an act, audited",
    "api-v1:application-start-review": "POST only: an act, audited",
    "api-v1:application-submit": "POST only: an act, audited",
    "api-v1:application-withdraw": "POST only: an act, audited",
    "api-v1:package-approve-override": "POST only: an act, audited",
    "api-v1:package-cancel": "POST only: an act, audited",
    "api-v1:package-decline": "POST only: an act, audited",
    "api-v1:package-install": "POST only: an act, audited",
    "api-v1:visit-evaluation": "POST only: an act, audited",
    "api-v1:visit-installation": "POST only: an act, audited",
    "api-v1:visit-intake": "POST only: an act, audited",
    "api-v1:visit-reschedule": "POST only: an act, audited",
}

GUARDED_NAMESPACES = ("households:", "subsidy:", "fieldwork:", "api-v1:household", "api-v1:application",
                      "api-v1:package", "api-v1:visit")


def _objects_in_address():
    """Every named URL with an object's id or token in its address: (name, its kwargs' names)."""
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace
                                else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names = set(pattern.pattern.regex.groupindex)
                if any(re.fullmatch(r"(\w+_)?pk|token", name) for name in names):
                    yield f"{namespace}{pattern.name}"
    return set(walk(get_resolver().url_patterns))


def test_every_page_with_an_object_in_its_address_decided_whether_it_is_personal():
    guarded = {name for name in _objects_in_address() if name.startswith(GUARDED_NAMESPACES)}

    undecided = sorted(guarded - PERSONAL.keys() - NOT_PERSONAL.keys())
    both = sorted(PERSONAL.keys() & NOT_PERSONAL.keys())
    assert undecided == [], f"Decide for these pages: logged (PERSONAL) or not (NOT_PERSONAL, with why): {undecided}"
    assert both == []


CASES = [
    pytest.param(module.__name__, index, id=f"{url.name} #{index}")
    for module in access_modules()
    for index, url in enumerate(module.URLS)
    if url.name in PERSONAL and url.method == "get"
]


def test_every_personal_page_is_walked():
    walked = {module.URLS[index].name for module in access_modules() for index, url in enumerate(module.URLS)
              if url.name in PERSONAL and url.method == "get"}
    assert walked == set(PERSONAL)


def _is_the_whole_page_or_file(response) -> bool:
    """A download, an API record or a page with its <html>: not an htmx fragment of a page."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return True
    return b"<html" in response.content


@pytest.mark.parametrize(("module_name", "index"), CASES)
def test_a_look_at_personal_data_is_logged_once_and_a_refusal_not_at_all(client, users_by_role, programme,
                                                                          module_name, index):
    _walk(client, users_by_role, programme, module_name, index, headers={})


@pytest.mark.parametrize(("module_name", "index"), CASES)
def test_the_htmx_header_does_not_hide_a_look_at_the_whole_page_or_file(client, users_by_role, programme,
                                                                        module_name, index):
    """`HX-Request: true` is a header anyone can send: whenever the answer is still the whole page, the file or the
    API record (not a part of a page), the look is logged as without it."""
    _walk(client, users_by_role, programme, module_name, index, headers={"HX-Request": "true"})


def _walk(client, users_by_role, programme, module_name, index, *, headers):
    module = next(m for m in access_modules() if m.__name__ == module_name)
    url = module.URLS[index]
    objects = module.build(Context(users=users_by_role, programme=programme)) if hasattr(module, "build") else {}
    kwargs = url.kwargs(objects) if url.kwargs else {}
    path = reverse(url.name, kwargs=kwargs)
    data = url.data(objects) if callable(url.data) else (url.data or {})
    kind, subject_of = PERSONAL[url.name]
    subject = subject_of(kwargs)

    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users_by_role[role])
        before = ViewLog.objects.count()

        response = client.get(path, data=data, headers=headers)

        rows = list(ViewLog.objects.order_by("pk")[before:])
        if response.status_code == 200 and subject is not None and _is_the_whole_page_or_file(response):
            assert [(row.subject_key, row.kind, row.user_id) for row in rows] == [
                (subject, kind, users_by_role[role].pk)], f"GET {path} as {role}"
            assert rows[0].what.startswith(url.name), rows[0].what
        else:
            assert rows == [], f"GET {path} as {role}: {response.status_code}, yet logged"


def test_a_post_that_shows_the_form_again_is_not_a_new_look(client, coordinator, programme):
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(programme=programme)
    client.force_login(coordinator)

    client.post(reverse("households:edit", args=[household.pk]), {})

    assert not ViewLog.objects.exists()


# --- The API's lists: the household list gives each household's income, phone, e-mail and address -----------------

API_LISTS_WITH_PERSONAL_DATA = {
    # URL name → what a row holds that is personal (the others: a reference, amounts, dates; no one's name).
    "api-v1:household-list": "the whole household: name, income, phone, e-mail, address",
    "api-v1:application-list": "the applicant's name",
}


@pytest.mark.parametrize("url_name", API_LISTS_WITH_PERSONAL_DATA)
def test_an_api_list_with_personal_data_logs_one_look_per_household_on_the_page(api, coordinator, handyman,
                                                                                programme, url_name):
    from tests.factories import ApplicationFactory, HouseholdFactory

    households = HouseholdFactory.create_batch(3, programme=programme, handyman=handyman)
    ApplicationFactory(household=households[0])
    ApplicationFactory(household=households[0])  # two of one household: still one look at it
    ApplicationFactory(household=households[1])
    api.force_authenticate(coordinator)

    response = api.get(reverse(url_name))

    assert response.status_code == 200
    rows = response.json()["results"]
    on_the_page = {f"household:{row['household'] if 'household' in row else row['id']}" for row in rows}
    logged = list(ViewLog.objects.values_list("subject_key", "subject_label", "kind", "what", "user_id"))
    assert sorted(logged) == sorted(
        (key, Household.objects.get(pk=key.split(":")[1]).reference, K.PAGE, url_name, coordinator.pk)
        for key in on_the_page)
    assert len(on_the_page) >= 2


def test_a_refused_or_past_the_end_api_list_logs_nothing(api, handyman, community_worker, programme):
    from tests.factories import HouseholdFactory

    HouseholdFactory(programme=programme, handyman=handyman)
    api.force_authenticate(handyman)
    assert api.get(reverse("api-v1:household-list"), {"page": 9}).status_code == 404
    assert api.get(reverse("api-v1:household-list"), {"status": "lost"}).status_code == 400

    assert not ViewLog.objects.exists()


@pytest.mark.parametrize("url_name", API_LISTS_WITH_PERSONAL_DATA)
def test_an_api_lists_looks_are_one_insert_whatever_the_number_of_rows(api, coordinator, handyman, programme,
                                                                       url_name, django_assert_num_queries):
    from tests.factories import ApplicationFactory, HouseholdFactory

    def more(count):
        for household in HouseholdFactory.create_batch(count, programme=programme, handyman=handyman):
            ApplicationFactory(household=household)

    more(2)
    api.force_authenticate(coordinator)
    api.get(reverse(url_name))  # warms the caches of the first request
    with CaptureQueriesContext(connection) as few:
        api.get(reverse(url_name))
    more(20)

    with django_assert_num_queries(len(few.captured_queries)):
        api.get(reverse(url_name))
    assert [query["sql"] for query in few.captured_queries if query["sql"].startswith('INSERT INTO "accounts_viewlog"')]


# --- The Django admin: a change page shows one household's data, an export the register ---------------------------


@pytest.fixture
def a_household_in_the_admin(programme, handyman):
    from households.services import record_consent
    from tests.factories import assessed_household

    household = assessed_household(handyman, programme=programme)
    if not household.consents.exists():
        record_consent(household, by=handyman, statement_version="2022-1", given_on=household.created_at.date(),
                       processing=True, share_address_level=False)
    return household


def _admin_pages(household):
    from eligibility.models import Assessment
    from households.models import Consent

    return {
        "admin:households_household_change": household.pk,
        "admin:households_dwelling_change": household.dwelling.pk,
        "admin:households_consent_change": Consent.objects.filter(household=household).first().pk,
        "admin:eligibility_assessment_change": Assessment.objects.filter(household=household).first().pk,
    }


def test_an_admin_change_page_of_a_household_or_what_is_its_own_is_a_look_at_it(staff_client, coordinator,
                                                                                a_household_in_the_admin):
    household = a_household_in_the_admin
    for url_name, pk in _admin_pages(household).items():
        before = ViewLog.objects.count()

        response = staff_client.get(reverse(url_name, args=[pk]))

        assert response.status_code == 200, url_name
        rows = list(ViewLog.objects.order_by("pk")[before:])
        assert [(row.subject_key, row.subject_label, row.kind, row.what, row.user_id) for row in rows] == [
            (f"household:{household.pk}", household.reference, K.PAGE, url_name, coordinator.pk)], url_name


def test_an_admin_change_page_refused_is_no_look(client, handyman, a_household_in_the_admin):
    handyman.is_staff = True  # in the admin, without the model permissions
    handyman.save()
    client.force_login(handyman)

    for url_name, pk in _admin_pages(a_household_in_the_admin).items():
        assert client.get(reverse(url_name, args=[pk])).status_code in (302, 403), url_name

    assert not ViewLog.objects.exists()


def test_an_admin_export_of_the_register_is_one_look(staff_client, coordinator, a_household_in_the_admin):
    from import_export.formats.base_formats import CSV

    url = reverse("admin:households_household_export")
    form = staff_client.get(url).context["form"]
    assert not ViewLog.objects.exists()  # the form is not the data
    data = {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
    data["format"] = next(value for value, label in form.fields["format"].choices if label == CSV().get_title())
    data["resource"] = form.fields["resource"].initial or "0"

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert a_household_in_the_admin.reference in response.content.decode()
    assert list(ViewLog.objects.values_list("subject_key", "kind", "user_id")) == [
        ("admin-export:households.household", K.EXPORT, coordinator.pk)]
