"""factory_boy factories for the domain.

Factories save with a plain model save: no validation, no revision bump. Tests
about validation or calendar revisions go through `calendars.services`.
"""

import datetime

import factory
import holidays
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    PlanLine,
    Plant,
    ProductionPlan,
    Severity,
)
from rollout.models import Rollout
from rollout.services import scoring_profile_default

PASSWORD = "correct-horse-battery-staple"


def make_rollout(name: str, plants, **fields) -> Rollout:
    """A rollout saved directly (no rebuild), short phases for quick scoring."""
    fields = {
        "kind": Rollout.Kind.MES,
        "training_days": 5,
        "cutover_days": 2,
        "hypercare_days": 5,
        **fields,
    }
    rollout = Rollout.objects.create(
        name=name, profile=scoring_profile_default(), **fields
    )
    rollout.plants.set(plants)
    return rollout


def festival_days(first_year: int, last_year: int) -> list[datetime.date]:
    """First day of the Spring Festival in each year, from the holidays
    package (what anchored seasons and the demo follow)."""
    days = []
    for year in range(first_year, last_year + 1):
        calendar = holidays.country_holidays("CN", years=year, language="en_US")
        days.append(
            min(
                d
                for d, name in calendar.items()
                if name == "Chinese New Year (Spring Festival)"
            )
        )
    return days


def user_in(role: str | None, plants, **traits):
    """A user (UserFactory `traits`) in the `role` group (None: no role),
    member of each of `plants`."""
    user = UserFactory(**traits)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for plant in plants:
        plant.members.add(user)
    return user


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is `PASSWORD`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class PlantFactory(factory.django.DjangoModelFactory):
    """A Shenzhen plant on the Chinese public holiday calendar."""

    class Meta:
        model = Plant
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"sz{n}")
    name = factory.Sequence(lambda n: f"Shenzhen plant {n}")
    timezone = "Asia/Shanghai"
    country = "CN"
    subdivision = ""
    holiday_categories = factory.LazyFunction(lambda: ["public"])
    weekend_days = factory.LazyFunction(lambda: [5, 6])
    default_utilisation = 0.7

    class Params:
        # A Baden-Württemberg plant: Epiphany, Corpus Christi, All Saints.
        stuttgart = factory.Trait(
            name="Stuttgart plant",
            timezone="Europe/Berlin",
            country="DE",
            subdivision="BW",
        )
        berlin = factory.Trait(
            name="Berlin plant",
            timezone="Europe/Berlin",
            country="DE",
            subdivision="BE",
        )
        ohio = factory.Trait(
            name="Ohio plant", timezone="America/New_York", country="US"
        )


class CalendarExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarException

    plant = factory.SubFactory(PlantFactory)
    kind = CalendarException.Kind.CLOSURE
    name = "Summer shutdown"
    start = datetime.date(2026, 8, 3)
    end = datetime.date(2026, 8, 14)


class PeakSeasonFactory(factory.django.DjangoModelFactory):
    """A one-off season; set recurring_yearly=True for one that repeats."""

    class Meta:
        model = PeakSeason

    plant = factory.SubFactory(PlantFactory)
    name = "Pre-Christmas peak"
    start = datetime.date(2026, 10, 1)
    end = datetime.date(2026, 11, 30)
    recurring_yearly = False
    severity = Severity.HIGH
    hard = False


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plant = factory.SubFactory(PlantFactory)
    name = "SOP model X"
    kind = Milestone.Kind.START_OF_PRODUCTION
    start = datetime.date(2026, 9, 14)
    end = datetime.date(2026, 9, 18)
    criticality = Severity.HIGH
    freeze_before_days = 0
    freeze_after_days = 0
    hard = False


class BlackoutFactory(factory.django.DjangoModelFactory):
    """Month-end close: the last two weekdays of every month."""

    class Meta:
        model = Blackout

    plant = factory.SubFactory(PlantFactory)
    name = "Month-end close"
    kind = Blackout.Kind.MONTH_END
    start = datetime.date(2026, 1, 1)
    end = None
    rrule = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"
    duration_days = 1
    hard = False


class ProductionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionPlan

    plant = factory.SubFactory(PlantFactory)
    version = factory.Sequence(lambda n: n + 1)
    granularity = ProductionPlan.Granularity.WEEK
    source_name = factory.LazyAttribute(lambda p: f"plan-v{p.version}.csv")
    period_start = datetime.date(2026, 1, 5)
    period_end = datetime.date(2026, 12, 27)
    row_count = 0
    active = True


class PlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLine

    plan = factory.SubFactory(ProductionPlanFactory)
    bucket_start = datetime.date(2026, 1, 5)
    work_centre = ""
    load = 80.0
    capacity = 100.0
