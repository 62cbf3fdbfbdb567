"""The note on calendar pages for years whose holidays are not published."""

import datetime

from django import template
from django.conf import settings

from calendars.selectors.provisional import provisional_years

register = template.Library()


@register.inclusion_tag("web/_provisional_note.html")
def provisional_note(plant):
    """ "Make-up working days for 2028 not yet published", for the years of
    the plant's planning horizon whose official arrangement is not out."""
    today = plant.local_today()
    end = today + datetime.timedelta(days=settings.OFFPEAK_HORIZON_DAYS)
    years = provisional_years(plant=plant, start=today, end=end)
    return {"years": ", ".join(str(year) for year in years)}
