"""REST API under /api/ (see the REST API issue)."""

urlpatterns: list = []
