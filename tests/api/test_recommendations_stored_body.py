"""/api/plants/{code}/recommendations/: the body is rendered once per ETag by
the serializer and then served from the shared cache. What a client notices:
the same answer as the serializer gives, in its language, the new one as soon
as a rebuild stored it, nothing of a plant it does not see, and an answer
even when the cache is down."""

import datetime
import json

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from accounts.cache import cache_health
from calendars.models import Blackout, Plant
from calendars.services import calendar_item_create
from rollout.api.serializers import RecommendationListSerializer
from rollout.models import Rollout
from rollout.selectors import recommendation_list
from rollout.services import recommendation_set_rebuild
from tests.factories import PlantFactory, make_rollout

pytestmark = pytest.mark.django_db


def url(rollout, code, **query) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"/api/plants/{code}/recommendations/?rollout={rollout.id}{extra}"


def rendered(plant, rollout, language: str, limit: int = 10) -> dict:
    """What the serializer renders for the stored windows, now."""
    plant = Plant.objects.get(pk=plant.pk)
    rollout = Rollout.objects.get(pk=rollout.pk)
    with translation.override(language):
        listing = recommendation_list(plant=plant, rollout=rollout, limit=limit)
        data = RecommendationListSerializer(listing, context={"plant": plant}).data
        return json.loads(JSONRenderer().render(data))


@pytest.fixture
def closing_plant(db):
    """A Chinese plant closing its books around every month end: the
    windows' explanations name period closes, which read differently in
    Chinese."""
    return PlantFactory(code="wx", country="CN", close_last_days=2, close_first_days=1)


@pytest.fixture
def closing_rollout(closing_plant):
    rollout = make_rollout("MES 2.0", [closing_plant], hypercare_days=10)
    recommendation_set_rebuild(plant=closing_plant, rollout=rollout)
    return rollout


