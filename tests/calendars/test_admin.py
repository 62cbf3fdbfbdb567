"""The Django admin for the production calendar."""

import datetime

import pytest
from django.urls import reverse

from calendars.models import Milestone, Plant
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlanLineFactory,
    PlantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["plant", "calendarexception", "peakseason", "milestone", "blackout",
          "productionplan"]  # fmt: skip
ADDABLE = [m for m in MODELS if m != "productionplan"]  # plans arrive by import


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.fixture
def objects():
    """One saved object of every calendars model, by admin model name."""
    plant = PlantFactory()
    line = PlanLineFactory(plan__plant=plant)
    return {
        "plant": plant,
        "calendarexception": CalendarExceptionFactory(plant=plant),
        "peakseason": PeakSeasonFactory(plant=plant),
        "milestone": MilestoneFactory(plant=plant),
        "blackout": BlackoutFactory(plant=plant),
        "productionplan": line.plan,
    }


@pytest.mark.parametrize("model", MODELS)
def test_staff_see_the_changelist(admin_client, objects, model):
    response = admin_client.get(reverse(f"admin:calendars_{model}_changelist"))

    assert response.status_code == 200
    assert str(objects[model]) in response.content.decode()


@pytest.mark.parametrize("model", ADDABLE)
def test_staff_see_the_add_page(admin_client, model):
    response = admin_client.get(reverse(f"admin:calendars_{model}_add"))

    assert response.status_code == 200


def test_production_plans_are_imported_not_typed_in(admin_client):
    add = admin_client.get(reverse("admin:calendars_productionplan_add"))
    upload = admin_client.get(reverse("admin:calendars_productionplan_import"))

    assert add.status_code == 403
    assert upload.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_staff_see_the_change_page(admin_client, objects, model):
    obj = objects[model]

    response = admin_client.get(
        reverse(f"admin:calendars_{model}_change", args=[obj.pk])
    )

    assert response.status_code == 200


def test_the_plan_change_page_shows_its_lines(admin_client, objects):
    plan = objects["productionplan"]

    response = admin_client.get(
        reverse("admin:calendars_productionplan_change", args=[plan.pk])
    )

    assert "80.0" in response.content.decode()


def _milestone_form(plant, **overrides):
    data = {
        "plant": plant.pk,
        "name": "SOP model Y",
        "kind": Milestone.Kind.START_OF_PRODUCTION,
        "start": "2027-03-01",
        "end": "2027-03-05",
        "criticality": 5,
        "freeze_before_days": 3,
        "freeze_after_days": 2,
        "hard": "on",
    }
    return data | overrides


def test_adding_a_milestone_bumps_the_plants_revision(admin_client):
    plant = PlantFactory()

    response = admin_client.post(
        reverse("admin:calendars_milestone_add"), _milestone_form(plant)
    )

    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.start, milestone.end) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 5),
    )
    assert Plant.objects.get(pk=plant.pk).calendar_revision == 1


def test_changing_a_milestone_bumps_the_plants_revision(admin_client):
    milestone = MilestoneFactory()

    response = admin_client.post(
        reverse("admin:calendars_milestone_change", args=[milestone.pk]),
        _milestone_form(milestone.plant, name="SOP moved"),
    )

    assert response.status_code == 302
    assert Milestone.objects.get().name == "SOP moved"
    assert Plant.objects.get(pk=milestone.plant_id).calendar_revision == 1


def test_a_reversed_milestone_is_refused_with_the_end_field_named(admin_client):
    plant = PlantFactory()

    response = admin_client.post(
        reverse("admin:calendars_milestone_add"),
        _milestone_form(plant, start="2027-03-05", end="2027-03-01"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "end": ["The end is before the start."]
    }
    assert not Milestone.objects.exists()
    assert Plant.objects.get(pk=plant.pk).calendar_revision == 0


def test_deleting_a_milestone_bumps_the_plants_revision(admin_client):
    milestone = MilestoneFactory()

    response = admin_client.post(
        reverse("admin:calendars_milestone_delete", args=[milestone.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 302
    assert not Milestone.objects.exists()
    assert Plant.objects.get(pk=milestone.plant_id).calendar_revision == 1


def test_bulk_deleting_milestones_bumps_each_plant(admin_client):
    a, b = MilestoneFactory(), MilestoneFactory()

    response = admin_client.post(
        reverse("admin:calendars_milestone_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Milestone.objects.exists()
    assert [p.calendar_revision for p in Plant.objects.order_by("pk")] == [1, 1]


def test_a_non_staff_user_is_sent_to_the_login_page(client):
    client.force_login(UserFactory())
    url = reverse("admin:calendars_milestone_changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_the_factory_user_logs_in_with_the_known_password(client):
    from tests.factories import PASSWORD

    user = UserFactory(staff=True)

    assert client.login(username=user.username, password=PASSWORD)
