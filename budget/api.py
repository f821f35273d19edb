"""Routes of the budget app under /api/v1/ (filled by its issue)."""

urlpatterns: list = []
