"""Seasons, milestones, blackouts and calendar exceptions: read by whoever
sees the plant, written by its plant managers through calendars.services."""

import datetime

import pytest
from django.utils import translation

from calendars.models import Blackout, CalendarException, Milestone, PeakSeason
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    festival_days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request with Accept-Language leaves its language active in the
    thread (LocaleMiddleware does not reset it): later tests read English."""
    before = translation.get_language()
    yield
    translation.activate(before) if before else translation.deactivate()


ENDPOINTS = {
    "peak-seasons": (
        PeakSeason,
        PeakSeasonFactory,
        {
            "name": "Double 11",
            "start": "2026-10-01",
            "end": "2026-11-11",
            "recurring_yearly": True,
            "severity": 5,
            "hard": True,
        },
    ),
    "milestones": (
        Milestone,
        MilestoneFactory,
        {
            "name": "SOP gen 3",
            "kind": "sop",
            "start": "2026-09-14",
            "end": "2026-09-18",
            "criticality": 5,
            "freeze_before_days": 7,
            "freeze_after_days": 3,
            "hard": True,
        },
    ),
    "blackouts": (
        Blackout,
        BlackoutFactory,
        {
            "name": "Month-end close",
            "kind": "month_end",
            "start": "2026-01-01",
            "end": None,
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=-1",
            "duration_days": 2,
            "hard": False,
        },
    ),
    "calendar-exceptions": (
        CalendarException,
        CalendarExceptionFactory,
        {
            "name": "Summer shutdown",
            "kind": "closure",
            "start": "2026-08-03",
            "end": "2026-08-14",
        },
    ),
}
KINDS = list(ENDPOINTS)


def url(kind: str, pk: int | None = None) -> str:
    return f"/api/{kind}/" + (f"{pk}/" if pk else "")


def payload(kind: str, plant_code: str | None) -> dict:
    return {"plant": plant_code, **ENDPOINTS[kind][2]}


def make(kind: str, plant, **fields):
    return ENDPOINTS[kind][1](plant=plant, **fields)


# --- reading --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_lists_hold_only_the_users_plants(api, users, plant, other_plant, kind, role):
    mine = make(kind, plant)
    make(kind, other_plant)

    response = api(users[role]).get(url(kind))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [mine.id]
    assert response.json()["results"][0]["plant"] == "sz"


@pytest.mark.parametrize("kind", KINDS)
def test_staff_list_every_plants_items(api, staff, plant, other_plant, kind):
    make(kind, plant)
    make(kind, other_plant)

    assert api(staff).get(url(kind)).json()["count"] == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_the_detail_has_the_contract_fields(api, users, plant, kind, role):
    item = make(kind, plant)

    response = api(users[role]).get(url(kind, item.id))

    assert response.status_code == 200
    assert set(payload(kind, "sz")) | {"id"} <= set(response.json())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_item_is_not_found(api, users, other_plant, kind, role):
    item = make(kind, other_plant)
    client = api(users[role])

    assert client.get(url(kind, item.id)).status_code == 404
    assert client.patch(url(kind, item.id), {"name": "x"}).status_code in (403, 404)
    assert client.delete(url(kind, item.id)).status_code in (403, 404)
    assert ENDPOINTS[kind][0].objects.filter(pk=item.id).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_manager_cannot_touch_another_plants_item(api, manager, other_plant, kind):
    item = make(kind, other_plant)
    client = api(manager)

    assert client.patch(url(kind, item.id), {"name": "x"}).status_code == 404
    assert client.delete(url(kind, item.id)).status_code == 404
    item.refresh_from_db()
    assert item.name != "x"


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_unauthorised(anon, plant, kind):
    item = make(kind, plant)

    assert anon.get(url(kind)).status_code == 401
    assert anon.get(url(kind, item.id)).status_code == 401
    assert anon.post(url(kind), payload(kind, "sz")).status_code == 401


# --- writing --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_manager_creates_an_item_and_the_revision_moves(api, manager, plant, kind):
    before = plant.calendar_revision

    response = api(manager).post(url(kind), payload(kind, "sz"))

    assert response.status_code == 201, response.json()
    body = response.json()
    model = ENDPOINTS[kind][0]
    assert model.objects.get(pk=body["id"]).plant == plant
    for field, value in payload(kind, "sz").items():
        assert body[field] == value
    plant.refresh_from_db()
    assert plant.calendar_revision == before + 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_manager_updates_and_deletes_an_item(api, manager, plant, kind):
    item = make(kind, plant)
    client = api(manager)

    response = client.patch(url(kind, item.id), {"name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"

    full = payload(kind, "sz") | {"name": "Replaced"}
    response = client.put(url(kind, item.id), full)
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Replaced"

    before = plant.calendar_revision
    assert client.delete(url(kind, item.id)).status_code == 204
    assert not ENDPOINTS[kind][0].objects.filter(pk=item.id).exists()
    plant.refresh_from_db()
    assert plant.calendar_revision > before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["it_lead", "viewer", "staff"])
def test_others_cannot_write_a_plants_calendar(api, users, plant, kind, role):
    item = make(kind, plant)
    client = api(users[role])

    assert client.post(url(kind), payload(kind, "sz")).status_code == 403
    assert client.patch(url(kind, item.id), {"name": "x"}).status_code == 403
    assert client.delete(url(kind, item.id)).status_code == 403
    assert ENDPOINTS[kind][0].objects.count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_creating_for_a_plant_one_does_not_see_names_the_field(
    api, manager, other_plant, kind
):
    response = api(manager).post(url(kind), payload(kind, "stg"))
    unknown = api(manager).post(url(kind), payload(kind, "nope"))

    assert response.status_code == unknown.status_code == 400
    assert response.json()["plant"] == [
        m.replace("nope", "stg") for m in unknown.json()["plant"]
    ]
    assert not ENDPOINTS[kind][0].objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_moving_an_item_to_another_plant_is_refused(api, manager, plant, kind):
    item = make(kind, plant)

    response = api(manager).patch(url(kind, item.id), {"plant": "stg"})

    assert response.status_code == 400
    assert "plant" in response.json()


@pytest.mark.parametrize("kind", KINDS)
def test_model_validation_errors_are_400_with_field_names(api, manager, plant, kind):
    bad = payload(kind, "sz") | {"start": "2026-12-01", "end": "2026-11-01"}
    if kind == "blackouts":
        bad["rrule"] = ""
    if kind == "peak-seasons":
        bad["recurring_yearly"] = False  # a yearly one may cross New Year

    response = api(manager).post(url(kind), bad)

    assert response.status_code == 400
    assert "end" in response.json()


def test_a_bad_rrule_is_reported_on_its_field(api, manager, plant):
    bad = payload("blackouts", "sz") | {"rrule": "FREQ=SOMETIMES"}

    response = api(manager).post(url("blackouts"), bad)

    assert response.status_code == 400
    assert "rrule" in response.json()


def test_missing_fields_are_named(api, manager, plant):
    response = api(manager).post(url("milestones"), {"plant": "sz"})

    assert response.status_code == 400
    assert {"name", "kind"} <= set(response.json())


def test_a_milestone_without_dates_or_anchor_names_the_start(api, manager, plant):
    response = api(manager).post(
        url("milestones"), {"plant": "sz", "name": "SOP", "kind": "sop"}
    )

    assert response.status_code == 400
    assert "start" in response.json()
    assert not Milestone.objects.exists()


def test_a_read_only_token_cannot_write_even_for_a_manager(api, manager, plant):
    response = api(manager, "read_only").post(
        url("milestones"), payload("milestones", "sz")
    )

    assert response.status_code == 403
    assert not Milestone.objects.exists()


# --- company-wide seasons -------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_company_wide_seasons_are_visible_to_everyone(api, users, plant, role):
    season = PeakSeasonFactory(plant=None, name="Q4 peak")

    response = api(users[role]).get(url("peak-seasons"))

    assert [s["id"] for s in response.json()["results"]] == [season.id]
    assert response.json()["results"][0]["plant"] is None


def test_staff_create_and_edit_company_wide_seasons(api, staff, plant, other_plant):
    client = api(staff)

    response = client.post(url("peak-seasons"), payload("peak-seasons", None))
    assert response.status_code == 201, response.json()
    season_id = response.json()["id"]
    response = client.patch(url("peak-seasons", season_id), {"severity": 3})
    assert response.status_code == 200
    assert PeakSeason.objects.get(pk=season_id).severity == 3
    plant.refresh_from_db()
    other_plant.refresh_from_db()
    assert plant.calendar_revision == other_plant.calendar_revision == 3


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_only_staff_edit_company_wide_seasons(api, users, plant, role):
    season = PeakSeasonFactory(plant=None)
    client = api(users[role])

    assert (
        client.post(url("peak-seasons"), payload("peak-seasons", None)).status_code
        == 403
    )
    assert (
        client.patch(url("peak-seasons", season.id), {"name": "x"}).status_code == 403
    )
    assert client.delete(url("peak-seasons", season.id)).status_code == 403


def test_a_manager_cannot_make_a_season_company_wide(api, manager, plant):
    season = PeakSeasonFactory(plant=plant)

    response = api(manager).patch(url("peak-seasons", season.id), {"plant": None})

    assert response.status_code == 403
    season.refresh_from_db()
    assert season.plant == plant


# --- filters and pages ----------------------------------------------------


def test_lists_filter_by_plant_kind_and_dates(api, staff, plant, other_plant):
    sop = MilestoneFactory(plant=plant, kind="sop", start=datetime.date(2026, 3, 1),
                           end=datetime.date(2026, 3, 2))  # fmt: skip
    MilestoneFactory(plant=plant, kind="audit", start=datetime.date(2026, 6, 1),
                     end=datetime.date(2026, 6, 2))  # fmt: skip
    MilestoneFactory(plant=other_plant, kind="sop")
    client = api(staff)

    def ids(**query):
        response = client.get(url("milestones"), query)
        assert response.status_code == 200, response.json()
        return [m["id"] for m in response.json()["results"]]

    assert ids(plant="sz", kind="sop") == [sop.id]
    assert ids(plant="sz", start_before="2026-04-01") == [sop.id]
    assert len(ids(start_after="2026-01-01", end_before="2026-12-31")) == 3


def test_a_bad_filter_value_is_a_400_naming_it(api, staff, plant):
    response = api(staff).get(url("milestones"), {"start_after": "soon"})

    assert response.status_code == 400
    assert "start" in str(response.json())


def test_lists_are_paginated(api, manager, plant):
    for n in range(3):
        MilestoneFactory(plant=plant, name=f"m{n}")

    response = api(manager).get(url("milestones"), {"page_size": 2})

    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


@pytest.mark.parametrize("kind", KINDS)
def test_dates_the_calendar_cannot_reckon_with_are_refused(api, manager, plant, kind):
    """A milestone ending on 9999-12-31 would overflow its freeze buffer and
    break every read of the plant's calendar."""
    bad = payload(kind, "sz") | {"end": "9999-12-31"}

    response = api(manager).post(url(kind), bad)

    assert response.status_code == 400
    assert "end" in response.json()
    assert api(manager).get("/api/plants/sz/calendar/").status_code == 200


