"""`manage.py recommend`: the planner's command line prints the best windows of
a plant and rollout, or the evaluation of one go-live date."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from calendars.models import PeakSeason
from rollout.models import Rollout
from rollout.services import scoring_profile_default
from tests.factories import PlantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rollout():
    plant = PlantFactory(code="CMD")
    today = datetime.date.today()
    PeakSeason.objects.create(
        plant=plant,
        name="Summer peak",
        start=today + datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=90),
        severity=5,
        hard=True,
    )
    rollout = Rollout.objects.create(
        name="MES",
        kind=Rollout.Kind.MES,
        training_days=5,
        cutover_days=2,
        hypercare_days=5,
        profile=scoring_profile_default(),
    )
    rollout.plants.set([plant])
    return rollout


def run(*args) -> str:
    out = io.StringIO()
    call_command("recommend", *args, stdout=out)
    return out.getvalue()


def test_a_date_in_a_hard_season_is_evaluated_and_named(rollout):
    day = datetime.date.today() + datetime.timedelta(days=60)

    text = run("--plant", "CMD", "--rollout", "MES", "--date", day.isoformat())

    assert "Summer peak" in text
    assert "[HARD]" in text
    assert "Alternatives:" in text


def test_the_best_windows_are_listed(rollout):
    text = run("--plant", "CMD", "--rollout", "MES", "--limit", "3")

    assert "best windows from" in text
    assert "No feasible window" not in text


def test_a_date_outside_the_horizon_names_the_option(rollout):
    with pytest.raises(CommandError, match="--date"):
        run("--plant", "CMD", "--rollout", "MES", "--date", "2999-01-01")
