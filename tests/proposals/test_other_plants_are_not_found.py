"""A proposal of a plant the user cannot see does not exist for them (404),
in the list, the detail, every action and every nested resource."""

import pytest

from proposals.models import GoLiveProposal
from tests.proposals.conftest import api, rows

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


@pytest.fixture
def closed_north(make_proposal):
    return make_proposal(Status.CLOSED)


def test_the_list_shows_only_visible_plants(make_proposal, south_manager, manager):
    north_proposal = make_proposal(Status.SUBMITTED)
    assert rows(api(south_manager).get("/api/proposals/")) == []
    assert rows(api(south_manager).get("/api/proposals/?plant=north")) == []
    assert [p["id"] for p in rows(api(manager).get("/api/proposals/"))] == [
        north_proposal.pk
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "submit/"),
        ("post", "approve/"),
        ("post", "pause/"),
        ("get", "checklist/"),
        ("post", "checklist/"),
        ("get", "observations/"),
        ("post", "observations/"),
        ("get", "review/"),
        ("patch", "review/"),
    ],
)
def test_every_route_of_another_plants_proposal_is_404(
    closed_north, south_manager, method, path
):
    client = api(south_manager)
    response = getattr(client, method)(
        f"/api/proposals/{closed_north.pk}/{path}", {}, format="json"
    )
    assert response.status_code == 404


def test_a_checklist_item_of_another_plant_is_404(make_proposal, south_manager):
    proposal = make_proposal(Status.DRAFT)
    item = proposal.checklist.first()
    url = f"/api/proposals/{proposal.pk}/checklist/{item.pk}/"
    assert api(south_manager).patch(url, {"done": True}).status_code == 404
    assert api(south_manager).delete(url).status_code == 404


def test_reviews_of_another_plant_are_not_listed(closed_north, south_manager, viewer):
    assert rows(api(south_manager).get("/api/proposals/reviews/?plant=north")) == []
    assert rows(api(south_manager).get("/api/proposals/reviews/")) == []
    listed = rows(api(viewer).get("/api/proposals/reviews/?plant=north"))
    assert [r["proposal"] for r in listed] == [closed_north.pk]


def test_anonymous_requests_are_refused(closed_north, client):
    assert client.get("/api/proposals/").status_code in (401, 403)
    assert client.get(f"/api/proposals/{closed_north.pk}/").status_code in (401, 403)
