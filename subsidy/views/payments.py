"""payments pages (being built)"""

urlpatterns = []
