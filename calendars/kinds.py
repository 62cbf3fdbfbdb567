"""The calendar item kinds: one entry each, read by every interface.

A kind is a model of the calendars.models package that answers `in_range`,
`calendar_intervals` and `feed_events`, plus this entry: its names (key,
page slug, API prefix), labels, the scoring factor its days feed, how the daily
calendar paints it (columns, hard-day wording), which fields people edit and
filter on, and how its band is drawn on the window calendar. The REST API
router, serializers and filters, the calendar-data pages and their forms, the
admin, the iCalendar feed, the daily calendar, the heatmap bands, conflict
labels and e-mails all come from here; rollout maps `factor` to the engine.

Adding a kind: its model (with those three methods) and one entry here
(docs/recipes.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calendars import closes
from calendars.models import Blackout, CalendarException, Milestone, PeakSeason


@dataclass(frozen=True)
class ItemKind:
    key: str  # the kind of its calendar intervals and engine causes
    model: type
    slug: str  # calendar-data page: /plants/<code>/data/<slug>/
    api_prefix: str  # /api/<api_prefix>/
    api_basename: str
    title: str  # plural heading
    singular: str
    band_label: str  # "%(name)s" in it
    conflict_label: str  # what a conflict with one of its spans is called
    # The scoring factor its days feed (rollout.scoring.FACTORS), and the
    # scale of an interval's value (5: severity 1-5 → 0.2-1.0; 1: counts 1).
    factor: str
    value_scale: float
    fields: tuple[str, ...]  # edited on pages and through the API
    columns: tuple[str, ...]  # listed on pages and in the admin
    filters: tuple[str, ...] = ()  # API list filters besides plant, start, end
    computed_dates: tuple[str, ...] = ()  # read-only date properties served
    api_description: str = ""
    company_wide: bool = False  # may belong to no plant (staff only)
    # Daily calendar: the column listing its names and the one holding the
    # highest value of the day (None: no such column); the wording of a
    # forbidden day when an item is hard.
    names_column: str | None = None
    level_column: str | None = None
    hard_label: str = ""
    band_css: str = ""  # its band on the window calendar ("": none)
    band_lane: str = ""  # which row of bands it shares
    band_levels: bool = False  # shade the band by value (s1-s5)
    form_hints: dict = field(default_factory=dict)  # field → widget attributes
    # Its items may follow a movable holiday (calendars.models.AnchoredMixin):
    # the API serves their occurrences, forms offer the plant's anchors.
    anchorable: bool = False


ITEM_KINDS: dict[str, ItemKind] = {
    k.key: k
    for k in (
        ItemKind(
            key="closure",
            conflict_label=_("plant closure"),
            model=CalendarException,
            slug="closures",
            api_prefix="calendar-exceptions",
            api_basename="calendar-exception",
            title=_("Closures and working-day exceptions"),
            singular=_("closure or exception"),
            band_label=_("Plant closure: %(name)s"),
            factor="absence",
            value_scale=1.0,
            fields=("kind", "name", "start", "end"),
            columns=("name", "kind", "start", "end"),
            filters=("kind",),
            api_description="Plant closures, half days and extra or make-up "
            "working days.",
            band_css="closure",
            band_lane="blackout",
        ),
        ItemKind(
            key="season",
            conflict_label=_("peak season"),
            model=PeakSeason,
            slug="seasons",
            api_prefix="peak-seasons",
            api_basename="peak-season",
            title=_("Peak seasons"),
            singular=_("peak season"),
            band_label=_("Peak season: %(name)s"),
            factor="peak",
            value_scale=5.0,
            fields=(
                "name",
                "start",
                "end",
                "recurring_yearly",
                "anchor",
                "days_before",
                "days_after",
                "severity",
                "hard",
            ),
            columns=(
                "name",
                "start",
                "end",
                "recurring_yearly",
                "anchor",
                "severity",
                "hard",
            ),
            filters=("recurring_yearly", "anchor", "hard"),
            anchorable=True,
            api_description="Peak seasons (旺季) of your plants and the "
            "company-wide ones (plant null: visible to everyone, editable by "
            "staff only). A plant's season may instead follow a movable holiday: "
            "anchor (a key from GET /api/plants/{code}/holiday-anchors/), "
            "days_before and days_after (0-120), no start or end; occurrences "
            "lists its dates within the horizon.",
            company_wide=True,
            names_column="seasons",
            level_column="peak_severity",
            hard_label="hard-freeze season %(name)s",
            band_css="season",
            band_lane="season",
            band_levels=True,
        ),
        ItemKind(
            key="milestone",
            conflict_label=_("milestone"),
            model=Milestone,
            slug="milestones",
            api_prefix="milestones",
            api_basename="milestone",
            title=_("Milestones"),
            singular=_("milestone"),
            band_label=_("Milestone: %(name)s"),
            factor="milestone",
            value_scale=5.0,
            fields=(
                "name",
                "kind",
                "start",
                "end",
                "anchor",
                "days_before",
                "days_after",
                "criticality",
                "freeze_before_days",
                "freeze_after_days",
                "hard",
            ),
            columns=(
                "name",
                "kind",
                "start",
                "end",
                "anchor",
                "criticality",
                "buffer",
                "hard",
            ),
            filters=("kind", "anchor", "hard"),
            anchorable=True,
            computed_dates=("buffered_start", "buffered_end"),
            api_description="Critical production milestones (关键生产节点) with "
            "their freeze buffers.",
            names_column="milestones",
            level_column="milestone_pressure",
            hard_label="hard milestone %(name)s",
            band_css="milestone",
            band_lane="milestone",
        ),
        ItemKind(
            key="blackout",
            conflict_label=_("blackout"),
            model=Blackout,
            slug="blackouts",
            api_prefix="blackouts",
            api_basename="blackout",
            title=_("Blackouts"),
            singular=_("blackout"),
            band_label=_("Blackout: %(name)s"),
            factor="blackout",
            value_scale=1.0,
            fields=(
                "name",
                "kind",
                "start",
                "end",
                "rrule",
                "duration_days",
                "anchor",
                "days_before",
                "days_after",
                "hard",
            ),
            columns=(
                "name",
                "kind",
                "start",
                "end",
                "rrule",
                "duration_days",
                "anchor",
                "hard",
            ),
            filters=("kind", "anchor", "hard"),
            anchorable=True,
            api_description="Blackouts: an explicit range, or an RFC 5545 RRULE "
            "anchored at start with each occurrence lasting duration_days (end "
            "then bounds the recurrence), or anchored to a holiday of the plant "
            "(anchor, days_before, days_after; GET "
            "/api/plants/{code}/holiday-anchors/) with no start, end or rrule.",
            names_column="blackouts",
            hard_label="hard blackout %(name)s",
            band_css="blackout",
            band_lane="blackout",
            form_hints={
                "rrule": {
                    "list": "rrule-examples",
                    "spellcheck": "false",
                    "autocomplete": "off",
                }
            },
        ),
    )
}


@dataclass(frozen=True)
class GeneratedKind:
    """A kind of calendar interval computed from the plant's settings, never
    stored nor edited (no API route, form or admin of its own): the daily
    calendar, the engine, the bands, explanations and the feed read it like
    an item kind. `generate(plant=, start=, end=, is_working=)` returns its
    CalendarIntervals over [start, end] (is_working: the plant's working-day
    flags of those days); `feed_events(plant=, intervals=)` its feed events."""

    key: str
    conflict_label: str
    band_label: str
    factor: str
    value_scale: float
    generate: Callable[..., list]
    feed_events: Callable[..., list]
    names_column: str | None = None
    level_column: str | None = None
    hard_label: str = ""
    band_css: str = ""
    band_lane: str = ""
    band_levels: bool = False


GENERATED_KINDS: dict[str, GeneratedKind] = {
    k.key: k
    for k in (
        GeneratedKind(
            key=closes.KIND,
            conflict_label=_("period close"),
            band_label=_("Period close: %(name)s"),
            factor="blackout",
            value_scale=1.0,
            generate=closes.period_close_intervals,
            feed_events=closes.period_close_feed_events,
            names_column="blackouts",
            hard_label="hard %(name)s",
            band_css="period-close",
            band_lane="blackout",
        ),
    )
}
# Every kind that draws a band on the window calendar, by key.
BAND_KINDS: dict = {**ITEM_KINDS, **GENERATED_KINDS}

HOLIDAY = "holiday"  # intervals of the public holiday calendar: not an item kind
FACTORS_BY_KIND = {
    **{k.key: k.factor for k in BAND_KINDS.values()},
    HOLIDAY: "absence",
}
VALUE_SCALES = {**{k.key: k.value_scale for k in BAND_KINDS.values()}, HOLIDAY: 1.0}


def kind_labels() -> dict[str, str]:
    """What a span of every interval kind is called, holidays included."""
    return {
        **{k.key: k.conflict_label for k in BAND_KINDS.values()},
        HOLIDAY: _("holiday"),
    }


def kind_by_slug(slug: str) -> ItemKind | None:
    return next((k for k in ITEM_KINDS.values() if k.slug == slug), None)


def kind_of(item) -> ItemKind:
    return next(k for k in ITEM_KINDS.values() if isinstance(item, k.model))


def items_at(kind: ItemKind, plant):
    """The items of `kind` a plant's pages list: its own, and the company-wide
    ones where the kind has them, with their plant (an anchored item's dates
    need it) in the same query."""
    mine = Q(plant=plant)
    return kind.model.objects.filter(
        mine | Q(plant__isnull=True) if kind.company_wide else mine
    ).select_related("plant")
