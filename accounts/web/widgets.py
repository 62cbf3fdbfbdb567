"""Form widgets every app's pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The one way pages write a date (accounts.templatetags.offpeak), typed the same.
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"


class DateInput(forms.DateInput):
    """A date typed as YYYY-MM-DD, as the pages show dates in both languages.

    Not <input type="date">: a browser draws that in its own locale (mm/dd/yyyy
    in an American Chrome, dd.mm.yyyy in a German one), whatever the page's
    language, so the form would disagree with every date around it."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "YYYY-MM-DD",
            "pattern": DATE_PATTERN,
            "maxlength": "10",
            "size": "10",
            "autocomplete": "off",
            "title": _("A date as year-month-day, e.g. 2027-01-04"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%Y-%m-%d")
