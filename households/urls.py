from django.urls import path

from households import privacy_views, views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("import/", views.household_import, name="import"),
    path("import/template.csv", views.household_import_template, name="import_template"),
    path("import/template.xlsx", views.household_import_template_xlsx, name="import_template_xlsx"),
    path("import/<int:pk>/", views.household_import_status, name="import_status"),
    path("import/<int:pk>/import/", views.household_import_commit, name="import_commit"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/consent/", views.household_consent, name="consent"),
    path("<int:pk>/assign/", views.household_assign, name="assign"),
    path("<int:pk>/close/", views.household_close, name="close"),
    path("<int:pk>/reopen/", views.household_reopen, name="reopen"),
    path("<int:pk>/withdraw-consent/", views.household_withdraw_consent, name="withdraw_consent"),
    path("<int:pk>/erasure/", views.household_request_erasure, name="request_erasure"),
    path("<int:pk>/assess/", views.household_assess, name="assess"),
    path("privacy/", privacy_views.privacy_statements, name="privacy_statements"),
    path("privacy/new/", privacy_views.privacy_statement_new, name="privacy_statement_new"),
    path("privacyverklaring/<slug:programme>/", privacy_views.privacy_statement_current,
         name="privacy_statement_current"),
    path("privacyverklaring/<slug:programme>/<str:version>/", privacy_views.privacy_statement,
         name="privacy_statement"),
    path("<int:pk>/inzage/", views.household_inzage_request, name="inzage_request"),
    path("inzage/<int:pk>/", views.household_inzage, name="inzage"),
    path("inzage/<int:pk>/<slug:file_format>/", views.household_inzage_download, name="inzage_download"),
]
