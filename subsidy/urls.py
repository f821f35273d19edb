from subsidy.views import catalogue, packages, payments, public, review

app_name = "subsidy"
urlpatterns = [*public.urlpatterns, *review.urlpatterns, *payments.urlpatterns, *packages.urlpatterns,
               *catalogue.urlpatterns]
