"""Pages of the eligibility app: the public self-check and DIY calculator (no login)."""

from django.urls import path

from eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("self-check/", views.self_check, name="self_check"),
    path("diy-calculator/", views.diy_calculator, name="diy_calculator"),
]
