"""Public holidays and official make-up working days, as a plant's calendar shows
them.

The Chinese dates are the State Council's published arrangements (国务院办公厅
关于2025年/2026年部分节假日安排的通知), written out by hand, not taken from
the holidays package.
"""

import datetime

import pytest

from calendars import holidays as plant_holidays
from calendars.selectors import plant_calendar
from tests.factories import PlantFactory

D = datetime.date

pytestmark = pytest.mark.django_db


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(n) for n in range((last - first).days + 1)]


def _dates(index) -> list[datetime.date]:
    return [ts.date() for ts in index]


# The official arrangements: every day off (weekends inside a holiday block
# included) and every make-up working day (调休上班).
CN_2025_OFF = [
    *_days(D(2025, 1, 1), D(2025, 1, 1)),  # 元旦
    *_days(D(2025, 1, 28), D(2025, 2, 4)),  # 春节, 8 days
    *_days(D(2025, 4, 4), D(2025, 4, 6)),  # 清明节
    *_days(D(2025, 5, 1), D(2025, 5, 5)),  # 劳动节
    *_days(D(2025, 5, 31), D(2025, 6, 2)),  # 端午节
    *_days(D(2025, 10, 1), D(2025, 10, 8)),  # 国庆节、中秋节
]
CN_2025_MAKEUP = [
    D(2025, 1, 26),  # Sun
    D(2025, 2, 8),  # Sat
    D(2025, 4, 27),  # Sun
    D(2025, 9, 28),  # Sun
    D(2025, 10, 11),  # Sat
]
# The Monday-to-Friday days off, listed one by one.
CN_2025_WEEKDAYS_OFF = [
    D(2025, 1, 1),
    D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
    D(2025, 2, 3), D(2025, 2, 4),
    D(2025, 4, 4),
    D(2025, 5, 1), D(2025, 5, 2), D(2025, 5, 5),
    D(2025, 6, 2),
    D(2025, 10, 1), D(2025, 10, 2), D(2025, 10, 3),
    D(2025, 10, 6), D(2025, 10, 7), D(2025, 10, 8),
]  # fmt: skip

CN_2026_OFF = [
    *_days(D(2026, 1, 1), D(2026, 1, 3)),  # 元旦
    *_days(D(2026, 2, 15), D(2026, 2, 23)),  # 春节, 9 days
    *_days(D(2026, 4, 4), D(2026, 4, 6)),  # 清明节
    *_days(D(2026, 5, 1), D(2026, 5, 5)),  # 劳动节
    *_days(D(2026, 6, 19), D(2026, 6, 21)),  # 端午节
    *_days(D(2026, 9, 25), D(2026, 9, 27)),  # 中秋节
    *_days(D(2026, 10, 1), D(2026, 10, 7)),  # 国庆节
]
CN_2026_MAKEUP = [
    D(2026, 1, 4),  # Sun
    D(2026, 2, 14),  # Sat
    D(2026, 2, 28),  # Sat
    D(2026, 5, 9),  # Sat
    D(2026, 9, 20),  # Sun
    D(2026, 10, 10),  # Sat
]
CN_2026_WEEKDAYS_OFF = [
    D(2026, 1, 1), D(2026, 1, 2),
    D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19),
    D(2026, 2, 20), D(2026, 2, 23),
    D(2026, 4, 6),
    D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5),
    D(2026, 6, 19),
    D(2026, 9, 25),
    D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 7),
]  # fmt: skip

CN_YEARS = pytest.mark.parametrize(
    "year, off, makeup, weekdays_off",
    [
        (2025, CN_2025_OFF, CN_2025_MAKEUP, CN_2025_WEEKDAYS_OFF),
        (2026, CN_2026_OFF, CN_2026_MAKEUP, CN_2026_WEEKDAYS_OFF),
    ],
)


@pytest.fixture
def shenzhen():
    return PlantFactory(code="sz", name="Shenzhen")


def _year(plant, year: int):
    return plant_calendar(plant=plant, start=D(year, 1, 1), end=D(year, 12, 31))


@CN_YEARS
def test_china_official_days_off_are_not_working_days(
    shenzhen, year, off, makeup, weekdays_off
):
    frame = _year(shenzhen, year)

    not_working = frame.loc[[str(d) for d in off], "is_working"]
    assert not not_working.any(), not_working[not_working].index.tolist()


@CN_YEARS
def test_china_make_up_days_are_working_days(shenzhen, year, off, makeup, weekdays_off):
    frame = _year(shenzhen, year)

    rows = frame.loc[[str(d) for d in makeup]]
    assert rows["is_working"].all()
    assert (rows["reason"] == "make-up working day").all()
    assert not rows["absence"].any()


@CN_YEARS
def test_china_working_weekends_are_exactly_the_make_up_days(
    shenzhen, year, off, makeup, weekdays_off
):
    frame = _year(shenzhen, year)
    weekend = frame.index.day_of_week >= 5

    assert _dates(frame.index[weekend & frame["is_working"]]) == makeup


@CN_YEARS
def test_china_weekdays_off_are_exactly_the_official_ones(
    shenzhen, year, off, makeup, weekdays_off
):
    frame = _year(shenzhen, year)
    weekday = frame.index.day_of_week < 5

    assert _dates(frame.index[weekday & ~frame["is_working"]]) == weekdays_off


