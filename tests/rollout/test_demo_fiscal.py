"""The demo's finance calendar: plants close on generated fiscal periods (no
hand-written month-end rule), and SAP S/4HANA goes live only on the first
working day of a fiscal period of its plant."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.permissions import ROLES
from calendars.models import Blackout, Plant
from calendars.selectors import plant_calendar
from rollout.models import Recommendation
from rollout.services import plant_recommendations_rebuild, scoring_profile_default

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        for plant in Plant.objects.all():
            plant_recommendations_rebuild(plant_id=plant.pk, force=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # What the migrations seeded, for the tests that follow.
        for role in ROLES:
            Group.objects.get_or_create(name=role)
        scoring_profile_default()


def test_every_sap_go_live_is_a_period_start(demo):
    windows = list(
        Recommendation.objects.filter(
            recommendation_set__rollout__name="SAP S/4HANA"
        ).select_related("recommendation_set__plant")
    )
    assert {w.recommendation_set.plant.code for w in windows} == {"SZ", "STG", "MTY"}

    for window in windows:
        plant = window.recommendation_set.plant
        month_start = window.go_live.replace(day=1)
        days = plant_calendar(plant=plant, start=month_start, end=window.go_live)
        working = days["is_working"].tolist()
        # Fiscal periods are calendar months here: the go-live is the month's
        # first working day.
        assert working[-1] and not any(working[:-1]), (
            f"{plant.code} #{window.rank} {window.go_live} is not the first "
            f"working day of its month"
        )


def test_closes_are_generated_not_hand_written(demo):
    assert not Blackout.objects.filter(name="Month-end close").exists()
    sz = Plant.objects.get(code="SZ")
    assert (sz.fiscal_pattern, sz.close_last_days, sz.close_first_days) == (
        "months",
        2,
        1,
    )
    frame = plant_calendar(
        plant=sz,
        start=sz.local_today().replace(month=12, day=28),
        end=sz.local_today().replace(month=12, day=31),
    )
    assert frame["forbidden_reason"].str.contains("year-end close").any()
