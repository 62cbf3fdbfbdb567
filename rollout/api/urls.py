"""REST API under /api/. OpenAPI schema at /api/schema/, Swagger UI at /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from rollout.api.views import auth, calendar, planning

router = SimpleRouter()
router.register("plants", calendar.PlantViewSet, basename="plant")
router.register("peak-seasons", calendar.PeakSeasonViewSet, basename="peak-season")
router.register("milestones", calendar.MilestoneViewSet, basename="milestone")
router.register("blackouts", calendar.BlackoutViewSet, basename="blackout")
router.register(
    "calendar-exceptions",
    calendar.CalendarExceptionViewSet,
    basename="calendar-exception",
)
router.register("rollouts", planning.RolloutViewSet, basename="rollout")

urlpatterns: list = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="api-token-obtain"),
    path("auth/tokens/", auth.TokenListView.as_view(), name="api-token-list"),
    path(
        "auth/tokens/<str:token_key>/",
        auth.TokenRevokeView.as_view(),
        name="api-token-revoke",
    ),
    path("auth/feed-token/", auth.FeedTokenView.as_view(), name="api-feed-token"),
    path(
        "plants/<str:code>/production-plans/",
        calendar.ProductionPlanView.as_view(),
        name="plant-production-plans",
    ),
    path(
        "plants/<str:code>/calendar/",
        calendar.PlantCalendarView.as_view(),
        name="plant-calendar",
    ),
    path(
        "plants/<str:code>/recommendations/",
        planning.RecommendationsView.as_view(),
        name="plant-recommendations",
    ),
    path(
        "plants/<str:code>/window-state/",
        planning.WindowStateView.as_view(),
        name="plant-window-state",
    ),
    path("evaluations/", planning.EvaluationView.as_view(), name="evaluations"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("proposals/", include("rollout.proposals.api_urls")),
    # Last: any other /api/ URL is a JSON 404 like the API's own, not the
    # site's HTML page (nor a slash-appending redirect that drops a POST body).
    re_path(r"^", lambda request, *args, **kwargs: _not_found()),
]


def _not_found() -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)
