"""Recording the three visits: the intake, the installation (one phone screen) and the evaluation."""

urlpatterns = []
