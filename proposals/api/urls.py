"""Proposal endpoints under /api/proposals/.

Ids are matched as text so that /api/proposals/abc/ is the API's JSON 404, not
the site's HTML one; the views turn them into numbers.
"""

from django.urls import path

from proposals.api import views as api

app_name = "proposals"

urlpatterns = [
    path("", api.ProposalListView.as_view(), name="list"),
    path("needs-action/", api.NeedsActionView.as_view(), name="needs-action"),
    path("reviews/", api.ReviewListView.as_view(), name="reviews"),
    path("<str:pk>/", api.ProposalDetailView.as_view(), name="detail"),
    path("<str:pk>/checklist/", api.ChecklistView.as_view(), name="checklist"),
    path(
        "<str:pk>/checklist/<str:item_pk>/",
        api.ChecklistItemView.as_view(),
        name="checklist-item",
    ),
    path(
        "<str:pk>/observations/",
        api.ObservationListView.as_view(),
        name="observations",
    ),
    path("<str:pk>/review/", api.ReviewView.as_view(), name="review"),
    *(
        path(f"<str:pk>/{name}/", view.as_view(), name=name)
        for name, view in api.ACTION_VIEWS.items()
    ),
]
