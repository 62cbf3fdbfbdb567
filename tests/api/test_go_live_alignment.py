"""A rollout's go-live alignment (go_live_on, go_live_weekday): through the
rollout API, the evaluation, the recommendations and the window calendar."""

import datetime

import pytest
from django.test import Client

from rollout.services import recommendation_set_rebuild
from tests.api.conftest import make_rollout

pytestmark = pytest.mark.django_db

ROLLOUT = {
    "name": "SAP S/4HANA",
    "training_days": 5,
    "cutover_days": 2,
    "hypercare_days": 5,
}


def _first_working_days(api, user, plant, start, end) -> list[str]:
    """The first working day of each month, read off the daily calendar."""
    days = (
        api(user)
        .get(
            f"/api/plants/{plant.code}/calendar/",
            {"start": start.isoformat(), "end": end.isoformat()},
        )
        .json()
    )
    firsts, seen = [], set()
    for d in days:
        month = d["date"][:7]
        if d["is_working"] and month not in seen:
            seen.add(month)
            if d["date"][8:] <= "10":  # the month's own first days were in range
                firsts.append(d["date"])
    return firsts


@pytest.mark.parametrize(
    ("kind", "default"), [("erp", "period_start"), ("mes", "any_day")]
)
def test_the_kind_gives_the_default_alignment(api, it_lead, plant, kind, default):
    body = {**ROLLOUT, "kind": kind, "plants": [plant.code]}

    response = api(it_lead).post("/api/rollouts/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["go_live_on"] == default
    assert response.json()["go_live_weekday"] is None


@pytest.mark.parametrize(
    ("field", "value"), [("go_live_on", "month_start"), ("go_live_weekday", 7)]
)
def test_a_bad_alignment_is_a_400_naming_the_field(api, it_lead, plant, field, value):
    body = {**ROLLOUT, "kind": "erp", "plants": [plant.code], field: value}

    response = api(it_lead).post("/api/rollouts/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_misaligned_date_says_why_and_names_the_nearest_aligned_days(
    api, viewer, plant
):
    rollout = make_rollout("ERP", [plant], kind="erp", go_live_on="period_start")
    today = plant.local_today()
    firsts = _first_working_days(
        api, viewer, plant, today, today + datetime.timedelta(days=150)
    )
    # A day between two period starts, well inside the horizon.
    before, after = firsts[1], firsts[2]
    day = datetime.date.fromisoformat(before) + datetime.timedelta(days=12)

    result = (
        api(viewer)
        .post(
            "/api/evaluations/",
            {"plant": plant.code, "rollout": rollout.id, "go_live": day.isoformat()},
        )
        .json()
    )

    assert result["feasible"] is False
    assert result["aligned"] is False
    assert result["reasons"] == ["not the first working day of a fiscal period"]
    assert result["nearest_aligned"]["before"]["go_live"] == before
    assert result["nearest_aligned"]["after"]["go_live"] == after
    # The aligned day itself is fine.
    aligned = (
        api(viewer)
        .post(
            "/api/evaluations/",
            {"plant": plant.code, "rollout": rollout.id, "go_live": after},
        )
        .json()
    )
    assert aligned["aligned"] is True
    assert aligned["feasible"] is True
    assert aligned["nearest_aligned"] == {}


def test_a_go_live_weekday_is_kept(api, viewer, plant):
    rollout = make_rollout("WMS", [plant], go_live_on="working_day", go_live_weekday=0)
    day = plant.local_today() + datetime.timedelta(days=60)
    day += datetime.timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday

    result = (
        api(viewer)
        .post(
            "/api/evaluations/",
            {"plant": plant.code, "rollout": rollout.id, "go_live": day.isoformat()},
        )
        .json()
    )

    assert result["reasons"] == ["not a Monday"]
    before = datetime.date.fromisoformat(result["nearest_aligned"]["before"]["go_live"])
    after = datetime.date.fromisoformat(result["nearest_aligned"]["after"]["go_live"])
    assert (before.weekday(), after.weekday()) == (0, 0)
    assert day - datetime.timedelta(days=15) < before < day < after
    assert after < day + datetime.timedelta(days=15)


def test_every_recommendation_goes_live_on_a_period_start(api, viewer, plant):
    rollout = make_rollout("ERP", [plant], kind="erp", go_live_on="period_start")
    recommendation_set_rebuild(plant=plant, rollout=rollout)
    today = plant.local_today()
    firsts = set(
        _first_working_days(
            api, viewer, plant, today, today + datetime.timedelta(days=790)
        )
    )

    windows = (
        api(viewer)
        .get(f"/api/plants/{plant.code}/recommendations/", {"rollout": rollout.id})
        .json()["results"]
    )

    assert len(windows) >= 5
    assert {w["go_live"] for w in windows} <= firsts


def test_the_window_calendar_hatches_misaligned_days_and_explains(it_lead, plant):
    rollout = make_rollout("ERP", [plant], kind="erp", go_live_on="period_start")
    web = Client()
    web.force_login(it_lead)
    day = plant.local_today() + datetime.timedelta(days=45)
    if day.day <= 7:
        day += datetime.timedelta(days=10)

    page = web.get(
        f"/plants/{plant.code}/calendar/",
        {"rollout": rollout.id, "day": day.isoformat()},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "not the first working day of a fiscal period" in html
    assert "Nearest allowed day before" in html
    assert "Nearest allowed day after" in html
    assert html.count("nf misaligned") > 200  # most days of the 12 months
