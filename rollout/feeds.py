"""iCalendar feeds of a plant's calendar (see the REST API issue)."""

urlpatterns: list = []
