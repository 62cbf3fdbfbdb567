"""Years whose official holiday arrangement is not published yet (China's
State Council notice comes each November or December) say so: their days
carry `provisional: true` in the calendar API, and the calendar pages show a
note naming those years."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation
from rest_framework.test import APIClient

from accounts.permissions import VIEWER
from calendars import holidays as plant_holidays
from calendars.models import Plant
from tests.factories import PlantFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NOTE = "not yet published"


@pytest.fixture
def suzhou():
    return PlantFactory(code="sz", timezone="Asia/Shanghai", country="CN")


@pytest.fixture
def stuttgart():
    return PlantFactory(code="stg", stuttgart=True)


@pytest.fixture
def viewer(suzhou, stuttgart):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=VIEWER))
    suzhou.members.add(user)
    stuttgart.members.add(user)
    return user


def calendar(user, code, start, end) -> list[dict]:
    client = APIClient()
    client.force_login(user)
    response = client.get(f"/api/plants/{code}/calendar/", {"start": start, "end": end})
    assert response.status_code == 200, response.json()
    return response.json()


def test_days_after_the_last_published_year_are_provisional_in_the_api(viewer):
    last = plant_holidays.published_through("CN")
    assert last is not None

    days = calendar(viewer, "sz", f"{last}-12-30", f"{last + 1}-01-02")

    assert [(d["date"], d["provisional"]) for d in days] == [
        (f"{last}-12-30", False),
        (f"{last}-12-31", False),
        (f"{last + 1}-01-01", True),
        (f"{last + 1}-01-02", True),
    ]


def test_a_country_with_fixed_rules_is_never_provisional_in_the_api(viewer):
    days = calendar(viewer, "stg", "2026-12-30", "2028-12-31")

    assert not any(d["provisional"] for d in days)


@pytest.fixture
def china_published_through_2026(monkeypatch):
    """Today 2026-11-30 with China's arrangement known up to 2026, so the
    two-year horizon reaches into 2027 and 2028."""
    monkeypatch.setattr(Plant, "local_today", lambda self: D(2026, 11, 30))
    monkeypatch.setattr(
        plant_holidays,
        "published_through",
        lambda country: 2026 if country == "CN" else None,
    )


@pytest.mark.usefixtures("china_published_through_2026")
@pytest.mark.parametrize("page", ["calendar", "data"])
def test_the_calendar_pages_name_the_unpublished_years(client, viewer, page):
    client.force_login(viewer)

    chinese = client.get(f"/plants/sz/{page}/").content.decode()
    german = client.get(f"/plants/stg/{page}/").content.decode()

    assert "Make-up working days for 2027, 2028 not yet published" in chinese
    assert NOTE not in german


@pytest.fixture
def back_to_english():
    """A request in Chinese leaves Chinese active in the test's thread: the
    tests after it expect English again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.usefixtures("china_published_through_2026", "back_to_english")
def test_the_note_speaks_chinese_to_a_chinese_reader(client, viewer):
    client.force_login(viewer)

    html = client.get(
        "/plants/sz/calendar/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "2027, 2028 年的调休安排尚未公布" in html


def test_no_note_once_every_year_of_the_horizon_is_published(
    client, viewer, monkeypatch
):
    monkeypatch.setattr(Plant, "local_today", lambda self: D(2026, 11, 30))
    monkeypatch.setattr(plant_holidays, "published_through", lambda country: 2030)
    client.force_login(viewer)

    assert NOTE not in client.get("/plants/sz/calendar/").content.decode()
