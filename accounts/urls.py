from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import session_views, staff_views, two_factor_views, views
from accounts.login import LoginView
from accounts.viewlog_views import view_log

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", two_factor_views.second_factor, name="second_factor"),
    path("account/", two_factor_views.account, name="account"),
    path("account/tweede-factor/", two_factor_views.enrol_second_factor, name="enrol_second_factor"),
    path("account/reservecodes/", two_factor_views.backup_codes, name="backup_codes"),
    path("account/overal-uitloggen/", session_views.end_my_sessions, name="end_my_sessions"),
    path("medewerkers/", staff_views.staff, name="staff"),
    path("medewerkers/<int:pk>/overal-uitloggen/", session_views.end_sessions, name="end_sessions"),
    path("medewerkers/<int:pk>/tweede-factor-resetten/", staff_views.reset_second_factor,
         name="reset_second_factor"),
    path("privacy/wie-keek/", view_log, name="view_log"),
]
