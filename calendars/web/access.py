"""Page access, the same rules as the API (accounts.permissions): other plants
are not found (404), a missing role is forbidden (403), anonymous users are
sent to sign in (the views' login_required)."""

from django.shortcuts import get_object_or_404

from accounts.permissions import require
from calendars.models import Plant
from calendars.selectors import plants_visible_to, plants_where

__all__ = ["plant_get", "plants_where", "require"]


def plant_get(user, code: str) -> Plant:
    """A plant the user may see, or 404."""
    return get_object_or_404(plants_visible_to(user), code=code)
