from fieldwork.views import agenda, residents, visits, workload

app_name = "fieldwork"
urlpatterns = [*agenda.urlpatterns, *visits.urlpatterns, *workload.urlpatterns, *residents.urlpatterns]
