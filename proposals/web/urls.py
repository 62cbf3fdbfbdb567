"""Proposal pages: list, create, detail with its workflow buttons, the
checklist, observations, the review and the reviews list. Every workflow
step (acknowledging new conflicts included) posts to proposal_act."""

from django.urls import path

from proposals.web import editing, programs, records, views

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", editing.proposal_create, name="proposal_create"),
    path(
        "proposals/new/evaluate/", editing.proposal_evaluate, name="proposal_evaluate"
    ),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", editing.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:pk>/do/<slug:action>/",
        views.proposal_act,
        name="proposal_act",
    ),
    path("proposals/<int:pk>/checklist/", records.checklist_add, name="checklist_add"),
    path(
        "proposals/<int:pk>/checklist/<int:item_pk>/",
        records.checklist_update,
        name="checklist_update",
    ),
    path(
        "proposals/<int:pk>/observations/",
        records.observation_add,
        name="observation_add",
    ),
    path("proposals/<int:pk>/review/", records.review_edit, name="review_edit"),
    path("reviews/", records.review_list, name="reviews"),
    path(
        "programs/<int:pk>/propose-all/",
        programs.program_propose_all_view,
        name="program_propose_all",
    ),
]
