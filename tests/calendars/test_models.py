"""What the calendar models accept, what they reject, and how they recur."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from calendars import services
from calendars.models import Blackout, CalendarException, Milestone
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlantFactory,
)

D = datetime.date
MONTH_END = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"

pytestmark = pytest.mark.django_db


def _errors(item) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    "factory",
    [MilestoneFactory, CalendarExceptionFactory, PeakSeasonFactory],
    ids=["milestone", "exception", "one-off season"],
)
def test_it_rejects_reversed_dates(factory):
    item = factory.build(plant=PlantFactory(), start=D(2026, 5, 10), end=D(2026, 5, 9))

    assert _errors(item) == {"end": ["The end is before the start."]}


def test_it_rejects_a_reversed_blackout_range():
    blackout = BlackoutFactory.build(
        plant=PlantFactory(), rrule="", start=D(2026, 5, 10), end=D(2026, 5, 9)
    )

    assert _errors(blackout) == {"end": ["The end is before the start."]}


def test_the_service_rejects_reversed_dates_and_saves_nothing():
    plant = PlantFactory()

    with pytest.raises(ValidationError) as caught:
        services.calendar_item_create(
            model=Milestone,
            plant=plant,
            name="SOP",
            kind=Milestone.Kind.START_OF_PRODUCTION,
            start=D(2026, 5, 10),
            end=D(2026, 5, 9),
        )

    assert "end" in caught.value.message_dict
    assert not Milestone.objects.exists()


def test_a_single_day_item_is_valid():
    MilestoneFactory.build(
        plant=PlantFactory(), start=D(2026, 5, 10), end=D(2026, 5, 10)
    ).full_clean()


def test_a_recurring_season_may_cross_new_year():
    season = PeakSeasonFactory.build(
        plant=PlantFactory(),
        start=D(2025, 12, 1),
        end=D(2026, 2, 15),
        recurring_yearly=True,
    )
    season.full_clean()

    assert season.occurrences(D(2026, 1, 1), D(2027, 12, 31)) == [
        (D(2025, 12, 1), D(2026, 2, 15)),
        (D(2026, 12, 1), D(2027, 2, 15)),
        (D(2027, 12, 1), D(2028, 2, 15)),
    ]


def test_a_recurring_season_ignores_the_year_it_was_entered_with():
    # Entered as 12-01 of one year to 02-15 of the *same* year: still a
    # winter season that crosses New Year.
    season = PeakSeasonFactory.build(
        start=D(2026, 12, 1), end=D(2026, 2, 15), recurring_yearly=True
    )

    assert season.occurrences(D(2027, 1, 1), D(2027, 1, 31)) == [
        (D(2026, 12, 1), D(2027, 2, 15))
    ]


def test_a_recurring_season_within_one_year_recurs_every_year():
    season = PeakSeasonFactory.build(
        start=D(2020, 6, 1), end=D(2020, 8, 31), recurring_yearly=True
    )

    assert season.occurrences(D(2026, 1, 1), D(2027, 12, 31)) == [
        (D(2026, 6, 1), D(2026, 8, 31)),
        (D(2027, 6, 1), D(2027, 8, 31)),
    ]


def test_a_one_off_season_does_not_recur():
    season = PeakSeasonFactory.build(start=D(2026, 10, 1), end=D(2026, 11, 30))

    assert season.occurrences(D(2027, 1, 1), D(2027, 12, 31)) == []
    assert season.occurrences(D(2026, 11, 30), D(2026, 12, 31)) == [
        (D(2026, 10, 1), D(2026, 11, 30))
    ]


def test_a_recurring_season_needs_different_start_and_end_days():
    season = PeakSeasonFactory.build(
        plant=PlantFactory(),
        start=D(2025, 3, 1),
        end=D(2026, 3, 1),
        recurring_yearly=True,
    )

    assert list(_errors(season)) == ["end"]


@pytest.mark.parametrize(
    "rrule", ["FREQ=SOMETIMES", "FREQ=MONTHLY;BYDAY=XX", "every last friday"]
)
def test_it_rejects_an_invalid_rrule(rrule):
    blackout = BlackoutFactory.build(plant=PlantFactory(), rrule=rrule)

    errors = _errors(blackout)

    assert list(errors) == ["rrule"]
    assert errors["rrule"][0].startswith("Not a valid RRULE")


def test_a_missing_start_is_not_blamed_on_a_valid_rrule():
    blackout = BlackoutFactory.build(plant=PlantFactory(), start=None)

    assert list(_errors(blackout)) == ["start"]


def test_it_accepts_an_rrule_with_the_rrule_prefix_and_strips_it():
    blackout = BlackoutFactory.build(plant=PlantFactory(), rrule=f" RRULE:{MONTH_END} ")

    blackout.full_clean()

    assert blackout.rrule == MONTH_END


def test_a_blackout_needs_an_end_or_a_recurrence():
    blackout = BlackoutFactory.build(plant=PlantFactory(), rrule="", end=None)

    assert _errors(blackout) == {"end": ["Give an end date or a recurrence rule."]}


def test_it_rejects_an_unsupported_country():
    plant = PlantFactory.build(country="XX")

    assert list(_errors(plant)) == ["country"]


def test_it_rejects_an_unsupported_subdivision():
    plant = PlantFactory.build(stuttgart=True, subdivision="ZZ")

    errors = _errors(plant)

    assert list(errors) == ["subdivision"]
    assert "BW" in errors["subdivision"][0]  # it lists what is supported


def test_it_normalises_country_and_subdivision_to_upper_case():
    plant = PlantFactory.build(stuttgart=True, country="de", subdivision="bw")

    plant.full_clean()

    assert (plant.country, plant.subdivision) == ("DE", "BW")


def test_it_accepts_a_subdivision_the_package_spells_in_mixed_case():
    # The holidays package knows the city of Augsburg (Peace Festival, 8 Aug).
    plant = PlantFactory.build(stuttgart=True, subdivision="Augsburg")

    plant.full_clean()

    assert plant.subdivision == "Augsburg"


def test_it_rejects_an_unknown_holiday_category():
    plant = PlantFactory.build(holiday_categories=["public", "pirate"])

    errors = _errors(plant)

    assert list(errors) == ["holiday_categories"]
    assert "pirate" in errors["holiday_categories"][0]


def test_it_rejects_an_empty_list_of_holiday_categories():
    plant = PlantFactory.build(holiday_categories=[])

    assert "holiday_categories" in _errors(plant)


@pytest.mark.parametrize(
    "weekend",
    [[7], [-1], ["Sat"], [5, 5], [0, 1, 2, 3, 4, 5, 6], "5,6"],
    ids=["seven", "negative", "name", "duplicate", "no-working-day", "string"],
)
def test_it_rejects_bad_weekend_days(weekend):
    plant = PlantFactory.build(weekend_days=weekend)

    assert list(_errors(plant)) == ["weekend_days"]


@pytest.mark.parametrize("weekend", [[6], [4, 5]])
def test_it_accepts_other_weekends(weekend):
    PlantFactory.build(weekend_days=weekend).full_clean()


def test_it_accepts_a_plant_that_works_seven_days_a_week():
    PlantFactory.build(weekend_days=[]).full_clean()


def test_it_rejects_a_bad_time_zone():
    plant = PlantFactory.build(timezone="Mars/Base")

    errors = _errors(plant)

    assert list(errors) == ["timezone"]
    assert "Mars/Base" in errors["timezone"][0]


def test_the_default_factory_plant_is_valid():
    PlantFactory.build().full_clean()


def test_a_closure_is_the_only_non_working_exception():
    kinds = {
        kind: CalendarException(kind=kind).is_working
        for kind in CalendarException.Kind.values
    }

    assert kinds == {
        "closure": False,
        "half_day": True,
        "extra_working_day": True,
        "makeup_working_day": True,
    }


def test_month_end_blackouts_fall_on_the_last_two_weekdays_of_each_month():
    blackout = BlackoutFactory.build(
        start=D(2026, 1, 1), rrule=MONTH_END, duration_days=1
    )

    assert blackout.occurrences(D(2026, 1, 1), D(2026, 6, 30)) == [
        (D(2026, 1, 29), D(2026, 1, 29)),  # Thu; the 31st is a Saturday
        (D(2026, 1, 30), D(2026, 1, 30)),
        (D(2026, 2, 26), D(2026, 2, 26)),  # Thu; the 28th is a Saturday
        (D(2026, 2, 27), D(2026, 2, 27)),
        (D(2026, 3, 30), D(2026, 3, 30)),  # Mon
        (D(2026, 3, 31), D(2026, 3, 31)),  # Tue
        (D(2026, 4, 29), D(2026, 4, 29)),
        (D(2026, 4, 30), D(2026, 4, 30)),
        (D(2026, 5, 28), D(2026, 5, 28)),  # Thu; the 31st is a Sunday
        (D(2026, 5, 29), D(2026, 5, 29)),
        (D(2026, 6, 29), D(2026, 6, 29)),
        (D(2026, 6, 30), D(2026, 6, 30)),
    ]


def test_a_three_day_blackout_spans_three_days_and_reaches_into_the_window():
    blackout = BlackoutFactory.build(
        start=D(2026, 1, 1), rrule=MONTH_END, duration_days=3
    )

    assert blackout.occurrences(D(2026, 3, 1), D(2026, 3, 31)) == [
        (D(2026, 2, 27), D(2026, 3, 1)),  # starts in February, ends on 1 March
        (D(2026, 3, 30), D(2026, 4, 1)),
        (D(2026, 3, 31), D(2026, 4, 2)),
    ]


def test_a_recurring_blackout_stops_at_its_end():
    blackout = BlackoutFactory.build(
        start=D(2026, 1, 1), end=D(2026, 2, 27), rrule=MONTH_END
    )

    assert blackout.occurrences(D(2026, 1, 1), D(2026, 12, 31)) == [
        (D(2026, 1, 29), D(2026, 1, 29)),
        (D(2026, 1, 30), D(2026, 1, 30)),
        (D(2026, 2, 26), D(2026, 2, 26)),
        (D(2026, 2, 27), D(2026, 2, 27)),
    ]


def test_a_recurring_blackout_does_not_start_before_its_start():
    blackout = BlackoutFactory.build(start=D(2026, 3, 1), rrule=MONTH_END)

    assert blackout.occurrences(D(2026, 1, 1), D(2026, 3, 31)) == [
        (D(2026, 3, 30), D(2026, 3, 30)),
        (D(2026, 3, 31), D(2026, 3, 31)),
    ]


def test_a_blackout_range_occurs_once():
    blackout = BlackoutFactory.build(rrule="", start=D(2026, 12, 28), end=D(2027, 1, 4))

    assert blackout.occurrences(D(2027, 1, 1), D(2027, 1, 31)) == [
        (D(2026, 12, 28), D(2027, 1, 4))
    ]
    assert blackout.occurrences(D(2027, 1, 5), D(2027, 1, 31)) == []


def test_milestone_buffers_widen_its_span():
    milestone = Milestone(
        start=D(2026, 9, 14),
        end=D(2026, 9, 18),
        freeze_before_days=3,
        freeze_after_days=2,
    )

    assert (milestone.buffered_start, milestone.buffered_end) == (
        D(2026, 9, 11),
        D(2026, 9, 20),
    )


def test_a_blackout_rejects_a_zero_day_duration():
    blackout = BlackoutFactory.build(plant=PlantFactory(), duration_days=0)

    assert list(_errors(blackout)) == ["duration_days"]


def test_a_blackout_needs_a_kind_from_the_list():
    blackout = BlackoutFactory.build(plant=PlantFactory(), kind="party")

    assert list(_errors(blackout)) == ["kind"]


@pytest.mark.django_db
def test_it_reads_a_utc_until_from_a_calendar_app_as_a_local_bound():
    plant = PlantFactory()
    blackout = Blackout(
        plant=plant,
        name="Weekly freeze",
        kind=Blackout.Kind.IT_FREEZE,
        start=datetime.date(2026, 1, 5),
        rrule="RRULE:FREQ=WEEKLY;UNTIL=20260202T000000Z",
    )

    blackout.full_clean()

    spans = blackout.occurrences(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert [first for first, _ in spans][-1] == datetime.date(2026, 2, 2)
    assert len(spans) == 5
