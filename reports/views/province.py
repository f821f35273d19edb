"""The data-platform export for the province: dwellings per postcode-6, suppressed below 5; CSV and JSON."""

urlpatterns = []
