"""Server-rendered pages."""

from django.urls import path

from rollout.web.templatetags import install as install_template_libraries
from rollout.web.views import (
    account,
    calendar,
    calendar_data,
    dashboard,
    proposal_records,
    proposals,
    rollouts,
)

install_template_libraries()

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("language/", account.language_set, name="language"),
    path("plants/", account.plant_list, name="plants"),
    path("plants/<slug:code>/calendar/", calendar.window_calendar, name="calendar"),
    path(
        "plants/<slug:code>/calendar/evaluate/",
        calendar.day_evaluation,
        name="evaluate",
    ),
    path("plants/<slug:code>/data/", calendar_data.calendar_data, name="calendar_data"),
    path(
        "plants/<slug:code>/data/<slug:kind>/new/",
        calendar_data.item_edit,
        name="item_create",
    ),
    path(
        "plants/<slug:code>/data/<slug:kind>/<int:pk>/",
        calendar_data.item_edit,
        name="item_edit",
    ),
    path(
        "plants/<slug:code>/data/<slug:kind>/<int:pk>/delete/",
        calendar_data.item_delete,
        name="item_delete",
    ),
    path("plants/<slug:code>/plan/", calendar_data.plans, name="plans"),
    path(
        "plants/<slug:code>/plan/preview/",
        calendar_data.plan_preview,
        name="plan_preview",
    ),
    path(
        "plants/<slug:code>/plan/import/",
        calendar_data.plan_import_confirm,
        name="plan_import",
    ),
    path(
        "plants/<slug:code>/plan/<int:pk>/toggle/",
        calendar_data.plan_toggle,
        name="plan_toggle",
    ),
    path("rollouts/", rollouts.rollout_list, name="rollouts"),
    path("rollouts/new/", rollouts.rollout_edit, name="rollout_create"),
    path("rollouts/<int:pk>/", rollouts.rollout_edit, name="rollout_edit"),
    path("profiles/<int:pk>/", rollouts.profile_edit, name="profile_edit"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path(
        "proposals/new/evaluate/",
        proposals.proposal_evaluate,
        name="proposal_evaluate",
    ),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:pk>/do/<slug:action>/",
        proposals.proposal_act,
        name="proposal_act",
    ),
    path(
        "proposals/<int:pk>/checklist/",
        proposal_records.checklist_add,
        name="checklist_add",
    ),
    path(
        "proposals/<int:pk>/checklist/<int:item_pk>/",
        proposal_records.checklist_update,
        name="checklist_update",
    ),
    path(
        "proposals/<int:pk>/observations/",
        proposal_records.observation_add,
        name="observation_add",
    ),
    path(
        "proposals/<int:pk>/acknowledge/",
        proposal_records.conflicts_acknowledge,
        name="conflicts_acknowledge",
    ),
    path(
        "proposals/<int:pk>/review/", proposal_records.review_edit, name="review_edit"
    ),
    path("reviews/", proposal_records.review_list, name="reviews"),
]
