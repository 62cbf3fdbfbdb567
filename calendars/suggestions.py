"""Seasons a new plant's planners expect, offered to its manager: anchored to
the plant's holidays (calendars.anchor_suggestions SUGGESTIONS), accepted one by one
(created as ordinary anchored seasons, to edit or delete), never applied
silently. The API (GET/POST /api/plants/{code}/suggested-seasons/), the
plant's calendar-data page and whoever creates plants call these."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from calendars import anchor_suggestions, anchors
from calendars.models import PeakSeason, Plant
from calendars.selectors.anchors import plant_holiday_anchors
from calendars.services import calendar_item_create


def suggestion_key(suggestion: anchor_suggestions.SuggestedSeason) -> str:
    """A suggestion's stable id: the slug of its English name."""
    return anchors.anchor_key(suggestion.name)


def suggested_seasons_for(*, plant: Plant, language: str | None = None) -> list[dict]:
    """The seasons the plant's country's planners expect
    (calendars.anchor_suggestions SUGGESTIONS), each with `key`, translated
    `name` and `why`, the anchor's name, its occurrences within the horizon
    and `exists` (the plant already has a season on the same anchor and
    days)."""
    today = plant.local_today()
    found = anchor_suggestions.suggested_seasons(
        country=plant.country,
        subdivision=plant.subdivision,
        categories=plant.holiday_categories,
        on_or_after=today,
    )
    if not found:
        return []
    names = {
        a.key: a.name for a in plant_holiday_anchors(plant=plant, language=language)
    }
    have = set(
        PeakSeason.objects.filter(plant=plant)
        .exclude(anchor="")
        .values_list("anchor", "days_before", "days_after")
    )
    last = today + datetime.timedelta(days=settings.OFFPEAK_HORIZON_DAYS)
    return [
        {
            "key": suggestion_key(s),
            "name": gettext(s.name),
            "anchor": s.anchor,
            "anchor_name": names.get(s.anchor, s.anchor),
            "days_before": s.days_before,
            "days_after": s.days_after,
            "severity": s.severity,
            "hard": s.hard,
            "why": gettext(s.why),
            "occurrences": [
                {"start": a, "end": b}
                for a, b in anchors.anchored_occurrences(
                    country=plant.country,
                    subdivision=plant.subdivision,
                    categories=plant.holiday_categories,
                    key=s.anchor,
                    days_before=s.days_before,
                    days_after=s.days_after,
                    start=today,
                    end=last,
                )
            ],
            "exists": (s.anchor, s.days_before, s.days_after) in have,
        }
        for s in found
    ]


@transaction.atomic
def suggested_seasons_accept(*, plant: Plant, keys: Iterable[str]) -> list[PeakSeason]:
    """Create the chosen suggested seasons (calendars.selectors.anchors) as
    the plant's anchored seasons, named in the active language; all or none.
    An unknown key, or one the plant already has, is an error on
    `suggestions`."""
    wanted = list(dict.fromkeys(keys))
    offered = {s["key"]: s for s in suggested_seasons_for(plant=plant)}
    unknown = [k for k in wanted if k not in offered]
    if unknown or not wanted:
        raise ValidationError(
            {
                "suggestions": gettext(
                    "Not a suggestion for this plant: %(keys)s. Offered: %(offered)s."
                )
                % {
                    "keys": ", ".join(unknown) or "–",
                    "offered": ", ".join(offered) or "–",
                }
            }
        )
    taken = [offered[k]["name"] for k in wanted if offered[k]["exists"]]
    if taken:
        raise ValidationError(
            {
                "suggestions": gettext("The plant already has %(names)s.")
                % {"names": ", ".join(taken)}
            }
        )
    return [
        calendar_item_create(
            model=PeakSeason,
            plant=plant,
            name=offered[k]["name"],
            anchor=offered[k]["anchor"],
            days_before=offered[k]["days_before"],
            days_after=offered[k]["days_after"],
            severity=offered[k]["severity"],
            hard=offered[k]["hard"],
        )
        for k in wanted
    ]
