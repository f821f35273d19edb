"""The programme report: its page (figures and charts for a date range and a programme), PDF and xlsx."""

urlpatterns = []
