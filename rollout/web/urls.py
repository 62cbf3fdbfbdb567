"""Planning pages: the dashboard, the window calendar, rollouts and profiles."""

from django.urls import path

from rollout.web.views import calendar, dashboard, rollouts

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("plants/<slug:code>/calendar/", calendar.window_calendar, name="calendar"),
    path(
        "plants/<slug:code>/calendar/evaluate/",
        calendar.day_evaluation,
        name="evaluate",
    ),
    path("rollouts/", rollouts.rollout_list, name="rollouts"),
    path("rollouts/new/", rollouts.rollout_edit, name="rollout_create"),
    path("rollouts/<int:pk>/", rollouts.rollout_edit, name="rollout_edit"),
    path("profiles/<int:pk>/", rollouts.profile_edit, name="profile_edit"),
]
