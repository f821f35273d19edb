"""review pages (being built)"""

urlpatterns = []
