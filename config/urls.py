"""Root URLs. Each app has its own `urls.py` (pages) and `api.py` (routes under /api/v1/)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.views import health

api_v1 = [
    path("", include("households.api")),
    path("", include("eligibility.api")),
    path("", include("budget.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-v1:schema"), name="redoc"),
]

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api-v1"))),
    path("households/", include("households.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("budget/", include("budget.urls")),
    path("", include("accounts.urls")),
]
