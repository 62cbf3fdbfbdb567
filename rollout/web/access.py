"""Page access, the same rules as the API: other plants are not found (404), a
missing role is forbidden (403), anonymous users are sent to sign in (the
views' login_required)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from calendars.models import Plant
from rollout import permissions


def plant_get(user, code: str) -> Plant:
    """A plant the user may see, or 404."""
    return get_object_or_404(permissions.plants_visible_to(user), code=code)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def plants_where(user, check) -> list[Plant]:
    """The visible plants on which `check(user, plant)` holds, e.g. the plants
    whose calendar the user may edit."""
    return [p for p in permissions.plants_visible_to(user) if check(user, p)]