@CN_YEARS
def test_china_staff_are_away_on_every_weekday_holiday_and_only_then(
    shenzhen, year, off, makeup, weekdays_off
):
    frame = _year(shenzhen, year)
    weekday = frame.index.day_of_week < 5

    assert _dates(frame.index[weekday & frame["absence"]]) == weekdays_off


def test_china_holidays_carry_their_names(shenzhen):
    frame = _year(shenzhen, 2026)

    assert frame.loc["2026-01-01", "reason"] == "New Year's Day"
    assert frame.loc["2026-02-17", "reason"] == "Chinese New Year (Spring Festival)"
    assert frame.loc["2026-10-01", "reason"] == "National Day"
    assert frame.loc["2026-02-21", "reason"] == "weekend"
    assert frame.loc["2026-02-24", "reason"] == ""


def test_china_2026_is_published_and_the_year_after_the_last_published_is_not(
    shenzhen,
):
    last = plant_holidays.published_through("CN")
    assert last is not None and last >= 2026

    frame = plant_calendar(plant=shenzhen, start=D(2026, 1, 1), end=D(last + 1, 12, 31))

    assert not frame.loc["2026", "provisional"].any()
    assert not frame.loc[str(last), "provisional"].any()
    assert frame.loc[str(last + 1), "provisional"].all()
    assert list(frame.index[frame["provisional"]].year.unique()) == [last + 1]


def test_a_germany_plant_is_never_provisional():
    plant = PlantFactory(stuttgart=True)

    frame = plant_calendar(plant=plant, start=D(2026, 1, 1), end=D(2030, 12, 31))

    assert plant_holidays.published_through("DE") is None
    assert not frame["provisional"].any()


@pytest.mark.parametrize(
    "day, name",
    [
        ("2026-01-06", "Epiphany"),
        ("2026-06-04", "Corpus Christi"),
        ("2026-11-01", "All Saints' Day"),  # a Sunday
    ],
)
def test_baden_wuerttemberg_keeps_its_catholic_holidays(day, name):
    plant = PlantFactory(stuttgart=True)

    row = _year(plant, 2026).loc[day]

    assert not row["is_working"]
    assert row["reason"] == name
    assert row["absence"]


def test_epiphany_is_a_working_day_in_berlin():
    plant = PlantFactory(berlin=True)

    row = _year(plant, 2026).loc["2026-01-06"]

    assert row["is_working"]
    assert row["reason"] == ""
    assert not row["absence"]


def test_baden_wuerttemberg_2026_has_these_weekday_holidays():
    plant = PlantFactory(stuttgart=True)
    frame = _year(plant, 2026)
    weekday = frame.index.day_of_week < 5

    assert _dates(frame.index[weekday & ~frame["is_working"]]) == [
        D(2026, 1, 1),  # New Year
        D(2026, 1, 6),  # Epiphany
        D(2026, 4, 3),  # Good Friday
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),  # Labour Day
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Whit Monday
        D(2026, 6, 4),  # Corpus Christi
        D(2026, 12, 25),  # Christmas; 3 Oct and 1 Nov fall on a weekend
    ]


def test_us_independence_day_on_a_saturday_is_observed_on_friday():
    plant = PlantFactory(ohio=True)
    frame = _year(plant, 2026)

    friday = frame.loc["2026-07-03"]
    assert not friday["is_working"]
    assert friday["reason"] == "Independence Day (observed)"
    assert friday["absence"]
    assert frame.loc["2026-07-04", "reason"] == "Independence Day"
    assert frame.loc["2026-07-06", "is_working"]


def test_us_thanksgiving_is_a_day_off():
    plant = PlantFactory(ohio=True)

    row = _year(plant, 2026).loc["2026-11-26"]

    assert not row["is_working"]
    assert row["reason"] == "Thanksgiving Day"


def test_a_plant_with_a_friday_saturday_weekend_works_on_sunday():
    plant = PlantFactory(stuttgart=True, weekend_days=[4, 5])

    frame = plant_calendar(plant=plant, start=D(2026, 3, 9), end=D(2026, 3, 15))

    assert frame["is_working"].tolist() == [True, True, True, True, False, False, True]
    assert frame["reason"].tolist() == ["", "", "", "", "weekend", "weekend", ""]
    assert frame["utilisation"].tolist() == [0.7, 0.7, 0.7, 0.7, 0.0, 0.0, 0.7]


def test_a_plant_that_works_saturdays_has_only_sunday_off():
    plant = PlantFactory(stuttgart=True, weekend_days=[6])

    frame = plant_calendar(plant=plant, start=D(2026, 3, 9), end=D(2026, 3, 15))

    assert frame["is_working"].tolist() == [True] * 6 + [False]


def test_a_holiday_in_a_range_that_spans_two_years_is_kept():
    plant = PlantFactory(stuttgart=True)

    frame = plant_calendar(plant=plant, start=D(2026, 12, 31), end=D(2027, 1, 6))

    assert frame.loc["2027-01-01", "reason"] == "New Year's Day"
    assert frame.loc["2027-01-06", "reason"] == "Epiphany"
    assert frame.loc["2026-12-31", "is_working"]
