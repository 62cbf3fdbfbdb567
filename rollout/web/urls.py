"""Server-rendered pages (see the web app issue)."""

urlpatterns: list = []