@pytest.fixture
def reader(closing_plant, api):
    from accounts.permissions import VIEWER
    from tests.factories import user_in

    return api(user_in(VIEWER, [closing_plant], username="reader"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_body_is_what_the_serializer_renders_in_the_readers_language(
    reader, closing_plant, closing_rollout, language
):
    first = reader.get(url(closing_rollout, "wx"), HTTP_ACCEPT_LANGUAGE=language)
    again = reader.get(url(closing_rollout, "wx"), HTTP_ACCEPT_LANGUAGE=language)

    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == again["Content-Type"] == "application/json"
    expected = rendered(closing_plant, closing_rollout, language)
    assert first.json() == again.json() == expected
    assert again["ETag"] == first["ETag"]


def test_each_language_gets_its_own_body(reader, closing_plant, closing_rollout):
    english = reader.get(url(closing_rollout, "wx"), HTTP_ACCEPT_LANGUAGE="en")
    chinese = reader.get(url(closing_rollout, "wx"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    names = {
        lang: [c["name"] for w in r.json()["results"] for c in w["explanation"]]
        for lang, r in (("en", english), ("zh", chinese))
    }
    assert any(n.startswith("period close") for n in names["en"])
    assert any(n.startswith("期末结账") for n in names["zh"])
    assert english["ETag"] != chinese["ETag"]


def test_each_limit_gets_its_own_body(reader, closing_plant, closing_rollout):
    reader.get(url(closing_rollout, "wx"))

    three = reader.get(url(closing_rollout, "wx", limit=3)).json()

    assert three == rendered(closing_plant, closing_rollout, "en", limit=3)
    assert len(three["results"]) == 3


def test_after_a_calendar_edit_and_a_rebuild_the_new_body_is_served(
    reader, closing_plant, closing_rollout
):
    before = reader.get(url(closing_rollout, "wx")).json()
    best = datetime.date.fromisoformat(before["results"][0]["go_live"])
    calendar_item_create(
        model=Blackout, plant=closing_plant, name="Stock count", kind="stock_count",
        hard=True, start=best - datetime.timedelta(days=3), end=best,
    )  # fmt: skip

    pending = reader.get(url(closing_rollout, "wx")).json()
    closing_plant.refresh_from_db()
    recommendation_set_rebuild(plant=closing_plant, rollout=closing_rollout)
    after = reader.get(url(closing_rollout, "wx")).json()

    assert pending["up_to_date"] is False
    assert pending["results"] == before["results"]
    assert after == rendered(closing_plant, closing_rollout, "en")
    assert after["up_to_date"] is True
    assert after["calendar_revision"] == before["calendar_revision"] + 1
    assert best.isoformat() not in {w["go_live"] for w in after["results"]}


def test_a_matching_etag_still_gets_304_and_a_stale_one_the_new_body(
    reader, closing_plant, closing_rollout
):
    etag = reader.get(url(closing_rollout, "wx"))["ETag"]

    unchanged = reader.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=etag)
    closing_plant.refresh_from_db()
    recommendation_set_rebuild(plant=closing_plant, rollout=closing_rollout)
    rebuilt = reader.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert rebuilt.status_code == 200
    assert rebuilt["ETag"] != etag
    assert rebuilt.json() == rendered(closing_plant, closing_rollout, "en")


def test_a_user_of_another_plant_gets_404_once_the_body_is_cached(
    api, reader, closing_rollout, other_manager
):
    etag = reader.get(url(closing_rollout, "wx"))["ETag"]
    outsider = api(other_manager)

    plain = outsider.get(url(closing_rollout, "wx"))
    revalidated = outsider.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=etag)

    assert plain.status_code == revalidated.status_code == 404
    assert "results" not in plain.json()
    assert not revalidated.has_header("ETag")


def test_the_body_is_the_same_for_every_reader_of_the_plant(
    api, users, plant, rollout, built
):
    bodies = [api(user).get(url(rollout, "sz")).json() for user in users.values()]

    assert all(body == rendered(plant, rollout, "en") for body in bodies)


@pytest.fixture
def cache_down(settings):
    """The cache is a Redis nobody listens on: every call to it fails."""
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    cache_health.__init__()
    yield
    cache_health.__init__()


def test_with_the_cache_down_the_body_is_still_served(
    closing_plant, closing_rollout, api, cache_down
):
    from accounts.permissions import VIEWER
    from tests.factories import user_in

    reader = api(user_in(VIEWER, [closing_plant], username="reader"))

    response = reader.get(url(closing_rollout, "wx"))
    again = reader.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert response.json() == rendered(closing_plant, closing_rollout, "en")
    assert again.status_code == 304
    assert cache_health.stats()["cache_errors"] >= 1


@pytest.mark.services
@pytest.mark.parametrize("prepared", [True, False])
def test_behind_a_transaction_pooler_the_etag_check_prepares_nothing(
    real_services, settings, prepared, reader, closing_plant, closing_rollout
):
    """PgBouncer in transaction mode cannot keep a session's prepared
    statement: with DB_PREPARED_STATEMENTS off, the ETag check is a plain
    statement and revalidation still answers 304, then the new body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DB_PREPARED_STATEMENTS = prepared
    etag = reader.get(url(closing_rollout, "wx"))["ETag"]
    with CaptureQueriesContext(connection) as queries:
        unchanged = reader.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=etag)
    # Read now: the next request clears the connection's query log.
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    recommendation_set_rebuild(plant=closing_plant, rollout=closing_rollout)
    rebuilt = reader.get(url(closing_rollout, "wx"), HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert rebuilt.status_code == 200 and rebuilt["ETag"] != etag
    assert statements == (["EXECUTE"] if prepared else ["SELECT"])


@pytest.mark.parametrize("path", ["recommendations", "window-state"])
def test_a_client_asking_for_indented_json_gets_it_with_the_same_content(
    reader, closing_rollout, path
):
    address = f"/api/plants/wx/{path}/?rollout={closing_rollout.id}"
    compact = reader.get(address)  # kept in the cache from now on
    indented = reader.get(address, HTTP_ACCEPT="application/json; indent=4")

    assert compact.status_code == indented.status_code == 200
    assert b"\n    " not in compact.content
    assert b'\n    "' in indented.content
    assert json.loads(indented.content) == json.loads(compact.content)
