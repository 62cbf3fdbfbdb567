"""REST API under /api/ (see the REST API issue)."""

from django.urls import include, path

urlpatterns: list = [
    path("proposals/", include("rollout.proposals.api_urls")),
]
