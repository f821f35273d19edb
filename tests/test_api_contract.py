"""The API does what its OpenAPI schema says: Schemathesis generates requests for every operation of the
whole schema, sends them as the coordinator (token), and checks each answer: no server error, a
documented status code and content type, a body that matches the documented schema.

Bounded: a handful of derandomized examples per operation, so the run takes seconds, not minutes.
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import HouseholdFactory, application_in, assessed_household, product

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def the_served_schema() -> dict:
    """The schema /api/v1/schema/ serves (generated without a request: no database needed at collection)."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(the_served_schema())
schema.app = get_wsgi_application()
schema.config.generation.update(modes=["positive"], max_examples=15, deterministic=True)
# The coverage phase (every boundary of every field) alone takes about a minute on this API; the bounded,
# derandomized fuzzing phase (Hypothesis reaches for extremes such as huge integers by itself) keeps the
# suite fast. Switch the coverage phase on here for a thorough run when the API changes much.
schema.config.phases.coverage.enabled = False


APPLICATIONS: list[int] = []  # the ids of the fixture's applications
PACKAGES: list[int] = []  # of its products packages
VISITS: list[int] = []  # of its visits
EXISTING = {"/api/v1/applications/{id}": APPLICATIONS, "/api/v1/packages/{id}": PACKAGES,
            "/api/v1/visits/{id}": VISITS}


@schema.hook("map_path_parameters")
def name_an_object_that_exists(context, path_parameters):
    """Random ids hardly ever name one of the few applications, packages or visits there are: three in four generated
    paths are made to name one, so the acts are tried on real objects (in the fixture's states), not only answered
    404."""
    ids = next((ids for prefix, ids in EXISTING.items() if context.operation.path.startswith(prefix)), None)
    if ids and path_parameters["id"] % 4:
        path_parameters["id"] = ids[path_parameters["id"] % len(ids)]
    return path_parameters


def packages_and_visits(handyman) -> None:
    """A package approved and one waiting for the coordinator; an intake, an installation and an evaluation planned
    (each of its own household, the visits before it done)."""
    from django.utils import timezone

    from fieldwork import services
    from subsidy import packages

    lamps = {product("LED-lamp").pk: 4}
    PACKAGES[:] = [packages.propose(assessed_household(handyman), by=handyman, items=lamps).pk,
                   packages.propose(assessed_household(handyman), by=handyman,
                                    items={product("Radiatorventilator").pk: 8}).pk]
    findings = {"glazing": "single", "roof_insulation": "none", "floor_insulation": "none", "wall_insulation": "none"}
    VISITS[:] = []
    for kind in ("intake", "installation", "evaluation"):
        household = assessed_household(handyman)
        for step in ("intake", "installation", "evaluation"):
            visit = services.plan_visit(household, by=handyman, planned_at=timezone.now())
            if step == kind:
                VISITS.append(visit.pk)
                break
            if step == "intake":
                services.record_intake(visit, by=handyman, findings=findings)
                PACKAGES.append(packages.propose(household, by=handyman, items=lamps).pk)
            else:
                services.record_installation(visit, by=handyman, quantities=lamps)


@pytest.fixture
def coordinator_token(db, programme, coordinator, handyman, users_by_role):
    # Some households (assigned and not) and applications, so that ids in the generated paths sometimes exist.
    HouseholdFactory.create_batch(3, programme=programme, registered_by=coordinator)
    HouseholdFactory(programme=programme, registered_by=coordinator, handyman=handyman)
    APPLICATIONS[:] = [application_in(state, users_by_role).pk
                       for state in ("draft", "in_review", "approved", "payout_requested")]
    packages_and_visits(handyman)
    return Token.objects.create(user=coordinator).key


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """The app is called as a WSGI server would; like Django's test client, keep the test's database
    connection (and its transaction) open between requests instead of closing it after each one."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    """The limits are tested on their own (tests/eligibility/test_throttle.py); here they would only get in the way."""
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_as_its_schema_says(case, coordinator_token):
    case.call_and_validate(headers={"Authorization": f"Token {coordinator_token}"}, checks=CHECKS)
