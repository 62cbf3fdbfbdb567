"""Seasons anchored to movable holidays, resolved from the holidays package.

The expected dates were checked against holidays 0.109 and public calendars:
China's Spring Festival (春节), Easter-based German holidays, US Thanksgiving.
"""

import datetime

import pytest

from calendars.anchor_suggestions import SUGGESTIONS, suggested_seasons
from calendars.anchors import (
    Anchor,
    AnchorValueError,
    anchor_dates,
    anchor_key,
    anchored_occurrences,
    holiday_anchors,
)
from calendars.holidays import UnsupportedLocation

D = datetime.date
SPRING_FESTIVAL = "chinese-new-year-spring-festival"
CHINA = {"country": "CN", "subdivision": "", "categories": ["public"]}
GERMANY = {"country": "DE", "subdivision": "BY", "categories": ["public"]}
USA = {"country": "US", "subdivision": "", "categories": ["public"]}


def anchors_by_key(**arguments) -> dict[str, Anchor]:
    return {anchor.key: anchor for anchor in holiday_anchors(**arguments)}


def test_the_spring_festival_anchors_on_its_first_day_each_year():
    dates = anchor_dates(
        **CHINA, key=SPRING_FESTIVAL, start=D(2026, 1, 1), end=D(2028, 12, 31)
    )

    # The years before and after the range are included.
    assert dates == [
        D(2025, 1, 29),
        D(2026, 2, 17),
        D(2027, 2, 6),
        D(2028, 1, 26),
        D(2029, 2, 13),
    ]


def test_new_years_eve_is_its_own_anchor_the_day_before_the_festival():
    dates = anchor_dates(
        **CHINA, key="chinese-new-years-eve", start=D(2026, 1, 1), end=D(2026, 12, 31)
    )

    assert D(2026, 2, 16) in dates


def test_keys_and_dates_are_the_same_in_every_language():
    results = [
        holiday_anchors(**CHINA, on_or_after=D(2026, 1, 10), language=language)
        for language in (None, "en_US", "zh_CN", "zh-hans", "zh_TW", "th")
    ]

    keys = [[(a.key, a.next_date) for a in result] for result in results]
    assert all(k == keys[0] for k in keys[1:])
    assert (SPRING_FESTIVAL, D(2026, 2, 17)) in keys[0]


def test_names_come_out_in_chinese_for_zh_cn():
    anchors = anchors_by_key(**CHINA, on_or_after=D(2026, 1, 10), language="zh_CN")

    assert anchors[SPRING_FESTIVAL].name == "春节"
    assert anchors["national-day"].name == "国庆节"
    assert anchors["chinese-new-years-eve"].name == "农历除夕"


def test_an_unsupported_language_falls_back_to_english_names():
    anchors = anchors_by_key(**CHINA, on_or_after=D(2026, 1, 10), language="de")

    assert anchors[SPRING_FESTIVAL].name == "Chinese New Year (Spring Festival)"


def test_next_date_is_the_next_occurrence_starting_on_or_after_the_day():
    during = anchors_by_key(**CHINA, on_or_after=D(2026, 2, 18))
    on_the_day = anchors_by_key(**CHINA, on_or_after=D(2026, 2, 17))

    assert on_the_day[SPRING_FESTIVAL].next_date == D(2026, 2, 17)
    assert during[SPRING_FESTIVAL].next_date == D(2027, 2, 6)
    assert [a.next_date for a in during.values()] == sorted(
        a.next_date for a in during.values()
    )


def test_observed_and_substitute_days_never_anchor():
    china = holiday_anchors(**CHINA, on_or_after=D(2026, 1, 1))
    usa = anchors_by_key(**USA, on_or_after=D(2026, 1, 1))

    # 2026-02-20 and 2026-10-06 are substitute days off (调休); 2026-10-05 is
    # National Day (observed).
    dates = {a.next_date for a in china}
    assert not dates & {D(2026, 2, 20), D(2026, 10, 5), D(2026, 10, 6)}
    assert not [a for a in china if "observed" in a.key or "substitut" in a.key]
    assert usa["independence-day"].next_date == D(2026, 7, 4)


def test_german_easter_anchors_follow_easter():
    good_friday = anchor_dates(
        **GERMANY, key="good-friday", start=D(2026, 1, 1), end=D(2028, 12, 31)
    )
    easter_monday = anchor_dates(
        **GERMANY, key="easter-monday", start=D(2026, 1, 1), end=D(2028, 12, 31)
    )
    names = anchors_by_key(**GERMANY, on_or_after=D(2026, 1, 1), language="de")

    assert good_friday[1:4] == [D(2026, 4, 3), D(2027, 3, 26), D(2028, 4, 14)]
    assert [m - f for f, m in zip(good_friday, easter_monday, strict=True)] == [
        datetime.timedelta(days=3)
    ] * len(good_friday)
    assert names["good-friday"].name == "Karfreitag"


