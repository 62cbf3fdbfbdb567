"""The site: admin, health check, the REST API, iCalendar feeds and the pages.

The pages of every app share the "web" namespace (`{% url 'web:…' %}`)."""

from django.contrib import admin
from django.urls import include, path

from accounts.web.urls import urlpatterns as accounts_pages
from calendars.web.urls import urlpatterns as calendar_pages
from config.views import healthz
from proposals.web.urls import urlpatterns as proposal_pages
from rollout.web.urls import urlpatterns as rollout_pages

pages = [*accounts_pages, *calendar_pages, *rollout_pages, *proposal_pages]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("config.api_urls")),
    path("", include("calendars.feeds")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((pages, "web"))),
]
