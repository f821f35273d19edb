"""Routes of the eligibility app under /api/v1/ (filled by its issue)."""

urlpatterns: list = []