def test_a_subdivision_holiday_is_an_anchor_only_where_it_is_a_holiday():
    brandenburg = {**GERMANY, "subdivision": "BB"}

    dates = anchor_dates(
        **brandenburg, key="easter-sunday", start=D(2026, 1, 1), end=D(2026, 12, 31)
    )

    assert D(2026, 4, 5) in dates
    with pytest.raises(AnchorValueError) as error:
        anchor_dates(
            **GERMANY, key="easter-sunday", start=D(2026, 1, 1), end=D(2026, 12, 31)
        )
    assert error.value.field == "anchor"


def test_thanksgiving_is_the_fourth_thursday_of_november():
    dates = anchor_dates(
        **USA, key="thanksgiving-day", start=D(2026, 1, 1), end=D(2027, 12, 31)
    )

    assert dates == [D(2025, 11, 27), D(2026, 11, 26), D(2027, 11, 25), D(2028, 11, 23)]
    assert all(d.weekday() == 3 and 22 <= d.day <= 28 for d in dates)


def test_estimated_dates_keep_the_holidays_key():
    # Later years' Islamic holidays are named "Eid al-Fitr (estimated)".
    india = {"country": "IN", "subdivision": "", "categories": ["public"]}

    dates = anchor_dates(
        **india, key="eid-al-fitr", start=D(2026, 1, 1), end=D(2029, 12, 31)
    )

    assert len(dates) == 6
    assert not any(
        a.key.endswith("estimated")
        for a in holiday_anchors(**india, on_or_after=D(2026, 6, 1))
    )


def test_a_break_running_over_new_year_is_one_holiday_anchored_in_december():
    school = {"country": "DE", "subdivision": "BW", "categories": ["school"]}

    dates = anchor_dates(
        **school, key="christmas-break", start=D(2026, 1, 1), end=D(2026, 12, 31)
    )

    assert D(2026, 1, 1) not in dates
    assert dates[0].month == 12 and dates[0].year == 2025


def test_occurrences_across_a_two_year_horizon():
    start, end = D(2026, 3, 1), D(2028, 2, 29)

    restart = anchored_occurrences(
        **CHINA, key=SPRING_FESTIVAL, days_before=0, days_after=21, start=start, end=end
    )
    rush = anchored_occurrences(
        **CHINA, key=SPRING_FESTIVAL, days_before=28, days_after=0, start=start, end=end
    )

    # Spans overlapping the range are returned whole, not clipped.
    assert restart == [
        (D(2026, 2, 17), D(2026, 3, 10)),
        (D(2027, 2, 6), D(2027, 2, 27)),
        (D(2028, 1, 26), D(2028, 2, 16)),
    ]
    assert rush == [
        (D(2027, 1, 9), D(2027, 2, 6)),
        (D(2027, 12, 29), D(2028, 1, 26)),
    ]


def test_a_span_anchored_in_the_next_year_reaches_back_into_the_range():
    spans = anchored_occurrences(
        **CHINA,
        key=SPRING_FESTIVAL,
        days_before=60,
        days_after=0,
        start=D(2026, 12, 1),
        end=D(2026, 12, 31),
    )

    assert spans == [(D(2026, 12, 8), D(2027, 2, 6))]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"key": "chinese-new-year"}, "anchor"),
        ({"key": "Spring Festival"}, "anchor"),
        ({"days_before": -1}, "days_before"),
        ({"days_before": 121}, "days_before"),
        ({"days_before": 1.5}, "days_before"),
        ({"days_after": True}, "days_after"),
        ({"days_after": "7"}, "days_after"),
        ({"end": D(2025, 12, 31)}, "end"),
    ],
)
def test_invalid_anchor_arguments_name_the_field(arguments, field):
    call = {
        **CHINA,
        "key": SPRING_FESTIVAL,
        "days_before": 0,
        "days_after": 21,
        "start": D(2026, 1, 1),
        "end": D(2027, 12, 31),
    } | arguments

    with pytest.raises(AnchorValueError) as error:
        anchored_occurrences(**call)

    assert error.value.field == field
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"subdivision": "ZZ"}, "subdivision"),
        ({"categories": []}, "holiday_categories"),
        ({"categories": "public"}, "holiday_categories"),
        ({"categories": ["bank"]}, "holiday_categories"),
    ],
)
def test_an_unsupported_location_names_the_field(location, field):
    with pytest.raises(UnsupportedLocation) as error:
        holiday_anchors(**(CHINA | location), on_or_after=D(2026, 1, 1))

    assert error.value.field == field


