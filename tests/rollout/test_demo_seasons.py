"""The demo tells the truth about the Spring Festival: no recommended window
at Suzhou (training start to hypercare end) touches the four weeks before the
festival nor the three weeks after it, in any year of the horizon. The
festival's dates come from the holidays package, not from this file."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from calendars.models import PeakSeason, Plant
from rollout.models import Recommendation, RecommendationSet
from rollout.services import plant_recommendations_rebuild
from tests.factories import festival_days

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module and rolled back after it (the
    roles and other rows of the migrations stay for the tests that follow)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        for plant in Plant.objects.all():
            plant_recommendations_rebuild(plant_id=plant.pk, force=True)
        yield
        transaction.set_rollback(True)


def test_suzhou_windows_stay_clear_of_the_spring_festival(demo):
    sz = Plant.objects.get(code="SZ")
    sets = list(RecommendationSet.objects.filter(plant=sz))
    windows = list(Recommendation.objects.filter(recommendation_set__in=sets))
    assert len(sets) == 2 and windows  # MES 2.0 and SAP S/4HANA
    horizon = (min(s.horizon_start for s in sets), max(s.horizon_end for s in sets))
    festivals = festival_days(horizon[0].year - 1, horizon[1].year + 1)
    closed = [
        (day - datetime.timedelta(days=28), day + datetime.timedelta(days=21))
        for day in festivals
    ]

    for window in windows:
        start = datetime.date.fromisoformat(window.phases[0]["start"])
        end = datetime.date.fromisoformat(window.phases[-1]["end"])
        for first, last in closed:
            assert end < first or start > last, (
                f"{window.recommendation_set.rollout} #{window.rank} "
                f"{start}..{end} touches {first}..{last}"
            )


def test_the_festival_seasons_are_anchored_and_recur_every_year(demo):
    sz = Plant.objects.get(code="SZ")
    rush = PeakSeason.objects.get(plant=sz, name="pre-Spring-Festival rush")
    restart = PeakSeason.objects.get(plant=sz, name="post-festival restart")
    today = sz.local_today()
    last = today + datetime.timedelta(days=730)
    festivals = [d for d in festival_days(today.year, last.year + 1)]

    expected_restart = [
        (d, d + datetime.timedelta(days=21))
        for d in festivals
        if d + datetime.timedelta(days=21) >= today and d <= last
    ]
    assert (rush.start, rush.end, restart.start, restart.end) == (None,) * 4
    assert restart.occurrences(today, last) == expected_restart
    assert [b for _a, b in rush.occurrences(today, last)] == [
        d for d in festivals if d >= today and d - datetime.timedelta(28) <= last
    ]
    assert len(expected_restart) >= 2


@pytest.mark.parametrize(
    ("code", "name", "anchor"),
    [
        ("STG", "Christmas shutdown", "christmas-day"),
        ("STG", "Easter holidays", "good-friday"),
        ("MTY", "Semana Santa", "holy-thursday"),
    ],
)
def test_stuttgart_and_monterrey_seasons_follow_their_holidays(
    demo, code, name, anchor
):
    season = PeakSeason.objects.get(plant__code=code, name=name)

    assert season.anchor == anchor
    assert season.start is None and season.horizon_occurrences()
