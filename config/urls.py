from django.contrib import admin
from django.urls import include, path

from config.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("rollout.api.urls")),
    path("", include("rollout.feeds")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("rollout.web.urls")),
]
