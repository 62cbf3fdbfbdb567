"""A new release of the holidays package (say, with China's next State Council
arrangement) changes every plant's calendar: the nightly run bumps every
plant's calendar revision once per release, so stored recommendations turn
stale and are rebuilt from the new days."""

import holidays
import pytest

from calendars import holidays as plant_holidays
from calendars.holiday_releases import holidays_release_apply
from calendars.models import HolidaysRelease, Plant
from rollout.tasks import rebuild_all_plants
from tests.factories import PlantFactory

pytestmark = pytest.mark.django_db


def revisions() -> dict[str, int]:
    return dict(Plant.objects.values_list("code", "calendar_revision"))


@pytest.fixture
def plants():
    return [PlantFactory(code="sz"), PlantFactory(code="stg", stuttgart=True)]


def test_each_release_bumps_every_plant_once(plants, monkeypatch):
    before = revisions()

    first = holidays_release_apply()
    again = holidays_release_apply()
    monkeypatch.setattr(plant_holidays, "package_version", lambda: "9999.1")
    newer = holidays_release_apply()

    assert sorted(first) == sorted(newer) == sorted(p.pk for p in plants)
    assert again == []
    assert revisions() == {code: rev + 2 for code, rev in before.items()}
    assert set(HolidaysRelease.objects.values_list("version", flat=True)) == {
        holidays.__version__,
        "9999.1",
    }


def test_the_nightly_run_picks_up_a_newer_holidays_release(plants, monkeypatch):
    rebuild_all_plants()  # the release in use is now known
    before = revisions()

    rebuild_all_plants()  # same release: the horizon moves, revisions do not
    assert revisions() == before

    monkeypatch.setattr(plant_holidays, "package_version", lambda: "9999.2")
    rebuild_all_plants()

    assert revisions() == {code: rev + 1 for code, rev in before.items()}
    assert HolidaysRelease.objects.filter(version="9999.2").exists()
