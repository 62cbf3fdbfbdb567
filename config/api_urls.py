"""REST API under /api/: each app's endpoints, the OpenAPI schema at
/api/schema/ and Swagger UI at /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def _not_found(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns: list = [
    path("", include("accounts.api.urls")),
    path("", include("calendars.api.urls")),
    path("", include("rollout.api.urls")),
    path("proposals/", include("proposals.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # GET only: its OPTIONS answer would render the page without a template.
        SpectacularSwaggerView.as_view(
            url_name="api-schema", http_method_names=["get", "head"]
        ),
        name="api-docs",
    ),
    # Last: any other /api/ URL is a JSON 404 like the API's own, not the
    # site's HTML page (nor a slash-appending redirect that drops a POST body).
    # csrf_exempt: it changes nothing, and a POST without a CSRF token gets
    # the same JSON 404 as any other method.
    re_path(r"^", csrf_exempt(_not_found)),
]
