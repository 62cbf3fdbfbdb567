"""IT leads define rollouts: phases, dates and profile."""

import pytest

from rollout.models import Rollout, ScoringProfile

pytestmark = pytest.mark.django_db


def rollout_data(plant, **extra):
    profile = ScoringProfile.objects.get_or_create(name="Default")[0]
    return {
        "name": "WMS wave 3",
        "kind": "wms",
        "plants": [plant.pk],
        "training_days": 5,
        "cutover_days": 2,
        "hypercare_days": 10,
        "profile": profile.pk,
        "active": "on",
        **extra,
    }


def test_an_it_lead_creates_a_rollout(login, it_lead, plant):
    response = login(it_lead).post("/rollouts/new/", rollout_data(plant))
    assert response.status_code == 302
    rollout = Rollout.objects.get(name="WMS wave 3")
    assert list(rollout.plants.all()) == [plant]
    assert rollout.created_by == it_lead


def test_errors_appear_next_to_the_fields(login, it_lead, plant):
    response = login(it_lead).post(
        "/rollouts/new/",
        rollout_data(
            plant,
            earliest_go_live="2027-05-01",
            latest_go_live="2027-04-01",
            hypercare_days=999,
        ),
    )
    html = response.content.decode()
    assert 'id="id_latest_go_live_error"' in html
    assert 'id="id_hypercare_days_error"' in html
    assert not Rollout.objects.filter(name="WMS wave 3").exists()


def test_an_it_lead_of_one_plant_cannot_change_a_rollout_that_also_runs_elsewhere(
    login, it_lead, rollout, other_plant
):
    # Its phases drive the other plant's go-live too: the API refuses the same
    # change (the rule is accounts.permissions.can_change_rollout).
    rollout.plants.add(other_plant)
    client = login(it_lead)
    response = client.post(
        f"/rollouts/{rollout.pk}/",
        rollout_data(plant=rollout.plants.get(code="sz"), name="MES 2.0",
                     training_days=7),
    )  # fmt: skip
    assert response.status_code == 403
    rollout.refresh_from_db()
    assert rollout.training_days != 7
    assert set(rollout.plants.values_list("code", flat=True)) == {"sz", "stg"}
    assert (
        f'href="/rollouts/{rollout.pk}/"'
        not in client.get("/rollouts/").content.decode()
    )


def test_an_it_lead_cannot_edit_a_profile_that_drives_rollouts_elsewhere(
    login, it_lead, rollout, other_plant
):
    from rollout.models import Rollout

    elsewhere = Rollout.objects.create(
        name="Plant STG only", kind="erp", profile=rollout.profile
    )
    elsewhere.plants.add(other_plant)
    response = login(it_lead).get(f"/profiles/{rollout.profile.pk}/")
    assert response.status_code == 403


def test_the_list_shows_rollouts_at_the_users_plants(login, viewer, rollout):
    html = login(viewer).get("/rollouts/").content.decode()
    assert "MES 2.0" in html
    assert "New rollout" not in html


def test_an_it_lead_edits_profile_weights(login, it_lead, rollout):
    profile = rollout.profile
    data = {"name": profile.name, "description": ""}
    for phase in ("training", "cutover", "hypercare"):
        for factor in ("load", "peak", "milestone", "blackout", "absence"):
            data[f"{phase}_{factor}"] = 1.0
    data["cutover_load"] = 5
    response = login(it_lead).post(f"/profiles/{profile.pk}/", data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.cutover_load == 5
