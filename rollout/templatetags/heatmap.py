"""The window calendar's day cells and bands.

A 24-month grid has some 730 cells and dozens of bands; written as template
markup each cell cost a dozen template nodes, which made rendering the grid
slower than scoring the whole horizon. They are written here in one pass
instead, with the markup and escaping the template had (Django's autoescape
is the standard library's html.escape).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

OK = ' data-ok="1"'
SELECTED = ' aria-selected="true"'


@register.simple_tag
def heatmap_cells(cells: list[dict], selected: str = "") -> SafeString:
    """The grid cells of one month row (rollout.web.selectors.heatmap's cell
    dicts); `selected` is the ISO date of the day whose evaluation is open."""
    return mark_safe("".join(_cell(c, selected) for c in cells))  # noqa: S308


def _cell(c: dict, selected: str) -> str:
    ok = OK if c["state"] == "day" else ""
    chosen = SELECTED if selected and c["iso"] == selected else ""
    mark = (
        f'<span class="mark" aria-hidden="true">{escape(c["marks"])}</span>'
        if c["marks"]
        else ""
    )
    return (
        f'<div role="gridcell" tabindex="-1" class="d {escape(c["css"])}" '
        f'data-d="{escape(c["iso"])}"{ok}{chosen} '
        f'aria-label="{escape(c["label"])}">{c["dom"]}{mark}</div>'
    )


@register.simple_tag
def heatmap_bands(bands: list) -> SafeString:
    """The bands under one month row (seasons, milestones, blackouts…), each
    spanning its days' grid columns."""
    return mark_safe(  # noqa: S308
        "".join(
            f'<span class="band l-{escape(b.lane)} {escape(b.css)}" '
            f'style="grid-column:{b.first + 1}/{b.last + 2}" '
            f'title="{escape(b.label)}" aria-hidden="true"></span>'
            for b in bands
        )
    )
