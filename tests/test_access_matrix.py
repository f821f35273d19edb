"""Every URL × every role (and anonymous) answers as declared in tests/<app>/access.py."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import EXEMPT_NAMES, EXEMPT_NAMESPACES, ROLES, Context, access_modules

CASES = [
    pytest.param(module.__name__, index, role, id=f"{url.method.upper()} {url.name} as {role}")
    for module in access_modules()
    for index, url in enumerate(module.URLS)
    for role in ROLES
]


def _named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_has_expectations_for_every_role():
    declared = {url.name for module in access_modules() for url in module.URLS}
    unguarded = sorted(set(_named_urls()) - declared - EXEMPT_NAMES)
    assert unguarded == [], f"URLs without access expectations: {unguarded}"


@pytest.mark.parametrize(("module_name", "index", "role"), CASES)
def test_access(client, users_by_role, programme, module_name, index, role):
    module = next(m for m in access_modules() if m.__name__ == module_name)
    url = module.URLS[index]
    context = Context(users=users_by_role, programme=programme)
    objects = module.build(context) if hasattr(module, "build") else {}
    path = reverse(url.name, kwargs=url.kwargs(objects) if url.kwargs else None)
    data = url.data(objects) if callable(url.data) else (url.data or {})
    if role != "anonymous":
        client.force_login(users_by_role[role])

    send = getattr(client, url.method)
    if url.is_api and url.method != "get":
        response = send(path, data=json.dumps(data), content_type="application/json")
    else:
        response = send(path, data=data)

    assert response.status_code == url.expect[role], (
        f"{url.method.upper()} {path} as {role}: {response.status_code}, expected {url.expect[role]}"
    )
