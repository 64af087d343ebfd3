from rest_framework.routers import DefaultRouter

from kb.api import ArticleViewSet, SessionViewSet
from practices.api import FindingViewSet, PracticeViewSet

router = DefaultRouter()
router.register("practices", PracticeViewSet, basename="practice")
router.register("findings", FindingViewSet, basename="finding")
router.register("sessions", SessionViewSet, basename="session")
router.register("articles", ArticleViewSet, basename="article")

app_name = "api"
urlpatterns = router.urls
