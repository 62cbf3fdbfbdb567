"""Go-live planning endpoints: rollouts, recommendations, evaluations and the
window state deployment tools poll."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rollout.api import views

router = SimpleRouter()
router.register("rollouts", views.RolloutViewSet, basename="rollout")

urlpatterns = [
    path(
        "plants/<str:code>/recommendations/",
        views.RecommendationsView.as_view(),
        name="plant-recommendations",
    ),
    path(
        "plants/<str:code>/window-state/",
        views.WindowStateView.as_view(),
        name="plant-window-state",
    ),
    path("evaluations/", views.EvaluationView.as_view(), name="evaluations"),
    *router.urls,
]
