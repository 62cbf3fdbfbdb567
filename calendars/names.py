"""Names of explanation and conflict causes in the reader's language.

Stored explanations (rollout.models.Recommendation.explanation) and the
evaluations kept with proposals name their causes in English, as the engine
built them without a reader: holidays as the holidays package names them in
en_US, period closes as calendars.closes generates them, the plant's load as
"production load". Pages, e-mails and the API show them through here, in the
active language (the reader's); names people typed (seasons, milestones,
blackouts, closures) stay as entered, and so does any name not recognised.
"""

import datetime

from django.utils.translation import get_language, gettext, gettext_noop, override

from calendars import closes
from calendars import holidays as plant_holidays

HOLIDAY = "holiday"
# The language stored explanations and evaluations name their causes in: the
# package's en_US names and the catalogue's msgids, whoever's request built
# them, so that they compare equal across builds (proposals.revalidation).
STORED_LANGUAGE = "en"


def stored_names():
    """Context manager: build what is stored with its causes named in
    STORED_LANGUAGE."""
    return override(STORED_LANGUAGE)


# Years around today whose holiday names are looked up: the planning horizon
# and the recent past (proposals and recommendations kept from before).
_YEARS_BEFORE, _YEARS_AFTER = 2, 6

# The engine's own causes: stored English name -> msgid (the same text).
_ENGINE_NAMES = {
    "load": gettext_noop("production load"),
    "non-working": gettext_noop("non-working day"),
}


def _holiday_name(plant, name: str, language: str) -> str:
    code = plant_holidays.package_language(plant.country, language)
    this_year = datetime.date.today().year
    names = plant_holidays.english_to_local_names(
        plant.country,
        plant.subdivision or "",
        tuple(plant.holiday_categories or ()),
        code,
        this_year - _YEARS_BEFORE,
        this_year + _YEARS_AFTER,
    )
    return names.get(name, name)


def cause_name(*, plant, kind: str, name: str, language: str | None = None) -> str:
    """The name of a cause (kind and name as stored) in `language` (default:
    the active one)."""
    language = language or get_language() or "en"
    if not name:
        return name
    if kind == HOLIDAY:
        return _holiday_name(plant, name, language)
    if kind == closes.KIND:
        with override(language):
            return closes.close_name_in_language(name)
    if _ENGINE_NAMES.get(kind) == name:
        with override(language):
            return gettext(name)
    return name


def localised_causes(*, plant, entries, language: str | None = None) -> list[dict]:
    """Copies of stored explanation or conflict entries ({"kind", "name", …})
    with their names in `language` (default: the active one)."""
    return [
        {
            **e,
            "name": cause_name(
                plant=plant,
                kind=e.get("kind", ""),
                name=e.get("name", ""),
                language=language,
            ),
        }
        if isinstance(e, dict)
        else e
        for e in entries or ()
    ]
