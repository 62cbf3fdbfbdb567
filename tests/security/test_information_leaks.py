"""Finding 11: information leaks.

- A checklist item's owner accepted any active user id and echoed their
  username and full name (user enumeration). Owners are members of the
  proposal's plant (any role there); any other id gets one answer on the
  `owner` field, the same for an unknown id as for another plant's user,
  and never their name.
- An IT lead proposing a rollout of another plant was told that rollout's
  name. A rollout or plant the user cannot see is answered exactly like an id
  that does not exist, through the API and the page.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.permissions import VIEWER
from proposals import services
from proposals.models import ReadinessItem
from rollout.models import Rollout
from rollout.services import scoring_profile_default
from tests.factories import UserFactory
from tests.security.conftest import ROLES, Role, user_with

pytestmark = pytest.mark.django_db

UNKNOWN_ID = 987654
SECRET_NAMES = ("bertha", "Bertha", "Secretperson")


@pytest.fixture
def it_a(world):
    return user_with(ROLES["it_a"], world)


@pytest.fixture
def stranger(world):
    """A plant manager of B only: not someone A's people may see."""
    user = user_with(ROLES["pm_b"], world)
    user.username, user.first_name, user.last_name = "bertha", "Bertha", "Secretperson"
    user.save()
    return user


@pytest.fixture
def colleague(world):
    """A viewer of A: a member, so a possible owner."""
    user = user_with(Role("viewer", "viewer of A", (VIEWER,), ("A",)), world)
    user.first_name, user.last_name = "Carla", "Colleague"
    user.save()
    return user


@pytest.fixture
def proposal(world):
    return services.proposal_create(
        user=world.author,
        rollout=world.rollout,
        plant=world.a,
        go_live=world.go_live,
        contingency_fallback="Back to the legacy MES.",
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _no_names(body: str) -> None:
    for name in SECRET_NAMES:
        assert name not in body


# --- checklist owners ---------------------------------------------------------


def test_api_owner_outside_the_plant_is_refused_like_an_unknown_id(
    world, it_a, stranger, proposal
):
    api = _api(it_a)
    url = f"/api/proposals/{proposal.pk}/checklist/"

    outsider = api.post(url, {"title": "Sign-off", "owner": stranger.pk}, format="json")
    unknown = api.post(url, {"title": "Sign-off", "owner": UNKNOWN_ID}, format="json")
    inactive = UserFactory(is_active=False)
    world.a.members.add(inactive)
    gone = api.post(url, {"title": "Sign-off", "owner": inactive.pk}, format="json")

    assert outsider.status_code == unknown.status_code == gone.status_code == 400
    assert outsider.json() == unknown.json() == gone.json()
    assert list(outsider.json()) == ["owner"]
    _no_names(outsider.content.decode())
    assert not ReadinessItem.objects.filter(title="Sign-off").exists()


def test_api_owner_change_to_an_outsider_is_refused_like_an_unknown_id(
    it_a, stranger, proposal
):
    api = _api(it_a)
    item = proposal.checklist.first()
    url = f"/api/proposals/{proposal.pk}/checklist/{item.pk}/"

    outsider = api.patch(url, {"owner": stranger.pk}, format="json")
    unknown = api.patch(url, {"owner": UNKNOWN_ID}, format="json")

    assert outsider.status_code == unknown.status_code == 400
    assert outsider.json() == unknown.json()
    assert "owner" in outsider.json()
    _no_names(outsider.content.decode())
    item.refresh_from_db()
    assert item.owner_id != stranger.pk


def test_api_owner_may_be_any_member_of_the_plant(it_a, colleague, proposal):
    response = _api(it_a).post(
        f"/api/proposals/{proposal.pk}/checklist/",
        {"title": "Sign-off", "owner": colleague.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["owner"]["name"] == "Carla Colleague"
    assert ReadinessItem.objects.get(title="Sign-off").owner == colleague


def test_page_offers_only_members_and_refuses_others_like_an_unknown_id(
    it_a, stranger, colleague, proposal
):
    page = _page(it_a)
    detail = page.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Carla Colleague" in detail
    _no_names(detail)

    url = f"/proposals/{proposal.pk}/checklist/"
    outsider = page.post(url, {"title": "Sign-off", "owner": stranger.pk}, follow=True)
    unknown = page.post(url, {"title": "Sign-off", "owner": UNKNOWN_ID}, follow=True)

    def errors(response) -> list[str]:
        return [str(m) for m in response.context["messages"]]

    assert errors(outsider) == errors(unknown)
    assert errors(outsider)  # refused, and said so
    _no_names(outsider.content.decode())
    assert not ReadinessItem.objects.filter(title="Sign-off").exists()

    page.post(url, {"title": "Sign-off", "owner": colleague.pk})
    assert ReadinessItem.objects.get(title="Sign-off").owner == colleague


# --- proposals of what the user cannot see ------------------------------------


@pytest.fixture
def hidden_rollout(world):
    """A rollout that runs only at B, with a telling name."""
    rollout = Rollout.objects.create(
        name="Secret WMS at B",
        kind=Rollout.Kind.WMS,
        training_days=5,
        cutover_days=2,
        hypercare_days=5,
        profile=scoring_profile_default(),
    )
    rollout.plants.set([world.b])
    return rollout


def test_api_proposal_with_another_plants_rollout_is_answered_as_unknown(
    world, it_a, hidden_rollout
):
    api = _api(it_a)

    def propose(plant, rollout_id):
        return api.post(
            "/api/proposals/",
            {"plant": plant, "rollout": rollout_id, "go_live": str(world.go_live)},
            format="json",
        )

    hidden = propose(world.a.code, hidden_rollout.pk)
    unknown = propose(world.a.code, UNKNOWN_ID)
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
    assert "Secret WMS" not in hidden.content.decode()

    other_plant = propose(world.b.code, world.rollout.pk)
    no_plant = propose("no-such-plant", world.rollout.pk)
    assert other_plant.status_code == no_plant.status_code == 400
    assert other_plant.json() == no_plant.json()
    assert "Plant B" not in other_plant.content.decode()


def test_page_proposal_with_another_plants_rollout_is_answered_as_unknown(
    world, it_a, hidden_rollout
):
    page = _page(it_a)

    def errors(plant_id, rollout_id):
        response = page.post(
            "/proposals/new/",
            {"plant": plant_id, "rollout": rollout_id, "go_live": str(world.go_live)},
        )
        assert response.status_code == 200  # the form again, with its errors
        return response.context["form"].errors, response.content.decode()

    hidden, hidden_text = errors(world.a.pk, hidden_rollout.pk)
    unknown, _ = errors(world.a.pk, UNKNOWN_ID)
    assert hidden == unknown
    assert "rollout" in hidden
    assert "Secret WMS" not in hidden_text

    other_plant, other_text = errors(world.b.pk, world.rollout.pk)
    no_plant, _ = errors(UNKNOWN_ID, world.rollout.pk)
    assert other_plant == no_plant
    assert "plant" in other_plant
    assert "Plant B" not in other_text


def test_a_visible_rollout_not_at_the_chosen_plant_is_refused_without_its_name(
    world, hidden_rollout
):
    """An IT lead of A who also views B sees the rollout; still its name is not
    needed to say it does not run at A."""
    user = user_with(ROLES["it_a"], world)
    world.b.members.add(user)

    response = _api(user).post(
        "/api/proposals/",
        {
            "plant": world.a.code,
            "rollout": hidden_rollout.pk,
            "go_live": str(world.go_live),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["rollout"]
    assert "does not run at plant" in response.json()["rollout"][0]
