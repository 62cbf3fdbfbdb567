"""Sign in and out, the language switch, the CSRF failure answer."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import csrf
from django.views.decorators.http import require_POST

from accounts.middleware import remember_language


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
def language_set(request):
    """Switch the interface language; remembered for the user (and in a cookie
    for the sign-in page)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("web:dashboard")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:dashboard")
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        remember_language(request, language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def csrf_failure(request, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: under /api/ a JSON 403 like the API's own
    ({"detail": "CSRF Failed: ..."}, as DRF's session authentication words
    it); Django's HTML page elsewhere. (Unknown /api/ URLs never get here: their
    JSON 404 view is csrf_exempt, config/api_urls.py.)"""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"CSRF Failed: {reason}"}, status=403)
    return csrf.csrf_failure(request, reason=reason)
