"""The large-measure application under /api/v1/applications/ (being built)."""

urlpatterns = []
