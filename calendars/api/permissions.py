"""Who may write calendar items through the API (accounts.permissions decides)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import permissions as rules


class CanEditCalendarItem(BasePermission):
    """Writes to a season, milestone, blackout or exception: a plant manager of
    its plant (staff for company-wide seasons). Reads: whoever sees it (the
    view's queryset already hides other plants' items: 404)."""

    message = _("You may not change this plant's calendar.")

    def has_permission(self, request, view) -> bool:
        # Only a create is judged here (no role anywhere: refused before the
        # body is read); a change or delete finds its object first, so another
        # plant's object is 404 as on the pages.
        if request.method in SAFE_METHODS or getattr(view, "action", None) != "create":
            return True
        return rules.has_any_role(
            request.user, rules.PLANT_MANAGER
        ) or rules.sees_all_plants(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.can_edit_calendar_item(request.user, obj.plant)
