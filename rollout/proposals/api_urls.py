"""Proposal endpoints under /api/proposals/ (see the proposal workflow issue)."""

urlpatterns: list = []
