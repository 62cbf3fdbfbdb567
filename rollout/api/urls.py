"""Go-live planning endpoints: rollouts, recommendations, evaluations and the
window state deployment tools poll."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rollout.api import program_views, views

router = SimpleRouter()
router.register("rollouts", views.RolloutViewSet, basename="rollout")
router.register("programs", program_views.ProgramViewSet, basename="program")

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
    path(
        "plants/<str:code>/scores/",
        program_views.PlantScoresView.as_view(),
        name="plant-scores",
    ),
    path(
        "programs/<int:pk>/plan/",
        program_views.ProgramPlanView.as_view(),
        name="program-plan",
    ),
    path(
        "programs/<int:pk>/what-if/",
        program_views.ProgramWhatIfView.as_view(),
        name="program-what-if",
    ),
    *router.urls,
]
