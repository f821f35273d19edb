"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): the domain's refusals as responses.

`Refused` → 400 with the sentence on its field; `NotAllowed` and Django's `PermissionDenied` → 403 (a bare
`PermissionDenied`, e.g. from `accounts.roles.ensure_may`, names a permission: it gets NotAllowed's sentence instead);
`Conflict` → 409; Django's `ValidationError` (raised by services) → 400 with an error per field.
The sentences are the ones the pages show. A view may name fields that the API nests under another
key (`nested_error_fields = {"dwelling": {...}}`), as its serializer does.

Besides, what the viewsets share: a list's filters read from the query (`filters_from`), an act as a POST route of
its own (`act_route`), and the serializer mixins below.
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.errors import Conflict, NotAllowed, Refused


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _field_detail(field: str | None, messages: list) -> dict:
    return {field or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}


def _validation_detail(error: DjangoValidationError, view) -> dict:
    if not hasattr(error, "error_dict"):
        return _field_detail(None, error.messages)
    nested = getattr(view, "nested_error_fields", {})
    detail: dict = {}
    for field, messages in error.message_dict.items():
        name = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        parent = next((key for key, fields in nested.items() if field in fields), None)
        (detail.setdefault(parent, {}) if parent else detail)[name] = messages
    return detail


def exception_handler(exc, context):
    view = context.get("view")
    if isinstance(exc, Refused):
        exc = exceptions.ValidationError(_field_detail(exc.field, [exc.message]))
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc.message))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(NotAllowed.default_message))
    elif isinstance(exc, Conflict):
        detail = _field_detail(exc.field, [exc.message]) if exc.field else str(exc.message)
        exc = ConflictError(detail)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc, view))
    return drf_exception_handler(exc, context)


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, except that a value with a NUL character is "not found" instead of a database error
    (PostgreSQL cannot even compare text with NUL)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class RefusesUnknownFields:
    """A serializer mixin: a body naming a field the serializer does not have is a 400 on that field (a typo such as
    "quantitiy" is refused, not silently ignored), together with the other fields' errors."""

    unknown_field_message = _("Unknown field.")

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {str(name): [self.unknown_field_message] for name in data if name not in self.fields}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def filters_from(request, filters_class: type[serializers.Serializer]) -> dict:
    """The list filters `filters_class` declares, read from the request's query (other parameters, such as `page`,
    are left to their own readers) and validated: a bad value is a 400 naming the parameter."""
    filters = filters_class(data={name: value for name, value in request.query_params.items()
                                  if name in filters_class._declared_fields})
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def act_route(name: str, *, acts: dict, prefix: str, handler: str, responses: dict):
    """A viewset's `POST {id}/<name>/` for one act of `acts`, a table `act → (request body, service, summary)`.

    The route hands the request to the viewset's method `handler` as `handler(request, name, request_body,
    service)`; the schema names it `<prefix>_<name>` with the act's summary, its request body and `responses`.
    Assign it in the viewset's body under the act's name (`approve = act_route("approve", ...)`)."""
    request_body, service, summary = acts[name]

    def view(self, request, pk=None):
        return getattr(self, handler)(request, name, request_body, service)

    view.__name__ = name  # the router maps POST to the method of this name
    view = action(detail=True, methods=["post"], url_path=name)(view)
    return extend_schema(operation_id=f"{prefix}_{name}", summary=summary, request=request_body,
                         responses=responses)(view)
