from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.login import LoginView
from accounts.viewlog_views import view_log

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("privacy/wie-keek/", view_log, name="view_log"),
]
