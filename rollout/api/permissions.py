"""Who may write rollouts through the API (accounts.permissions decides)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import permissions as rules


class CanPlanRollout(BasePermission):
    """Writes to a rollout: an IT lead at every plant it touches."""

    message = _("You may not plan rollouts for these plants.")

    def has_permission(self, request, view) -> bool:
        # Only a create is judged here; a change finds its object first, so
        # another plant's rollout is 404 as on the pages.
        if request.method in SAFE_METHODS or getattr(view, "action", None) != "create":
            return True
        return rules.has_any_role(request.user, rules.IT_LEAD)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # Every plant of the rollout, not only those the user sees.
        return rules.can_change_rollout(request.user, obj)
