"""A plant's fiscal calendar through the API, and the period-close blackouts
generated from it in the daily calendar, the engine and the feed."""

import datetime

import pytest

from calendars import services
from calendars.models import Plant
from rollout import scoring
from rollout.calendar_arrays import plant_calendar_load
from tests.api.conftest import make_rollout

pytestmark = pytest.mark.django_db


def _periods(api, user, code, start, end):
    return api(user).get(
        f"/api/plants/{code}/fiscal-periods/", {"start": start, "end": end}
    )


def test_a_4_4_5_year_of_53_weeks(api, manager, plant):
    # Years ending on the last Saturday of December: FY2021 ended on
    # 2021-12-25, FY2022 on 2022-12-31, so FY2022 has 53 weeks and its twelfth
    # period six.
    response = api(manager).patch(
        "/api/plants/sz/",
        {"fiscal_pattern": "4-4-5", "fiscal_week_end_day": 5},
        format="json",
    )
    assert response.status_code == 200, response.json()

    periods = _periods(api, manager, "sz", "2022-01-01", "2022-12-31").json()

    assert len(periods) == 12
    assert periods[0] == {
        "year": 2022,
        "quarter": 1,
        "period": 1,
        "start": "2021-12-26",
        "end": "2022-01-22",
    }
    assert (periods[2]["start"], periods[2]["end"]) == ("2022-02-20", "2022-03-26")
    assert periods[-1] == {
        "year": 2022,
        "quarter": 4,
        "period": 12,
        "start": "2022-11-20",
        "end": "2022-12-31",
    }
    first = datetime.date.fromisoformat(periods[0]["start"])
    last = datetime.date.fromisoformat(periods[-1]["end"])
    assert ((last - first).days + 1) // 7 == 53
    # The next year is back to 52 weeks: FY2023 ends on 2023-12-30.
    following = _periods(api, manager, "sz", "2023-12-01", "2023-12-31").json()
    assert [(p["year"], p["period"], p["end"]) for p in following] == [
        (2023, 12, "2023-12-30"),
        (2024, 1, "2024-01-27"),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2027-13-01"}, "start"),
        ({"start": "2027-03-01", "end": "2027-02-01"}, "end"),
        ({"start": "2027-01-01", "end": "2040-01-01"}, "end"),
    ],
)
def test_a_bad_range_is_a_400_naming_the_field(api, viewer, plant, query, field):
    response = api(viewer).get("/api/plants/sz/fiscal-periods/", query)

    assert response.status_code == 400
    assert field in response.json()


def test_fiscal_periods_of_another_plant_are_not_found(api, viewer, other_plant):
    response = api(viewer).get("/api/plants/stg/fiscal-periods/")

    assert response.status_code == 404


def _closing(plant: Plant, **fields) -> Plant:
    return services.plant_update(plant=plant, **fields)


def test_period_closes_in_the_daily_calendar(api, viewer, plant):
    # April-March years, the last two and the first working day of each month.
    _closing(plant, fiscal_year_end_month=3, close_last_days=2, close_first_days=1)

    days = (
        api(viewer)
        .get("/api/plants/sz/calendar/", {"start": "2027-03-26", "end": "2027-04-06"})
        .json()
    )
    by_day = {d["date"]: (d["blackouts"], d["forbidden"]) for d in days}

    # Fri 26 and Mon 29 March are ordinary; Tue 30 and Wed 31 March close the
    # fiscal year FY2027 (hard); Thu 1 April opens FY2028 (soft).
    assert by_day["2027-03-26"] == ([], False)
    assert by_day["2027-03-29"] == ([], False)
    assert by_day["2027-03-30"] == (["year-end close FY2027"], True)
    assert by_day["2027-03-31"] == (["year-end close FY2027"], True)
    assert by_day["2027-04-01"] == (["period close FY2027 P12"], False)
    assert by_day["2027-04-02"] == ([], False)
    # Qingming (5 April 2027) is a holiday: the close of P01 is still April's
    # last working days, so early April carries nothing more.
    assert by_day["2027-04-05"] == ([], False)
    assert [d["forbidden_reason"] for d in days if d["date"] == "2027-03-31"] == [
        "hard year-end close FY2027"
    ]


def test_a_month_close_skips_weekends_and_holidays(api, viewer, plant):
    _closing(plant, close_last_days=2, close_first_days=2)

    days = (
        api(viewer)
        .get("/api/plants/sz/calendar/", {"start": "2027-04-28", "end": "2027-05-08"})
        .json()
    )
    closing = [d["date"] for d in days if "period close FY2027 P04" in d["blackouts"]]

    # 29-30 April are April's last working days; 1-4 May is the Labour Day
    # holiday, so May's first two working days are Wed 5 and Thu 6 May; the
    # holiday between stays inside the one close window.
    assert closing == [
        "2027-04-29",
        "2027-04-30",
        "2027-05-01",
        "2027-05-02",
        "2027-05-03",
        "2027-05-04",
        "2027-05-05",
        "2027-05-06",
    ]


def test_no_close_days_no_generated_blackouts(api, viewer, plant):
    days = (
        api(viewer)
        .get("/api/plants/sz/calendar/", {"start": "2027-03-01", "end": "2027-05-31"})
        .json()
    )

    assert all(d["blackouts"] == [] for d in days)


def test_the_engine_counts_a_close_and_forbids_a_year_end(plant):
    _closing(plant, close_last_days=2, close_first_days=1)
    rollout = make_rollout("MES", [plant], cutover_days=1)
    calendar = plant_calendar_load(plant=plant, today=datetime.date(2027, 11, 1))
    causes = [c for c in calendar.arrays.causes if c.kind == "period_close"]

    names = {c.name for c in causes}
    assert "period close FY2027 P11" in names
    assert "year-end close FY2027" in names
    year_end = next(c for c in causes if c.name == "year-end close FY2027")
    assert year_end.hard and year_end.factor == "blackout"
    assert calendar.date(year_end.start) == datetime.date(2027, 12, 30)
    assert calendar.date(year_end.end) == datetime.date(2027, 12, 31)

    scores = scoring.score_horizon(calendar.arrays, calendar.spec_for(rollout))
    g = calendar.index(datetime.date(2027, 12, 31))
    assert "HARD_CONFLICT_CUTOVER" in scoring.reason_codes(int(scores.reasons[g]))


def test_the_feed_lists_the_closes(api, viewer, plant):
    _closing(plant, close_last_days=1, close_first_days=0)
    token = api(viewer).post("/api/auth/feed-token/").json()["token"]

    body = api(viewer).get(f"/calendars/sz.ics?token={token}").content.decode()

    assert "SUMMARY:year-end close FY" in body
    assert "SUMMARY:period close FY" in body
