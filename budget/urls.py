"""Pages of the budget app (docs/budget.md, "Pages")."""

from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.overview, name="overview"),
]
