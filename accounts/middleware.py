"""Activate the signed-in user's language (accounts.models.UserPreference)."""

from django.conf import settings
from django.utils import translation

from accounts.models import UserPreference

SESSION_KEY = "offpeak_language"


def user_language(request) -> str | None:
    """The user's stored language, cached in the session with the user's id so
    that it costs a query only once per session."""
    user = request.user
    cached = request.session.get(SESSION_KEY)
    if cached and cached[0] == user.pk:
        return cached[1]
    language = (
        UserPreference.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
    )
    request.session[SESSION_KEY] = [user.pk, language]
    return language


def remember_language(request, language: str) -> None:
    """Store the choice for the user and refresh the session's copy."""
    if request.user.is_authenticated:
        UserPreference.objects.update_or_create(
            user=request.user, defaults={"language": language}
        )
        request.session[SESSION_KEY] = [request.user.pk, language]


class UserLanguageMiddleware:
    """After authentication: a user's stored preference beats the cookie and the
    browser's Accept-Language that LocaleMiddleware looked at."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if getattr(request, "user", None) is not None and (
            request.user.is_authenticated
        ):
            language = user_language(request)
            if language in self.languages:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
