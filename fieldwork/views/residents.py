"""The resident's report (PDF) after the intake and after the installation: its download."""

urlpatterns = []
