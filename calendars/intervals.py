"""Plain values the calendar's items produce, shared by models and selectors."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarInterval:
    """A named span of a plant's calendar, as the scoring engine needs it.

    kind: a calendar kind's key (calendars.kinds) or "holiday". For milestones
    the span includes the freeze buffer and `core` is the milestone itself.
    value: severity or criticality 1-5 (seasons, milestones), 1 for blackouts,
    closures and holidays. label: what explanations and conflicts call it when
    that differs from `name` (one occurrence of an anchored item names its
    dates); "" = the name.
    """

    kind: str
    name: str
    start: datetime.date
    end: datetime.date
    value: float
    hard: bool
    detail: str = ""
    core: tuple[datetime.date, datetime.date] | None = None
    label: str = ""

    @property
    def cause_name(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class FeedEvent:
    """An all-day event of a plant's iCalendar feed, start to end inclusive.
    `uid` is stable across rebuilds of the feed."""

    uid: str
    start: datetime.date
    end: datetime.date
    summary: str
    category: str
    description: str = ""
