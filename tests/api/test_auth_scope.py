"""Every API view keeps the token-scope guard, whoever wrote it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from accounts.api.permissions import TokenScope


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            view = getattr(entry.callback, "cls", None)
            if view is not None and issubclass(view, APIView):
                yield route, view


API_VIEWS = list(_api_views())


def test_the_api_has_views():
    assert len(API_VIEWS) > 10


@pytest.mark.parametrize(("route", "view"), API_VIEWS, ids=[r for r, _ in API_VIEWS])
def test_every_api_view_checks_the_token_scope(route, view):
    permissions = view().get_permissions()

    assert any(isinstance(p, TokenScope) for p in permissions), (
        f"{view.__name__} at {route} sets permission_classes without TokenScope: "
        "start them with accounts.api.permissions.API_PERMISSIONS"
    )
