"""Plant pages: the plant list, calendar data and the production plan."""

from django.urls import path

from calendars.web import calendar_import, views

urlpatterns = [
    path("plants/", views.plant_list, name="plants"),
    path("plants/<slug:code>/data/", views.calendar_data, name="calendar_data"),
    path(
        "plants/<slug:code>/data/import/",
        calendar_import.calendar_import,
        name="calendar_import",
    ),
    path(
        "plants/<slug:code>/data/import/confirm/",
        calendar_import.calendar_import_confirm,
        name="calendar_import_confirm",
    ),
    path(
        "plants/<slug:code>/data/suggested-seasons/",
        views.suggested_season_accept,
        name="suggested_season_accept",
    ),
    path(
        "plants/<slug:code>/data/<slug:kind>/new/", views.item_edit, name="item_create"
    ),
    path(
        "plants/<slug:code>/data/<slug:kind>/<int:pk>/",
        views.item_edit,
        name="item_edit",
    ),
    path(
        "plants/<slug:code>/data/<slug:kind>/<int:pk>/delete/",
        views.item_delete,
        name="item_delete",
    ),
    path("plants/<slug:code>/plan/", views.plans, name="plans"),
    path("plants/<slug:code>/plan/preview/", views.plan_preview, name="plan_preview"),
    path(
        "plants/<slug:code>/plan/import/",
        views.plan_import_confirm,
        name="plan_import",
    ),
    path(
        "plants/<slug:code>/plan/<int:pk>/toggle/",
        views.plan_toggle,
        name="plan_toggle",
    ),
]