def test_keys_are_slugs_of_the_english_name():
    assert anchor_key("Chinese New Year's Eve") == "chinese-new-years-eve"
    assert anchor_key("Chinese New Year (Spring Festival)") == SPRING_FESTIVAL
    assert anchor_key("Benito Juárez’s birthday") == "benito-juarezs-birthday"
    assert anchor_key("春节") == "春节"


def test_china_is_offered_the_spring_festival_seasons_and_golden_week():
    seasons = suggested_seasons(**CHINA, on_or_after=D(2026, 1, 1))

    summary = [
        (s.name, s.anchor, s.days_before, s.days_after, s.severity) for s in seasons
    ]
    assert summary == [
        ("Pre-Spring-Festival rush", SPRING_FESTIVAL, 28, 0, 4),
        ("Post-festival restart", SPRING_FESTIVAL, 0, 21, 5),
        ("Golden Week", "national-day", 3, 10, 3),
    ]
    assert all(s.why for s in seasons)


def test_germany_anchors_christmas_on_christmas_day_without_a_christmas_eve():
    seasons = {
        s.name: s for s in suggested_seasons(**GERMANY, on_or_after=D(2026, 1, 1))
    }

    christmas = seasons["Christmas shutdown"]
    assert (christmas.anchor, christmas.days_before, christmas.days_after) == (
        "christmas-day",
        1,
        7,
    )
    assert seasons["Easter holidays"].anchor == "good-friday"


def test_mexico_is_offered_semana_santa_anchored_on_holy_thursday():
    # Holy Thursday is no federal rest day, so the package has no such MX
    # holiday: it is an observance computed from Easter (2027: 28 March).
    mexico = {"country": "MX", "subdivision": "", "categories": ["public"]}

    seasons = suggested_seasons(**mexico, on_or_after=D(2026, 1, 1))
    keys = anchors_by_key(**mexico, on_or_after=D(2027, 1, 1), language="es")
    spans = anchored_occurrences(
        **mexico,
        key="holy-thursday",
        days_before=3,
        days_after=10,
        start=D(2027, 1, 1),
        end=D(2028, 12, 31),
    )

    assert keys["holy-thursday"].next_date == D(2027, 3, 25)
    assert keys["holy-thursday"].name == "Jueves Santo"
    assert keys["good-friday"].next_date == D(2027, 3, 26)
    assert [(s.name, s.anchor) for s in seasons] == [
        ("Semana Santa", "holy-thursday"),
        ("Guadalupe-Reyes", "christmas-day"),
    ]
    # Holy Monday to the Sunday after Easter, in 2027 and 2028 (Easter 16 April).
    assert spans == [(D(2027, 3, 22), D(2027, 4, 4)), (D(2028, 4, 10), D(2028, 4, 23))]


def test_an_observance_is_no_holiday_of_the_plant():
    from calendars.holidays import holiday_calendar

    days = holiday_calendar("MX", "", ["public"], D(2027, 3, 20), D(2027, 3, 31))

    assert D(2027, 3, 25) not in days.holidays


@pytest.mark.parametrize("country", sorted(SUGGESTIONS))
def test_every_suggestion_anchors_on_a_holiday_the_country_has(country):
    location = {"country": country, "subdivision": "", "categories": ["public"]}

    seasons = suggested_seasons(**location, on_or_after=D(2026, 1, 1))
    keys = anchors_by_key(**location, on_or_after=D(2026, 1, 1))

    assert seasons
    for season in seasons:
        assert season.anchor in keys
        assert 1 <= season.severity <= 5
        assert 0 <= season.days_before <= 120 and 0 <= season.days_after <= 120


def test_the_us_season_reaches_new_year_whatever_day_thanksgiving_falls_on():
    (season,) = suggested_seasons(**USA, on_or_after=D(2026, 1, 1))

    spans = anchored_occurrences(
        **USA,
        key=season.anchor,
        days_before=season.days_before,
        days_after=season.days_after,
        start=D(2026, 1, 1),
        end=D(2035, 12, 31),
    )

    assert all(end >= D(start.year + 1, 1, 1) for start, end in spans)


def test_a_country_without_suggestions_gets_none():
    japan = {"country": "JP", "subdivision": "", "categories": ["public"]}

    assert suggested_seasons(**japan, on_or_after=D(2026, 1, 1)) == []
