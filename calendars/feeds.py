"""iCalendar feeds of a plant's calendar: /calendars/{plant_code}.ics?token=…

Calendar apps cannot send headers, so the feed token travels in the URL: a
per-user ApiToken of scope "feed" (POST /api/auth/feed-token/), read-only,
revocable like any token. A bad, expired or revoked token, or a plant the
token's user does not see, answers 404.

Every event is an all-day event (DATE values) in the plant's time zone
(X-WR-TIMEZONE and its VTIMEZONE), with a UID that stays the same across
fetches (e.g. ``milestone-7@offpeak``, ``blackout-3-2026-12-30@offpeak``) so
that subscribers update events instead of duplicating them; SEQUENCE follows
the plant's calendar revision. Names (holidays, generated summaries) are in
the language the token's user chose (accounts.models.UserPreference); an
anchored season or milestone has one event per occurrence, its UID naming the
holiday's date that year (``season-4-2028-01-26@offpeak``).
"""

import datetime

import icalendar
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.models import UserPreference
from accounts.tokens import feed_token_user
from calendars.kinds import GENERATED_KINDS, ITEM_KINDS
from calendars.models import Plant
from calendars.selectors import plant_calendar_data, plants_visible_to

FEED_PAST_DAYS = 90
PRODID = "-//Offpeak//Plant production calendar//EN"


# Other apps add events to the feed (proposals: decided go-lives). Each source
# is called with the plant and returns {"id", "rollout", "go_live", "status",
# "phases", "version"} dicts; calendars never imports those apps.
GO_LIVE_SOURCES: list = []


def feed_source_register(source) -> None:
    if source not in GO_LIVE_SOURCES:
        GO_LIVE_SOURCES.append(source)


def _approved_go_lives(plant: Plant) -> list[dict]:
    return [item for source in GO_LIVE_SOURCES for item in source(plant)]


class _Feed:
    def __init__(self, plant: Plant, first: datetime.date, last: datetime.date):
        self.plant, self.first, self.last = plant, first, last
        self.stamp = timezone.now()
        self.calendar = icalendar.Calendar.new(
            prodid=PRODID,
            calscale="GREGORIAN",
            name=f"{plant.name} ({plant.code}) – Offpeak",
            description=f"Production calendar of {plant.name}: peak seasons, "
            "milestones, blackouts, holidays, closures and approved go-lives.",
            refresh_interval=datetime.timedelta(hours=1),
            uid=f"plant-{plant.pk}@offpeak",
        )
        self.calendar.add("X-WR-TIMEZONE", plant.timezone)
        self.calendar.add_component(
            icalendar.Timezone.from_tzid(
                plant.timezone,
                first_date=first - datetime.timedelta(days=1),
                last_date=last + datetime.timedelta(days=2),
            )
        )

    def event(
        self,
        uid: str,
        start: datetime.date,
        end: datetime.date,
        summary: str,
        category: str,
        description: str = "",
        sequence: int | None = None,
    ) -> None:
        """An all-day event from start to end inclusive (DTEND is exclusive)."""
        event = icalendar.Event.new(
            uid=f"{uid}@offpeak",
            start=start,
            end=end + datetime.timedelta(days=1),
            summary=summary,
            description=description or None,
            categories=[category],
            sequence=self.plant.calendar_revision if sequence is None else sequence,
            stamp=self.stamp,
            transparency="TRANSPARENT",
        )
        self.calendar.add_component(event)


def plant_ical(*, plant: Plant, today: datetime.date | None = None) -> bytes:
    """The plant's feed from FEED_PAST_DAYS ago to the end of the horizon."""
    today = today or plant.local_today()
    first = today - datetime.timedelta(days=FEED_PAST_DAYS)
    last = today + datetime.timedelta(days=settings.OFFPEAK_HORIZON_DAYS)
    feed = _Feed(plant, first, last)

    for kind in ITEM_KINDS.values():
        for item in kind.model.in_range(plant, first, last).order_by("pk"):
            for e in item.feed_events(first, last):
                feed.event(e.uid, e.start, e.end, e.summary, e.category, e.description)

    holidays = plant_calendar_data(plant=plant, start=first, end=last).intervals
    for generated in GENERATED_KINDS.values():
        for e in generated.feed_events(plant=plant, intervals=holidays):
            feed.event(e.uid, e.start, e.end, e.summary, e.category, e.description)
    for holiday in (i for i in holidays if i.kind == "holiday"):
        feed.event(
            f"holiday-{plant.pk}-{holiday.start.isoformat()}",
            holiday.start,
            holiday.end,
            holiday.name,
            "holiday",
        )

    for go_live in _approved_go_lives(plant):
        day = go_live["go_live"]
        feed.event(
            f"golive-{go_live['id']}",
            day,
            day,
            gettext("Go-live: %(name)s") % {"name": go_live["rollout"]},
            "go-live",
            gettext("Status: %(status)s.") % {"status": go_live["status"]},
            sequence=go_live["version"],
        )
        for phase in go_live["phases"]:
            feed.event(
                f"golive-{go_live['id']}-{phase['name']}",
                datetime.date.fromisoformat(phase["start"]),
                datetime.date.fromisoformat(phase["end"]),
                f"{go_live['rollout']}: {phase['name']}",
                "go-live phase",
                sequence=go_live["version"],
            )
    return feed.calendar.to_ical()


@require_safe
def plant_feed(request, plant_code: str):
    user = feed_token_user(token=request.GET.get("token", ""))
    if user is None:
        raise Http404("No such feed.")
    plant = plants_visible_to(user).filter(code=plant_code).first()
    if plant is None:
        raise Http404("No such feed.")
    # Calendar apps send no language: the feed speaks its token user's.
    language = (
        UserPreference.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        body = plant_ical(plant=plant)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{plant.code}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns: list = [
    path("calendars/<str:plant_code>.ics", plant_feed, name="plant-feed"),
]
