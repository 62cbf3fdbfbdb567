"""The holidays a plant's seasons, milestones and blackouts can follow."""

from django.utils.translation import get_language

from calendars import anchors
from calendars.models import Plant


def plant_holiday_anchors(
    *, plant: Plant, language: str | None = None
) -> list[anchors.Anchor]:
    """The plant's holidays that can anchor an item, by next date, named in
    `language` (default: the active language) where the package translates
    the plant's country into it."""
    return anchors.holiday_anchors(
        country=plant.country,
        subdivision=plant.subdivision,
        categories=plant.holiday_categories,
        on_or_after=plant.local_today(),
        language=language or get_language(),
    )


def anchor_choices(*, plant: Plant, language: str | None = None) -> list[tuple]:
    """(key, "name (next date)") pairs for a form's select."""
    return [
        (a.key, f"{a.name} ({a.next_date.isoformat()})")
        for a in plant_holiday_anchors(plant=plant, language=language)
    ]
