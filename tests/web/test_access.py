"""Every page checks sign-in, plant and role like the API: anonymous users are
sent to sign in, other plants' pages are not found, a missing role is
forbidden."""

import pytest
from django.urls import reverse

from calendars.models import PeakSeason

pytestmark = pytest.mark.django_db


def plant_pages(code, rollout_id):
    return [
        f"/plants/{code}/calendar/",
        f"/plants/{code}/calendar/?rollout={rollout_id}&months=24",
        f"/plants/{code}/calendar/evaluate/?rollout={rollout_id}&date=2030-01-01",
        f"/plants/{code}/data/",
        f"/plants/{code}/plan/",
    ]


MANAGER_PAGES = [
    "/plants/{code}/data/seasons/new/",
    "/plants/{code}/data/milestones/new/",
    "/plants/{code}/data/blackouts/new/",
    "/plants/{code}/data/closures/new/",
]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/plants/",
        "/plants/sz/calendar/",
        "/plants/sz/data/",
        "/plants/sz/data/seasons/new/",
        "/plants/sz/plan/",
        "/rollouts/",
        "/rollouts/new/",
        "/proposals/",
        "/proposals/new/",
        "/reviews/",
    ],
)
def test_anonymous_users_are_sent_to_sign_in(client, plant, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_every_plant_page_opens_for_a_member(login, viewer, rollout):
    client = login(viewer)
    for url in plant_pages("sz", rollout.id):
        assert client.get(url).status_code == 200, url


def test_other_plants_pages_are_not_found(login, other_manager, rollout):
    client = login(other_manager)
    for url in plant_pages("sz", rollout.id) + [
        u.format(code="sz") for u in MANAGER_PAGES
    ]:
        assert client.get(url).status_code == 404, url


def test_an_unknown_plant_is_not_found(login, manager):
    assert login(manager).get("/plants/nope/calendar/").status_code == 404


@pytest.mark.parametrize("role", ["it_lead", "viewer"])
def test_only_managers_edit_calendar_data(request, login, rollout, role):
    client = login(request.getfixturevalue(role))
    for url in MANAGER_PAGES:
        assert client.get(url.format(code="sz")).status_code == 403, url
    response = client.post(
        "/plants/sz/data/seasons/new/",
        {"name": "x", "start": "2030-01-01", "end": "2030-01-02", "severity": 3},
    )
    assert response.status_code == 403
    assert not PeakSeason.objects.filter(name="x").exists()


def test_managers_open_their_forms(login, manager):
    client = login(manager)
    for url in MANAGER_PAGES:
        assert client.get(url.format(code="sz")).status_code == 200, url


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_it_leads_define_rollouts_and_proposals(request, login, rollout, role):
    client = login(request.getfixturevalue(role))
    assert client.get("/rollouts/new/").status_code == 403
    assert client.get(f"/rollouts/{rollout.id}/").status_code == 403
    assert client.get("/proposals/new/").status_code == 403


def test_it_leads_open_rollout_and_proposal_forms(login, it_lead, rollout):
    client = login(it_lead)
    assert client.get("/rollouts/new/").status_code == 200
    assert client.get(f"/rollouts/{rollout.id}/").status_code == 200
    assert client.get("/proposals/new/?plant=sz").status_code == 200


def test_a_rollout_of_other_plants_is_not_found(login, other_manager, rollout):
    assert login(other_manager).get(f"/rollouts/{rollout.id}/").status_code == 404


def test_a_proposal_form_for_another_plant_is_not_found(login, it_lead, other_plant):
    assert login(it_lead).get("/proposals/new/?plant=stg").status_code == 404


def test_superusers_see_every_plant(login, superuser, rollout, other_plant):
    client = login(superuser)
    assert client.get("/plants/sz/calendar/").status_code == 200
    assert client.get("/plants/stg/data/seasons/new/").status_code == 200


def test_only_managers_switch_plans_on_and_off(login, it_lead, plant):
    from tests.factories import ProductionPlanFactory

    plan = ProductionPlanFactory(plant=plant)
    client = login(it_lead)
    assert client.post(f"/plants/sz/plan/{plan.pk}/toggle/").status_code == 403
    plan.refresh_from_db()
    assert plan.active


def test_only_it_leads_edit_scoring_profiles(login, manager, rollout):
    response = login(manager).get(f"/profiles/{rollout.profile_id}/")
    assert response.status_code == 403


def test_proposal_pages_follow_plant_and_role(
    login, it_lead, viewer, other_manager, rollout, plant
):
    import datetime

    from proposals import services

    proposal = services.proposal_create(
        contingency_fallback="Back to the legacy system from last night's backup.",
        user=it_lead,
        rollout=rollout,
        plant=plant,
        go_live=plant.local_today() + datetime.timedelta(days=75),
    )
    urls = [
        f"/proposals/{proposal.pk}/",
        f"/proposals/{proposal.pk}/edit/",
    ]
    other = login(other_manager)
    for url in urls:
        assert other.get(url).status_code == 404, url
    assert other.post(f"/proposals/{proposal.pk}/do/submit/").status_code == 404
    reader = login(viewer)
    assert reader.get(urls[0]).status_code == 200
    assert reader.get(urls[1]).status_code == 403
    assert reader.post(f"/proposals/{proposal.pk}/do/submit/").status_code == 403
    for action in ("observations", "checklist", "do/acknowledge", "review"):
        response = reader.post(f"/proposals/{proposal.pk}/{action}/", {})
        assert response.status_code == 403, action
    item = proposal.checklist.first()
    response = reader.post(f"/proposals/{proposal.pk}/checklist/{item.pk}/", {})
    assert response.status_code == 403


def test_anonymous_users_cannot_act_on_proposals(client, plant):
    response = client.post("/proposals/1/do/approve/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
