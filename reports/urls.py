from reports.views import exports, programme, province, scenarios

app_name = "reports"
urlpatterns = [*programme.urlpatterns, *scenarios.urlpatterns, *province.urlpatterns, *exports.urlpatterns]
