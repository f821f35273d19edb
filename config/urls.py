"""Root URLs. Each app has its own `urls.py` (pages) and `api.py` (routes under /api/v1/)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.views import health

# Static files from a CDN (DJANGO_STATIC_URL): their origin stays allowed where a page replaces a directive.
STATIC_ORIGINS = [settings.STATIC_ORIGIN] if settings.STATIC_ORIGIN else []
# ReDoc styles itself with inline <style> elements it creates at run time, searches in a Web Worker
# started from a blob: URL and always shows its maker's logo from their CDN (in the menu's footer). Only
# its page gets that; its scripts still come from our own static files only.
REDOC_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, *STATIC_ORIGINS],
             "worker-src": [CSP.SELF, "blob:"], "img-src": [CSP.SELF, "data:", "https://cdn.redoc.ly", *STATIC_ORIGINS]}
# Swagger UI sets style attributes from its script.
DOCS_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, *STATIC_ORIGINS]}

api_v1 = [
    path("", include("households.api")),
    path("", include("eligibility.api")),
    path("", include("budget.api")),
    path("", include("subsidy.api")),
    path("", include("fieldwork.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema")), name="docs"),
    path("redoc/", csp_override(REDOC_CSP)(
        SpectacularRedocView.as_view(url_name="api-v1:schema", template_name="api/redoc.html")), name="redoc"),
]

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api-v1"))),
    path("households/", include("households.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("budget/", include("budget.urls")),
    path("", include("subsidy.urls")),
    path("", include("fieldwork.urls")),
    path("", include("reports.urls")),
    path("", include("accounts.urls")),
]
