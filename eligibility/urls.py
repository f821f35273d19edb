"""Pages of the eligibility app (filled by its issue)."""

app_name = "eligibility"

urlpatterns: list = []
