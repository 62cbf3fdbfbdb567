"""/api/plants/{code}/recommendations/?rollout=: the stored windows, with an
ETag that answers 304 without loading them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars.models import Milestone
from calendars.services import calendar_item_create
from rollout.services import recommendation_set_rebuild
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def url(rollout, code="sz", **query) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"/api/plants/{code}/recommendations/?rollout={rollout.id}{extra}"


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_the_windows_come_ranked_with_the_contract_fields(
    api, users, plant, rollout, built, role
):
    response = api(users[role]).get(url(rollout))

    assert response.status_code == 200
    body = response.json()
    assert body["calendar_revision"] == plant.calendar_revision
    assert body["built_from_revision"] == plant.calendar_revision
    assert body["up_to_date"] is True
    assert body["built_at"]
    results = body["results"]
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert len(results) == 10
    first = results[0]
    assert set(first) >= {"rank", "go_live", "phases", "score", "cost", "feasible",
                          "explanation"}  # fmt: skip
    assert first["feasible"] is True
    assert [p["name"] for p in first["phases"]] == ["training", "cutover", "hypercare"]
    assert set(first["phases"][0]) == {"name", "start", "end"}
    assert 0 <= first["score"] <= 100
    assert first["score"] >= results[-1]["score"]


def test_limit_bounds_the_results(api, viewer, rollout, built):
    body = api(viewer).get(url(rollout, limit=3)).json()

    assert len(body["results"]) == 3


def test_nothing_built_yet_is_an_empty_stale_answer(api, viewer, plant, rollout):
    body = api(viewer).get(url(rollout)).json()

    assert body["results"] == []
    assert body["up_to_date"] is False
    assert body["built_from_revision"] is None


def test_a_calendar_change_marks_them_stale(api, viewer, plant, rollout, built):
    calendar_item_create(
        model=Milestone, plant=plant, name="Audit", kind="audit",
        start=datetime.date(2027, 1, 4), end=datetime.date(2027, 1, 5),
    )  # fmt: skip

    body = api(viewer).get(url(rollout)).json()

    assert body["up_to_date"] is False
    assert body["calendar_revision"] == body["built_from_revision"] + 1


# --- ETag -----------------------------------------------------------------


def test_if_none_match_gets_304_with_one_query(viewer, rollout, built):
    client = token_client(viewer)
    first = client.get(url(rollout))  # also puts the token in the cache
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(rollout), HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    # The one stamp query; no window is loaded.
    assert len(queries) == 1
    assert '"rollout_recommendation"' not in queries[-1]["sql"]


def test_the_etag_is_weak_matching_and_lists_work(api, viewer, rollout, built):
    client = api(viewer)
    etag = client.get(url(rollout))["ETag"]

    listed = client.get(url(rollout), HTTP_IF_NONE_MATCH=f'"other", W/{etag}')

    assert listed.status_code == 304


def test_a_stale_etag_gets_the_full_answer(api, viewer, rollout, built):
    client = api(viewer)

    response = client.get(url(rollout), HTTP_IF_NONE_MATCH='"c0-r1.0-bNone"')

    assert response.status_code == 200
    assert response["ETag"] != '"c0-r1.0-bNone"'


@pytest.mark.parametrize(
    "change",
    ["calendar", "rollout", "rebuild", "limit"],
)
def test_the_etag_changes_with_what_the_answer_depends_on(
    api, viewer, plant, rollout, built, change
):
    client = api(viewer)
    before = client.get(url(rollout))["ETag"]
    query = {}
    if change == "calendar":
        calendar_item_create(
            model=Milestone, plant=plant, name="Audit", kind="audit",
            start=datetime.date(2027, 1, 4), end=datetime.date(2027, 1, 5),
        )  # fmt: skip
    elif change == "rollout":
        rollout.revision += 1
        rollout.save()
    elif change == "rebuild":
        plant.refresh_from_db()
        recommendation_set_rebuild(plant=plant, rollout=rollout)
    else:
        query = {"limit": 5}

    after = client.get(url(rollout, **query))

    assert after["ETag"] != before
    assert (
        client.get(url(rollout, **query), HTTP_IF_NONE_MATCH=before).status_code == 200
    )


def test_responses_say_they_vary_by_credentials(api, viewer, rollout, built):
    response = api(viewer).get(url(rollout))

    assert "Authorization" in response["Vary"]
    assert response["Cache-Control"] == "private, no-cache"


# --- who ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_recommendations_are_not_found(
    api, users, other_plant, other_rollout, role
):
    recommendation_set_rebuild(plant=other_plant, rollout=other_rollout)
    client = api(users[role])

    response = client.get(url(other_rollout, code="stg"))
    assert response.status_code == 404
    # …not even to a guessed ETag.
    assert (
        client.get(url(other_rollout, code="stg"), HTTP_IF_NONE_MATCH="*").status_code
        == 404
    )


def test_a_rollout_not_at_the_plant_is_a_400(api, viewer, plant, other_rollout):
    response = api(viewer).get(url(other_rollout))

    assert response.status_code == 400
    assert "rollout" in response.json()


@pytest.mark.parametrize("query", ["", "?rollout=x", "?rollout=1&limit=0",
                                   "?rollout=1&limit=101"])  # fmt: skip
def test_bad_queries_name_their_parameter(api, viewer, plant, query):
    response = api(viewer).get(f"/api/plants/sz/recommendations/{query}")

    assert response.status_code == 400
    assert {"rollout", "limit"} & set(response.json())


def test_anonymous_is_unauthorised(anon, rollout):
    assert anon.get(url(rollout)).status_code == 401


def test_scores_are_served_with_one_decimal(api, viewer, rollout, built):
    response = api(viewer).get(f"/api/plants/sz/recommendations/?rollout={rollout.id}")
    scores = [w["score"] for w in response.data["results"]]
    assert scores
    assert all(round(s, 1) == s for s in scores)
