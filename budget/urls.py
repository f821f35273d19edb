"""Pages of the budget app (filled by its issue)."""

app_name = "budget"

urlpatterns: list = []
