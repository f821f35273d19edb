"""The "wat als" scenarios: what changes if a rule were different, saved and shown side by side."""

urlpatterns = []
