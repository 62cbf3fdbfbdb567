"""Seasons to offer a new plant's manager, anchored to the movable holidays of
its country (calendars.anchors): the SUGGESTIONS table per country and
`suggested_seasons`, which keeps the entries whose anchor holiday the plant
has. Pure: no Django, no database. calendars.suggestions serves them to the
API and the pages and creates the accepted ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from calendars.anchors import holiday_keys


def gettext_noop(text: str) -> str:
    """Marks a text for the translation catalogue (makemessages finds it);
    the interfaces translate it when they show it. No Django here."""
    return text


@dataclass(frozen=True)
class SuggestedSeason:
    """A season to offer a new plant's manager; never applied silently.
    The span is [anchor - days_before, anchor + days_after]; severity 1-5."""

    name: str
    anchor: str
    days_before: int
    days_after: int
    severity: int
    hard: bool
    why: str


@dataclass(frozen=True)
class _Suggestion:
    name: str
    # (key, days_before, days_after): the first key the plant has wins.
    anchors: tuple[tuple[str, int, int], ...]
    severity: int
    hard: bool
    why: str


_SPRING_FESTIVAL = "chinese-new-year-spring-festival"
_ = gettext_noop

# Mexico: the package's MX public holidays (0.109) have neither Holy Thursday
# nor Good Friday (they are not rest days under the federal labour law);
# OBSERVANCES adds them as anchors so that Semana Santa can be offered. The
# Guadalupe-Reyes season anchors on Christmas Day, which MX has. Names and
# reasons are English; the interfaces translate them (gettext_noop marks).
# A table: one suggestion per entry, kept compact on purpose.
# fmt: off
SUGGESTIONS: dict[str, tuple[_Suggestion, ...]] = {
    "CN": (
        _Suggestion(_("Pre-Spring-Festival rush"), ((_SPRING_FESTIVAL, 28, 0),), 4,
                    False,
                    _("Output peaks to ship orders before the holiday and workers "
                    "leave early to travel home.")),
        _Suggestion(_("Post-festival restart"), ((_SPRING_FESTIVAL, 0, 21),), 5, True,
                    _("Plants restart short-handed: many workers return late or not "
                    "at all, and new hires need training.")),
        _Suggestion(_("Golden Week"), (("national-day", 3, 10),), 3, False,
                    _("The National Day week closes most plants; production ramps "
                    "down before it and back up after it.")),
    ),
    "DE": (
        _Suggestion(_("Christmas shutdown"),
                    (("christmas-eve", 0, 8), ("christmas-day", 1, 7)), 4, False,
                    _("Many plants close from Christmas Eve to New Year; key users "
                    "and support are away, and the year-end close follows.")),
        _Suggestion(_("Easter holidays"),
                    (("good-friday", 7, 10), ("easter-monday", 10, 7)), 2, False,
                    _("Good Friday to Easter Monday are holidays and many staff "
                    "take leave in the school holidays around them.")),
    ),
    "US": (
        _Suggestion(_("Thanksgiving to New Year"), (("thanksgiving-day", 0, 40),), 3,
                    False,
                    _("Holiday-season demand, vacations and the year-end close; 40 "
                    "days after Thanksgiving (22-28 Nov) always reach 1 January.")),
    ),
    "MX": (
        _Suggestion(_("Semana Santa"),
                    (("holy-thursday", 3, 10), ("good-friday", 4, 9)), 3, False,
                    _("Holy Week and Easter week: many plants close, staff travel.")),
        _Suggestion(_("Guadalupe-Reyes"), (("christmas-day", 13, 12),), 3, False,
                    _("From the Virgin of Guadalupe (12 Dec) to Epiphany (6 Jan) "
                    "staff take leave and plants run short.")),
    ),
    "IN": (
        _Suggestion(_("Diwali"), (("diwali", 7, 7),), 4, False,
                    _("The festival week: bonuses, leave and travel home thin out "
                    "the workforce before and after the day.")),
    ),
}
# fmt: on


def suggested_seasons(
    *,
    country: str,
    subdivision: str,
    categories: Iterable[str],
    on_or_after: datetime.date | None = None,
) -> list[SuggestedSeason]:
    """Seasons to offer a new plant's manager (never to apply silently): the
    country's entries in SUGGESTIONS whose anchor holiday the plant has in the
    year of `on_or_after` (default today) or the next. Each suggestion takes
    the first of its candidate anchors that exists."""
    year = (on_or_after or datetime.date.today()).year
    keys = holiday_keys(
        country=country,
        subdivision=subdivision,
        categories=categories,
        first_year=year,
        last_year=year + 1,
    )
    suggestions = []
    for entry in SUGGESTIONS.get(country, ()):
        # chosen: (key, days_before, days_after) of the first anchor it has.
        chosen = next((a for a in entry.anchors if a[0] in keys), None)
        if chosen is not None:
            suggestions.append(
                SuggestedSeason(
                    entry.name, *chosen, entry.severity, entry.hard, entry.why
                )
            )
    return suggestions
