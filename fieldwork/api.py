"""The visits under /api/v1/visits/ (issue 12, item 10)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
