"""DRF permission classes of the API.

`TokenScope` is a default permission class (settings.REST_FRAMEWORK), so it
guards every API view, including ones written elsewhere. A view that sets its
own `permission_classes` must keep it: use `API_PERMISSIONS` as the start of
the list (tests/api/test_auth_scope.py checks every /api/ view).

Who may do what (roles, plants) is decided in accounts.permissions; the
classes here and in each app's api/permissions.py only apply it to requests.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from accounts.models import ApiToken


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
