"""Which plants a user sees, as querysets (the rule is accounts.permissions)."""

from django.db.models import QuerySet

from accounts import permissions
from calendars.models import Plant


def plants_visible_to(user) -> QuerySet[Plant]:
    """The plants the user may see (accounts.permissions.visible)."""
    return permissions.visible(user, Plant.objects.all())


def plants_where(user, check) -> list[Plant]:
    """The visible plants on which `check(user, plant)` holds, e.g. the plants
    whose calendar the user may edit."""
    return [p for p in plants_visible_to(user) if check(user, p)]


def plant_visible_get(*, user, code: str) -> Plant:
    """A plant the user may see; Plant.DoesNotExist otherwise (a 404)."""
    return plants_visible_to(user).get(code=code)