# --- anchored to a holiday ------------------------------------------------

SPRING_FESTIVAL = "chinese-new-year-spring-festival"


def test_holiday_anchors_are_named_in_the_requests_language(api, viewer, plant):
    chinese = api(viewer).get(
        "/api/plants/sz/holiday-anchors/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    english = api(viewer).get(
        "/api/plants/sz/holiday-anchors/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert chinese.status_code == english.status_code == 200
    zh = {a["key"]: a for a in chinese.json()}
    en = {a["key"]: a for a in english.json()}
    assert zh[SPRING_FESTIVAL]["name"] == "春节"
    assert en[SPRING_FESTIVAL]["name"] == "Chinese New Year (Spring Festival)"
    assert zh[SPRING_FESTIVAL]["next_date"] == en[SPRING_FESTIVAL]["next_date"]
    next_festival = datetime.date.fromisoformat(zh[SPRING_FESTIVAL]["next_date"])
    assert next_festival in festival_days(next_festival.year, next_festival.year)


def test_another_plants_anchors_are_not_found(api, other_manager, plant):
    response = api(other_manager).get("/api/plants/sz/holiday-anchors/")

    assert response.status_code == 404


def test_an_anchored_season_recurs_every_year_of_the_horizon(
    api, manager, plant, settings
):
    settings.OFFPEAK_HORIZON_DAYS = 730
    response = api(manager).post(
        url("peak-seasons"),
        {
            "plant": "sz",
            "name": "Post-festival restart",
            "anchor": SPRING_FESTIVAL,
            "days_before": 0,
            "days_after": 21,
            "severity": 5,
            "hard": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["anchor"], body["days_before"], body["days_after"]) == (
        SPRING_FESTIVAL,
        0,
        21,
    )
    assert body["start"] is None and body["end"] is None
    today = plant.local_today()
    last = today + datetime.timedelta(days=730)
    expected = [
        {
            "start": day.isoformat(),
            "end": (day + datetime.timedelta(days=21)).isoformat(),
        }
        for day in festival_days(today.year - 1, last.year)
        if day + datetime.timedelta(days=21) >= today and day <= last
    ]
    assert body["occurrences"] == expected
    assert len(expected) >= 2


def test_the_daily_calendar_shows_the_resolved_dates(api, manager, plant):
    [festival] = festival_days(2028, 2028)  # 2028-01-26
    PeakSeason.objects.create(
        plant=plant, name="Restart", anchor=SPRING_FESTIVAL, days_after=21, severity=5
    )

    response = api(manager).get(
        "/api/plants/sz/calendar/",
        {"start": festival.isoformat(), "end": festival.isoformat()},
    )
    after = api(manager).get(
        "/api/plants/sz/calendar/",
        {"start": (festival + datetime.timedelta(days=22)).isoformat()},
    )

    assert response.json()[0]["seasons"] == ["Restart"]
    assert response.json()[0]["peak_severity"] == 5
    assert after.json()[0]["seasons"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"anchor": "christmas-day"}, "anchor"),
        ({"anchor": "no-such-holiday"}, "anchor"),
        ({"days_before": -1}, "days_before"),
        ({"days_after": 121}, "days_after"),
        ({"start": "2027-01-01", "end": "2027-02-01"}, "start"),
        ({"recurring_yearly": True}, "recurring_yearly"),
    ],
)
def test_bad_anchors_and_offsets_are_refused_on_their_field(
    api, manager, plant, change, field
):
    body = {
        "plant": "sz",
        "name": "Restart",
        "anchor": SPRING_FESTIVAL,
        "days_before": 0,
        "days_after": 21,
        "severity": 5,
    } | change

    response = api(manager).post(url("peak-seasons"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not PeakSeason.objects.exists()


def test_a_company_wide_season_cannot_be_anchored(api, staff, plant):
    response = api(staff).post(
        url("peak-seasons"),
        {"plant": None, "name": "Festival", "anchor": SPRING_FESTIVAL, "severity": 3},
        format="json",
    )

    assert response.status_code == 400
    assert "anchor" in response.json()


def test_an_anchored_blackout_takes_no_rule(api, manager, plant):
    body = {
        "plant": "sz",
        "name": "Festival freeze",
        "kind": "it_freeze",
        "anchor": SPRING_FESTIVAL,
        "days_before": 3,
        "days_after": 7,
        "rrule": "FREQ=YEARLY",
        "hard": True,
    }

    refused = api(manager).post(url("blackouts"), body, format="json")
    accepted = api(manager).post(url("blackouts"), body | {"rrule": ""}, format="json")

    assert refused.status_code == 400 and "rrule" in refused.json()
    assert accepted.status_code == 201
    first = accepted.json()["occurrences"][0]
    start = datetime.date.fromisoformat(first["start"])
    assert datetime.date.fromisoformat(first["end"]) - start == datetime.timedelta(
        days=10
    )
    assert start + datetime.timedelta(days=3) in festival_days(start.year, start.year)


def test_an_anchored_milestone_has_its_buffers_around_each_occurrence(
    api, manager, plant
):
    response = api(manager).post(
        url("milestones"),
        {
            "plant": "sz",
            "name": "Festival stock count",
            "kind": "other",
            "anchor": SPRING_FESTIVAL,
            "days_before": 2,
            "days_after": 0,
            "freeze_before_days": 5,
            "freeze_after_days": 1,
            "criticality": 4,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["buffered_start"] is None
    [festival] = festival_days(2028, 2028)
    calendar = api(manager).get(
        "/api/plants/sz/calendar/",
        {
            "start": (festival - datetime.timedelta(days=8)).isoformat(),
            "end": (festival + datetime.timedelta(days=2)).isoformat(),
        },
    )
    pressure = [day["milestone_pressure"] for day in calendar.json()]
    # 2 days before the festival, widened by 5 before and 1 after.
    assert pressure == [0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0]


# --- suggested seasons ----------------------------------------------------


def test_a_chinese_plant_is_offered_the_festival_seasons_in_chinese(api, viewer, plant):
    response = api(viewer).get(
        "/api/plants/sz/suggested-seasons/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 200
    offered = {s["key"]: s for s in response.json()}
    assert set(offered) == {
        "pre-spring-festival-rush",
        "post-festival-restart",
        "golden-week",
    }
    restart = offered["post-festival-restart"]
    assert restart["anchor_name"] == "春节"
    assert restart["name"] != "Post-festival restart"  # translated
    assert (restart["days_before"], restart["days_after"]) == (0, 21)
    assert not PeakSeason.objects.exists()  # offered, not applied


def test_a_manager_accepts_a_suggestion_and_it_becomes_an_anchored_season(
    api, manager, plant
):
    response = api(manager).post(
        "/api/plants/sz/suggested-seasons/",
        {"suggestions": ["post-festival-restart"]},
        format="json",
    )
    again = api(manager).post(
        "/api/plants/sz/suggested-seasons/",
        {"suggestions": ["post-festival-restart"]},
        format="json",
    )
    offered = api(manager).get("/api/plants/sz/suggested-seasons/").json()

    assert response.status_code == 201
    season = PeakSeason.objects.get()
    assert (season.anchor, season.days_after, season.severity, season.hard) == (
        SPRING_FESTIVAL,
        21,
        5,
        True,
    )
    assert again.status_code == 400 and "suggestions" in again.json()
    assert {s["key"]: s["exists"] for s in offered}["post-festival-restart"]


@pytest.mark.parametrize("role", ["it_lead", "viewer"])
def test_only_plant_managers_accept_suggestions(api, users, plant, role):
    response = api(users[role]).post(
        "/api/plants/sz/suggested-seasons/",
        {"suggestions": ["golden-week"]},
        format="json",
    )

    assert response.status_code == 403
    assert not PeakSeason.objects.exists()


def test_an_unknown_suggestion_is_refused_by_name(api, manager, plant):
    response = api(manager).post(
        "/api/plants/sz/suggested-seasons/",
        {"suggestions": ["golden-week", "thanksgiving-to-new-year"]},
        format="json",
    )

    assert response.status_code == 400
    assert "thanksgiving-to-new-year" in str(response.json()["suggestions"])
    assert not PeakSeason.objects.exists()
