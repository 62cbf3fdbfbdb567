"""Anchored seasons on the pages, in the admin and in the iCalendar feed: the
plant's holidays to choose from in the reader's language, suggestions a plant
manager accepts, one feed event per year."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import UserPreference
from accounts.permissions import PLANT_MANAGER, VIEWER
from accounts.tokens import api_token_create
from calendars import services
from calendars.models import PeakSeason
from tests.factories import PlantFactory, UserFactory, festival_days, user_in

pytestmark = pytest.mark.django_db
SPRING_FESTIVAL = "chinese-new-year-spring-festival"


@pytest.fixture(autouse=True)
def _language_restored():
    """A request with Accept-Language leaves its language active in the
    thread (LocaleMiddleware does not reset it): later tests read English."""
    before = translation.get_language()
    yield
    translation.activate(before) if before else translation.deactivate()


@pytest.fixture
def plant():
    return PlantFactory(code="sz")


def test_the_season_form_offers_the_plants_holidays_in_chinese(client, plant):
    client.force_login(user_in(PLANT_MANAGER, [plant]))

    response = client.get(
        reverse("web:item_create", args=["sz", "seasons"]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 200
    choices = dict(response.context["form"].fields["anchor"].choices)
    assert choices[SPRING_FESTIVAL].startswith("春节 (")


def test_a_manager_saves_an_anchored_season_from_the_page(client, plant):
    client.force_login(user_in(PLANT_MANAGER, [plant]))

    response = client.post(
        reverse("web:item_create", args=["sz", "seasons"]),
        {
            "name": "Restart",
            "anchor": SPRING_FESTIVAL,
            "days_before": "0",
            "days_after": "21",
            "severity": "5",
        },
    )
    page = client.get(reverse("web:calendar_data", args=["sz"])).content.decode()

    assert response.status_code == 302
    season = PeakSeason.objects.get()
    assert (season.anchor, season.days_after, season.start) == (
        SPRING_FESTIVAL,
        21,
        None,
    )
    # The list shows the next occurrence's dates.
    today = plant.local_today()
    festival = next(
        d
        for d in festival_days(today.year - 1, today.year + 1)
        if d + datetime.timedelta(days=21) >= today
    )
    assert festival.isoformat() in page
    assert (festival + datetime.timedelta(days=21)).isoformat() in page


def test_offsets_over_120_days_are_refused_on_the_page(client, plant):
    client.force_login(user_in(PLANT_MANAGER, [plant]))

    response = client.post(
        reverse("web:item_create", args=["sz", "seasons"]),
        {
            "name": "Long",
            "anchor": SPRING_FESTIVAL,
            "days_after": "200",
            "severity": "3",
        },
    )

    assert response.status_code == 200
    assert "days_after" in response.context["form"].errors
    assert not PeakSeason.objects.exists()


def test_the_calendar_page_offers_suggestions_that_a_manager_accepts(client, plant):
    client.force_login(user_in(PLANT_MANAGER, [plant]))

    page = client.get(reverse("web:calendar_data", args=["sz"]))
    keys = [s["key"] for s in page.context["suggestions"]]
    response = client.post(
        reverse("web:suggested_season_accept", args=["sz"]),
        {"suggestion": "pre-spring-festival-rush"},
    )
    after = client.get(reverse("web:calendar_data", args=["sz"]))

    assert keys == ["pre-spring-festival-rush", "post-festival-restart", "golden-week"]
    assert not PeakSeason.objects.filter(name="Golden Week").exists()
    assert response.status_code == 302
    rush = PeakSeason.objects.get()
    assert (rush.anchor, rush.days_before, rush.days_after) == (SPRING_FESTIVAL, 28, 0)
    assert [s["key"] for s in after.context["suggestions"]] == [
        "post-festival-restart",
        "golden-week",
    ]


def test_a_viewer_is_offered_nothing_and_cannot_accept(client, plant):
    client.force_login(user_in(VIEWER, [plant]))

    page = client.get(reverse("web:calendar_data", args=["sz"]))
    response = client.post(
        reverse("web:suggested_season_accept", args=["sz"]),
        {"suggestion": "golden-week"},
    )

    assert page.context["suggestions"] == []
    assert response.status_code == 403
    assert not PeakSeason.objects.exists()


def test_the_admin_offers_anchors_by_plant(client, plant):
    client.force_login(UserFactory(superuser=True))

    response = client.get(reverse("admin:calendars_peakseason_add"))

    groups = dict(response.context["adminform"].form.fields["anchor"].choices)
    assert SPRING_FESTIVAL in dict(groups[str(plant)])


def test_the_feed_has_one_event_per_year_named_in_the_users_language(client, plant):
    user = user_in(VIEWER, [plant])
    UserPreference.objects.create(user=user, language="zh-hans")
    season = services.calendar_item_create(
        model=PeakSeason,
        plant=plant,
        name="Restart",
        anchor=SPRING_FESTIVAL,
        days_after=21,
        severity=5,
    )
    token = api_token_create(user=user, name="feed", scope="feed")[1]

    response = client.get(f"/calendars/sz.ics?token={token}")

    feed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    today = plant.local_today()
    festivals = [
        d
        for d in festival_days(today.year - 1, today.year + 3)
        if d + datetime.timedelta(days=21) >= today - datetime.timedelta(days=90)
        and d <= today + datetime.timedelta(days=730)
    ]
    uids = sorted(u for u in events if u.startswith(f"season-{season.pk}-"))
    assert uids == [f"season-{season.pk}-{d.isoformat()}@offpeak" for d in festivals]
    first = events[uids[0]]
    assert first.decoded("DTSTART") == festivals[0]
    assert str(first["SUMMARY"]) == "旺季：Restart"
    holiday_names = {
        str(e["SUMMARY"]) for e in events.values() if "holiday" in e["UID"]
    }
    assert "春节" in holiday_names


def test_adding_a_plant_in_the_admin_points_at_its_suggested_seasons(client, db):
    client.force_login(UserFactory(superuser=True))

    response = client.post(
        reverse("admin:calendars_plant_add"),
        {
            "code": "mty2",
            "name": "Monterrey 2",
            "timezone": "America/Monterrey",
            "country": "MX",
            "subdivision": "",
            "holiday_categories": '["public"]',
            "weekend_days": "[5, 6]",
            "default_utilisation": "0.7",
            "fiscal_pattern": "months",
            "fiscal_year_end_month": "12",
            "close_last_days": "2",
            "close_first_days": "1",
        },
        follow=True,
    )

    texts = [str(m) for m in response.context["messages"]]
    assert any("Semana Santa" in t and "/plants/mty2/data/" in t for t in texts), texts
    assert not PeakSeason.objects.exists()  # suggested, not applied


def test_the_daily_calendar_names_holidays_in_the_readers_language(plant):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user_in(VIEWER, [plant]))
    [festival] = festival_days(2027, 2027)  # Saturday 2027-02-06
    span = {"start": festival.isoformat(), "end": festival.isoformat()}

    chinese = client.get(
        "/api/plants/sz/calendar/", span, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    english = client.get("/api/plants/sz/calendar/", span, HTTP_ACCEPT_LANGUAGE="en")
    weekend = client.get(
        "/api/plants/sz/calendar/",
        {"start": "2027-03-06", "end": "2027-03-06"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert chinese.json()[0]["reason"] == "春节"
    assert english.json()[0]["reason"] == "Chinese New Year (Spring Festival)"
    assert weekend.json()[0]["reason"] == "周末"
