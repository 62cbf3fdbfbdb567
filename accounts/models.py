"""Who uses Offpeak and how: API tokens and per-user preferences.

Roles are Django groups and plant membership is `Plant.members`; the rules
that combine them live in accounts.permissions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A named, revocable per-client token (stored hashed by django-rest-knox).

    Scope: read_write tokens act with their user's rights; read_only tokens can
    never write; feed tokens only open iCalendar feeds (calendar apps cannot
    send headers, so the token travels in the feed URL).
    """

    class Scope(models.TextChoices):
        READ_WRITE = "read_write", _("read and write")
        READ_ONLY = "read_only", _("read only")
        FEED = "feed", _("calendar feed")

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.READ_ONLY
    )

    class Meta:
        db_table = "rollout_apitoken"  # created by rollout's migrations
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.scope})"


class UserPreference(models.Model):
    """Per-user settings the web app remembers (the interface language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        db_table = "rollout_userpreference"  # created by rollout's migrations

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
