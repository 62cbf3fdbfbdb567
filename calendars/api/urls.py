"""Calendar endpoints: plants, their calendar items, production plans and the
daily calendar. The item routes come from the calendar-kind registry."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from calendars.api import calendar_import, feed_tokens, views

router = SimpleRouter()
router.register("plants", views.PlantViewSet, basename="plant")
for slug, viewset, basename in views.item_viewsets():
    router.register(slug, viewset, basename=basename)

urlpatterns = [
    path(
        "auth/feed-token/", feed_tokens.FeedTokenView.as_view(), name="api-feed-token"
    ),
    path(
        "plants/<str:code>/production-plans/",
        views.ProductionPlanView.as_view(),
        name="plant-production-plans",
    ),
    path(
        "plants/<str:code>/calendar-import/",
        calendar_import.CalendarImportView.as_view(),
        name="plant-calendar-import",
    ),
    path(
        "plants/<str:code>/calendar/",
        views.PlantCalendarView.as_view(),
        name="plant-calendar",
    ),
    path(
        "plants/<str:code>/fiscal-periods/",
        views.FiscalPeriodsView.as_view(),
        name="plant-fiscal-periods",
    ),
    path(
        "plants/<str:code>/holiday-anchors/",
        views.HolidayAnchorsView.as_view(),
        name="plant-holiday-anchors",
    ),
    path(
        "plants/<str:code>/suggested-seasons/",
        views.SuggestedSeasonsView.as_view(),
        name="plant-suggested-seasons",
    ),
    *router.urls,
]
