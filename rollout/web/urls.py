"""Planning pages: the dashboard, the window calendar, rollouts and profiles."""

from django.urls import path

from rollout.web.views import calendar, dashboard, programs, rollouts

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
    path("programs/", programs.program_list, name="programs"),
    path("programs/<int:pk>/", programs.program_detail, name="program"),
    path("programs/<int:pk>/plan/", programs.program_plan_now, name="program_plan"),
    path(
        "programs/<int:pk>/what-if/",
        programs.program_what_if_view,
        name="program_what_if",
    ),
]
