"""The coordinator's view of each handyman's visits per week and workload, and reassigning households."""

urlpatterns = []
