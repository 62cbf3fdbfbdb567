"""A new release of the holidays package changes every plant's calendar.

China's State Council publishes each year's holidays and make-up working days
(调休) in November or December; the package carries them from its next
release on, and until then the year is provisional (calendars.holidays.
published_through). Upgrading the package moves those days, so it must move
every plant's calendar revision like an edit does: stored recommendations
are then stale, and rebuilt from the new days.
"""

from django.db import IntegrityError, transaction

from calendars import holidays as plant_holidays
from calendars.models import HolidaysRelease, Plant
from calendars.services import calendar_revision_bump


def holidays_release_apply() -> list[int]:
    """Once per release of the holidays package: bump every plant's calendar
    revision (the rebuilds follow after commit) and remember the release.
    Returns the plants bumped, none when the release was already applied."""
    version = plant_holidays.package_version()
    if HolidaysRelease.objects.filter(version=version).exists():
        return []
    try:
        with transaction.atomic():
            HolidaysRelease.objects.create(version=version)
            ids = list(Plant.objects.values_list("id", flat=True))
            calendar_revision_bump(plant_ids=ids)
    except IntegrityError:  # another run applied it at the same moment
        return []
    return ids
