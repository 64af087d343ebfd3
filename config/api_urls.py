from rest_framework.routers import DefaultRouter

from practices.api import FindingViewSet, PracticeViewSet
from practices.record_api import ArticleViewSet, SessionViewSet

router = DefaultRouter()
router.register("practices", PracticeViewSet, basename="practice")
router.register("findings", FindingViewSet, basename="finding")
router.register("sessions", SessionViewSet, basename="session")
router.register("articles", ArticleViewSet, basename="article")

app_name = "api"
urlpatterns = router.urls
