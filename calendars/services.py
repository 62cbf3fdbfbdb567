"""Writes to the production calendar.

Every change that shapes a plant's calendar goes through here: it is validated,
saved, and the plant's calendar_revision is incremented in the same
transaction; after commit, `calendar_changed` announces it.
"""

import logging
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)
from calendars.signals import calendar_changed

logger = logging.getLogger(__name__)

CalendarItem = CalendarException | PeakSeason | Milestone | Blackout
CALENDAR_ITEM_MODELS = (CalendarException, PeakSeason, Milestone, Blackout)


def calendar_revision_bump(*, plant_ids: Iterable[int]) -> None:
    """Increment the plants' revision now; announce the change after commit."""
    ids = tuple(sorted(set(plant_ids)))
    if not ids:
        return
    Plant.objects.filter(id__in=ids).update(
        calendar_revision=F("calendar_revision") + 1
    )
    transaction.on_commit(lambda: _announce(ids), robust=True)


def _announce(plant_ids: tuple[int, ...]) -> None:
    for receiver, result in calendar_changed.send_robust(
        sender=Plant, plant_ids=plant_ids
    ):
        if isinstance(result, Exception):
            logger.error(
                "calendar_changed receiver %r failed for plants %s: %s",
                receiver,
                plant_ids,
                result,
            )


def _affected_plant_ids(item: models.Model) -> set[int]:
    if isinstance(item, PeakSeason) and item.plant_id is None:
        return set(Plant.objects.values_list("id", flat=True))
    return {item.plant_id}


_PLANT_SETTINGS = [
    f.name
    for f in Plant._meta.concrete_fields
    if not f.primary_key and f.name != "calendar_revision"
]


@transaction.atomic
def plant_save(*, plant: Plant) -> Plant:
    """Create or update a plant; its settings shape the calendar."""
    plant.full_clean()
    if plant._state.adding:
        plant.save()
    else:
        # The revision moves only through calendar_revision_bump: a copy loaded
        # before another change must not write its stale number back.
        plant.save(update_fields=_PLANT_SETTINGS)
    calendar_revision_bump(plant_ids=[plant.id])
    plant.refresh_from_db(fields=["calendar_revision"])
    return plant


def plant_create(**fields) -> Plant:
    return plant_save(plant=Plant(**fields))


def plant_update(*, plant: Plant, **fields) -> Plant:
    """Change a plant's settings; the calendar revision moves (a rebuild
    follows after commit)."""
    for name, value in fields.items():
        setattr(plant, name, value)
    return plant_save(plant=plant)


class PlantInUse(Exception):
    """A plant that cannot be deleted; `reasons` says why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


# Apps above calendars say what keeps a plant from being deleted (proposals:
# its go-live proposals): each guard takes the plant and returns a reason, or
# "" when it has no objection. calendars never imports those apps.
PLANT_DELETE_GUARDS: list = []


def plant_delete_guard_register(guard) -> None:
    if guard not in PLANT_DELETE_GUARDS:
        PLANT_DELETE_GUARDS.append(guard)


def plant_delete_reasons(*, plant: Plant) -> list[str]:
    """Why the plant may not be deleted ([]: it may)."""
    return [r for guard in PLANT_DELETE_GUARDS if (r := guard(plant))]


@transaction.atomic
def plant_delete(*, plant: Plant) -> None:
    """Delete a plant with its calendar; PlantInUse when a guard objects."""
    locked = Plant.objects.select_for_update().get(pk=plant.pk)
    reasons = plant_delete_reasons(plant=locked)
    if reasons:
        raise PlantInUse(reasons)
    locked.delete()


@transaction.atomic
def calendar_item_save(*, item: CalendarItem) -> CalendarItem:
    """Create or update a season, milestone, blackout or calendar exception."""
    if not isinstance(item, CALENDAR_ITEM_MODELS):
        raise TypeError(f"{type(item).__name__} is not a calendar item")
    affected = set()
    if item.pk:
        previous = type(item).objects.filter(pk=item.pk).first()
        if previous is not None:
            affected |= _affected_plant_ids(previous)
    item.full_clean()
    item.save()
    affected |= _affected_plant_ids(item)
    calendar_revision_bump(plant_ids=affected)
    return item


def calendar_item_create(*, model: type[CalendarItem], **fields) -> CalendarItem:
    return calendar_item_save(item=model(**fields))


def calendar_item_update(*, item: CalendarItem, **fields) -> CalendarItem:
    for name, value in fields.items():
        setattr(item, name, value)
    return calendar_item_save(item=item)


@transaction.atomic
def calendar_item_delete(*, item: CalendarItem | ProductionPlan) -> None:
    affected = _affected_plant_ids(item)
    item.delete()
    calendar_revision_bump(plant_ids=affected)


@transaction.atomic
def production_plan_set_active(*, plan: ProductionPlan, active: bool) -> ProductionPlan:
    plan.active = active
    plan.save(update_fields=["active"])
    calendar_revision_bump(plant_ids=[plan.plant_id])
    return plan
