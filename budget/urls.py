"""Pages of the budget app (docs/budget.md, "Pages")."""

from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lines/<int:pk>/", views.ledger, name="ledger"),
    path("lines/<int:pk>/expenditure/", views.book_expenditure, name="book_expenditure"),
    path("entries/<int:pk>/reverse/", views.reverse_entry, name="reverse_entry"),
    path("programmes/<slug:slug>/reallocate/", views.reallocate, name="reallocate"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
