"""public pages (being built)"""

urlpatterns = []
