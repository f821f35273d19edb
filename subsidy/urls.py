from subsidy.views import payments, public, review

app_name = "subsidy"
urlpatterns = [*public.urlpatterns, *review.urlpatterns, *payments.urlpatterns]
