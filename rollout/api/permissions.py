"""DRF permission classes of the API.

`TokenScope` is a default permission class (settings.REST_FRAMEWORK), so it
guards every API view, including ones written elsewhere. A view that sets its
own `permission_classes` must keep it: use `API_PERMISSIONS` as the start of
the list (tests/api/test_auth_scope.py checks every /api/ view).

Who may do what (roles, plants) is decided in rollout.permissions; these
classes only apply it to requests.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from calendars.models import Plant
from rollout import permissions as rules
from rollout.models import ApiToken


class TokenScope(BasePermission):
    """What the token a request came with allows, whatever its user could do.

    - session or read_write token: no limit here (the user's roles decide);
    - read_only token: GET/HEAD/OPTIONS only, plus the methods a view lists in
      `read_only_token_methods` because they change nothing (POST
      /api/evaluations/ computes a score; POST /api/auth/feed-token/ issues a
      read-only feed token);
    - feed token: nothing; it opens iCalendar feeds only.
    """

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        if token.scope == ApiToken.Scope.READ_WRITE:
            return True
        if token.scope == ApiToken.Scope.READ_ONLY:
            if request.method in SAFE_METHODS or request.method in getattr(
                view, "read_only_token_methods", ()
            ):
                return True
            self.message = _("This API token is read-only.")
            return False
        self.message = _("Feed tokens only open calendar feeds, not the API.")
        return False


# Every API view starts its permission_classes with these.
API_PERMISSIONS = (TokenScope, IsAuthenticated)


class CanEditCalendarItem(BasePermission):
    """Writes to a season, milestone, blackout or exception: a plant manager of
    its plant (staff for company-wide seasons). Reads: whoever sees it (the
    view's queryset already hides other plants' items: 404)."""

    message = _("You may not change this plant's calendar.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # No calendar role anywhere: refused before the body is even read.
        return rules.has_any_role(
            request.user, rules.PLANT_MANAGER
        ) or rules.sees_all_plants(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.can_edit_calendar_item(request.user, obj.plant)


class CanPlanRollout(BasePermission):
    """Writes to a rollout: an IT lead at every plant it touches."""

    message = _("You may not plan rollouts for these plants.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return rules.has_any_role(request.user, rules.IT_LEAD)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # Every plant of the rollout, not only those the user sees.
        return rules.can_plan_rollout_at(
            request.user, Plant.objects.filter(rollouts=obj)
        )
