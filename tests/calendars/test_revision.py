"""Every change that shapes a plant's calendar moves its calendar_revision once
and is announced after commit, never for a change that did not happen."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from calendars import services
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
)
from calendars.signals import calendar_changed
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlantFactory,
    ProductionPlanFactory,
)

D = datetime.date

pytestmark = pytest.mark.django_db

ITEM_FACTORIES = pytest.mark.parametrize(
    "factory",
    [CalendarExceptionFactory, PeakSeasonFactory, MilestoneFactory, BlackoutFactory],
    ids=["exception", "season", "milestone", "blackout"],
)


def _revision(plant: Plant) -> int:
    return Plant.objects.get(pk=plant.pk).calendar_revision


@pytest.fixture
def announcements():
    """The plant_ids of every calendar_changed sent while the test runs."""
    sent: list[tuple[int, ...]] = []

    def receiver(sender, plant_ids, **kwargs):
        sent.append(plant_ids)

    calendar_changed.connect(receiver, weak=False)
    yield sent
    calendar_changed.disconnect(receiver)


def test_creating_a_plant_starts_its_revision_at_one():
    plant = services.plant_create(
        code="sz", name="Shenzhen", timezone="Asia/Shanghai", country="CN"
    )

    assert plant.calendar_revision == 1
    assert _revision(plant) == 1


def test_saving_a_plant_bumps_its_revision_once():
    plant = PlantFactory()
    plant.weekend_days = [6]

    services.plant_save(plant=plant)

    assert _revision(plant) == 1
    assert plant.calendar_revision == 1


def test_saving_a_plant_loaded_before_another_change_does_not_lose_that_change():
    plant = PlantFactory()
    stale = Plant.objects.get(pk=plant.pk)
    services.calendar_item_create(
        model=Milestone,
        plant=plant,
        name="SOP",
        kind=Milestone.Kind.START_OF_PRODUCTION,
        start=D(2026, 9, 14),
        end=D(2026, 9, 14),
    )
    stale.default_utilisation = 0.8

    services.plant_save(plant=stale)

    assert _revision(plant) == 2
    assert stale.calendar_revision == 2


def test_a_plant_cannot_set_its_own_revision():
    plant = PlantFactory()
    plant.calendar_revision = 41

    services.plant_save(plant=plant)

    assert _revision(plant) == 1


@ITEM_FACTORIES
def test_creating_an_item_bumps_its_plant_once(factory):
    plant = PlantFactory()

    services.calendar_item_save(item=factory.build(plant=plant))

    assert _revision(plant) == 1


@ITEM_FACTORIES
def test_updating_an_item_bumps_its_plant_once(factory):
    item = factory()

    services.calendar_item_update(item=item, name="renamed")

    assert _revision(item.plant) == 1
    assert type(item).objects.get(pk=item.pk).name == "renamed"


@ITEM_FACTORIES
def test_deleting_an_item_bumps_its_plant_once(factory):
    item = factory()
    model = type(item)

    services.calendar_item_delete(item=item)

    assert _revision(item.plant) == 1
    assert not model.objects.exists()


def test_creating_an_item_leaves_other_plants_alone():
    plant, other = PlantFactory(), PlantFactory()

    services.calendar_item_save(item=MilestoneFactory.build(plant=plant))

    assert (_revision(plant), _revision(other)) == (1, 0)


def test_a_company_wide_season_bumps_every_plant_once():
    plants = PlantFactory.create_batch(3)

    season = services.calendar_item_create(
        model=PeakSeason,
        plant=None,
        name="Singles' Day rush",
        start=D(2026, 11, 1),
        end=D(2026, 11, 15),
    )
    assert [_revision(p) for p in plants] == [1, 1, 1]

    services.calendar_item_update(item=season, severity=5)
    assert [_revision(p) for p in plants] == [2, 2, 2]

    services.calendar_item_delete(item=season)
    assert [_revision(p) for p in plants] == [3, 3, 3]


def test_narrowing_a_company_wide_season_to_one_plant_bumps_every_plant():
    a, b = PlantFactory(), PlantFactory()
    season = PeakSeasonFactory(plant=None)

    services.calendar_item_update(item=season, plant=a)

    assert (_revision(a), _revision(b)) == (1, 1)


def test_moving_a_milestone_to_another_plant_bumps_both_once():
    a, b, c = PlantFactory(), PlantFactory(), PlantFactory()
    milestone = MilestoneFactory(plant=a)

    services.calendar_item_update(item=milestone, plant=b)

    assert (_revision(a), _revision(b), _revision(c)) == (1, 1, 0)
    assert Milestone.objects.get(pk=milestone.pk).plant == b


def test_switching_a_production_plan_off_bumps_its_plant():
    plan = ProductionPlanFactory()

    services.production_plan_set_active(plan=plan, active=False)

    assert _revision(plan.plant) == 1


def test_deleting_a_production_plan_bumps_its_plant():
    plan = ProductionPlanFactory()

    services.calendar_item_delete(item=plan)

    assert _revision(plan.plant) == 1


def test_the_change_is_announced_once_after_commit_with_the_plant(
    django_capture_on_commit_callbacks, announcements
):
    plant = PlantFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_item_save(item=MilestoneFactory.build(plant=plant))
        assert announcements == []  # not while the transaction is open

    assert announcements == [(plant.id,)]


def test_a_company_wide_change_is_announced_once_with_every_plant(
    django_capture_on_commit_callbacks, announcements
):
    plants = PlantFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_item_save(item=PeakSeasonFactory.build(plant=None))

    assert announcements == [tuple(sorted(p.id for p in plants))]


def test_a_plant_move_is_announced_once_for_both_plants(
    django_capture_on_commit_callbacks, announcements
):
    a, b = PlantFactory(), PlantFactory()
    milestone = MilestoneFactory(plant=a)

    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_item_update(item=milestone, plant=b)

    assert announcements == [tuple(sorted((a.id, b.id)))]


def test_a_failing_receiver_does_not_break_the_change(
    django_capture_on_commit_callbacks, announcements
):
    def broken(sender, **kwargs):
        raise RuntimeError("rollout is down")

    calendar_changed.connect(broken, weak=False)
    plant = PlantFactory()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_item_save(item=MilestoneFactory.build(plant=plant))
    finally:
        calendar_changed.disconnect(broken)

    assert _revision(plant) == 1
    assert announcements == [(plant.id,)]


def test_a_rolled_back_change_neither_bumps_nor_announces(
    django_capture_on_commit_callbacks, announcements
):
    plant = PlantFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.calendar_item_save(item=MilestoneFactory.build(plant=plant))
            services.plant_save(plant=plant)
            raise RuntimeError("the import failed half-way")

    assert _revision(plant) == 0
    assert not Milestone.objects.exists()
    assert callbacks == []
    assert announcements == []


@pytest.mark.parametrize(
    "model, fields",
    [
        (Milestone, {"kind": "sop", "start": D(2026, 5, 2), "end": D(2026, 5, 1)}),
        (
            CalendarException,
            {"kind": "closure", "start": D(2026, 5, 2), "end": D(2026, 5, 1)},
        ),
        (PeakSeason, {"start": D(2026, 5, 2), "end": D(2026, 5, 1)}),
        (Blackout, {"kind": "month_end", "start": D(2026, 5, 1), "rrule": "NOPE"}),
    ],
    ids=["milestone", "exception", "season", "blackout"],
)
def test_a_failed_validation_saves_nothing_and_does_not_bump(
    django_capture_on_commit_callbacks, announcements, model, fields
):
    plant = PlantFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            services.calendar_item_create(
                model=model, plant=plant, name="bad", **fields
            )

    assert not model.objects.exists()
    assert _revision(plant) == 0
    assert callbacks == []
    assert announcements == []


def test_a_failed_update_leaves_the_item_and_the_revision_as_they_were():
    milestone = MilestoneFactory()

    with pytest.raises(ValidationError):
        services.calendar_item_update(item=milestone, end=D(2000, 1, 1))

    assert Milestone.objects.get(pk=milestone.pk).end == D(2026, 9, 18)
    assert _revision(milestone.plant) == 0


def test_a_failed_plant_save_does_not_bump():
    plant = PlantFactory()
    plant.country = "XX"

    with pytest.raises(ValidationError):
        services.plant_save(plant=plant)

    assert Plant.objects.get(pk=plant.pk).country == "CN"
    assert _revision(plant) == 0


def test_only_calendar_items_are_accepted():
    with pytest.raises(TypeError):
        services.calendar_item_save(item=PlantFactory())
