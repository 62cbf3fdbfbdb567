"""What a locked-out sign-in gets (settings.AXES_LOCKOUT_CALLABLE) and which
address failures are counted against (settings.AXES_CLIENT_IP_CALLABLE)."""

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle


def cool_off_minutes() -> int:
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    return max(1, math.ceil(seconds / 60))


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """JSON {"detail": ...} under /api/, the site's lockout page elsewhere;
    HTTP 429 with Retry-After (the cool-off) either way."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=status)
    else:
        response = render(
            request,
            "accounts/lockout.html",
            {"message": lockout_message(), "title": _("Sign-in locked")},
            status=status,
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def client_ip(request) -> str:
    """The client's address as the API throttles see it: REMOTE_ADDR, or the
    X-Forwarded-For entry REST_FRAMEWORK["NUM_PROXIES"] proxies from the end."""
    return BaseThrottle().get_ident(request)
