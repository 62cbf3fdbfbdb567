"""Holiday, period-close and load names reach the reader in the reader's
language, although stored explanations and proposal evaluations keep them in
English (they are built without a reader).

A Wuxi plant on China's public holidays closes its books over the last two
working days of each month and the first of the next; going live on Wed
2027-04-28 puts hypercare over the April close and Labour Day (1-5 May).
"""

import datetime

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from accounts import permissions
from accounts.models import UserPreference
from calendars.names import cause_name
from proposals import notifications, services
from rollout.evaluation import go_live_evaluate
from rollout.models import Recommendation
from rollout.services import recommendation_set_rebuild
from tests.factories import PlantFactory, make_rollout
from tests.web.conftest import plant_member

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.date(2027, 4, 28)
CLOSE_EN, CLOSE_ZH = "period close FY2027 P04", "期末结账 FY2027 P04"
HOLIDAY_EN, HOLIDAY_ZH = "Labor Day", "劳动节"


@pytest.fixture
def plant(db):
    return PlantFactory(code="wx", close_last_days=2, close_first_days=1)


@pytest.fixture
def rollout(plant):
    return make_rollout("MES 2.0", [plant], hypercare_days=10)


def _member(plant, role, language=None):
    user = plant_member(plant, role)
    if language:
        UserPreference.objects.create(user=user, language=language)
    return user


@pytest.fixture
def stored(plant, rollout):
    """The top recommendation, rebuilt as the nightly job does (no reader:
    English), made the window of GO_LIVE with the engine's own explanation."""
    with translation.override("en"):
        recommendation_set_rebuild(plant=plant, rollout=rollout)
        evaluation = go_live_evaluate(plant=plant, rollout=rollout, go_live=GO_LIVE)
    data = evaluation.as_dict()
    top = Recommendation.objects.get(
        recommendation_set__plant=plant, recommendation_set__rollout=rollout, rank=1
    )
    top.go_live = GO_LIVE
    top.phases = data["phases"]
    top.explanation = data["explanation"]
    top.save()
    names = {(c["kind"], c["name"]) for c in top.explanation}
    assert {("holiday", HOLIDAY_EN), ("period_close", CLOSE_EN)} <= names
    return top


def _page(client, plant, rollout, language):
    return client.get(
        f"/plants/{plant.code}/calendar/?rollout={rollout.id}"
        f"&day={GO_LIVE.isoformat()}",
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()


def test_the_evaluation_panel_names_them_in_chinese_for_a_chinese_reader(
    client, plant, rollout, stored
):
    client.force_login(_member(plant, permissions.VIEWER, language="zh-hans"))
    html = _page(client, plant, rollout, "zh-hans")

    assert HOLIDAY_ZH in html
    assert CLOSE_ZH in html
    assert "生产负荷" in html
    assert HOLIDAY_EN not in html
    assert CLOSE_EN not in html
    assert "production load" not in html


def test_the_evaluation_panel_names_them_in_english_for_an_english_reader(
    client, plant, rollout, stored
):
    client.force_login(_member(plant, permissions.VIEWER, language="en"))
    html = _page(client, plant, rollout, "en")

    assert HOLIDAY_EN in html
    assert CLOSE_EN in html
    assert HOLIDAY_ZH not in html
    assert CLOSE_ZH not in html


def _api_explanation(user, plant, rollout, language):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(
        f"/api/plants/{plant.code}/recommendations/?rollout={rollout.id}&limit=1",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return response, response.json()["results"][0]["explanation"]


def test_the_api_names_them_by_accept_language_and_keeps_the_stored_english(
    plant, rollout, stored
):
    viewer = _member(plant, permissions.VIEWER)
    zh_response, zh = _api_explanation(viewer, plant, rollout, "zh-hans")
    en_response, en = _api_explanation(viewer, plant, rollout, "en")

    zh_names = {(c["kind"], c["name"]) for c in zh}
    assert ("holiday", HOLIDAY_ZH) in zh_names
    assert ("period_close", CLOSE_ZH) in zh_names
    assert ("load", "生产负荷") in zh_names
    assert not {n for _k, n in zh_names} & {HOLIDAY_EN, CLOSE_EN, "production load"}
    assert [c["name"] for c in en] == [c["name"] for c in stored.explanation]
    # Same costs and days either way: only the names change.
    assert [(c["days"], c["cost"]) for c in zh] == [(c["days"], c["cost"]) for c in en]
    # A cached answer in one language is never revalidated for the other.
    assert zh_response["ETag"] != en_response["ETag"]
    assert "Accept-Language" in zh_response["Vary"]
    stored.refresh_from_db()
    assert (("holiday", HOLIDAY_EN) in
            {(c["kind"], c["name"]) for c in stored.explanation})  # fmt: skip


def test_a_proposal_stored_in_english_shows_and_mails_the_close_in_chinese(
    client, plant, rollout
):
    it_lead = _member(plant, permissions.IT_LEAD, language="en")
    manager = _member(plant, permissions.PLANT_MANAGER, language="zh-hans")
    # Submitted by a Chinese reader: stored in English all the same.
    with translation.override("zh-hans"):
        proposal = services.proposal_create(
            user=it_lead,
            rollout=rollout,
            plant=plant,
            go_live=GO_LIVE,
            contingency_fallback="Back to the old MES.",
        )
        proposal = services.proposal_submit(proposal=proposal, user=it_lead)
    assert CLOSE_EN in {c["name"] for c in proposal.conflicts}

    client.force_login(manager)
    html = client.get(
        f"/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert CLOSE_ZH in html
    assert CLOSE_EN not in html

    email = notifications.email_render(
        event="conflict", proposal=proposal, recipient=manager
    )
    assert CLOSE_ZH in email.body
    assert CLOSE_EN not in email.body
    english = notifications.email_render(
        event="conflict", proposal=proposal, recipient=it_lead
    )
    assert CLOSE_EN in english.body


def test_names_people_typed_stay_as_entered(plant):
    with translation.override("zh-hans"):
        assert cause_name(plant=plant, kind="season", name=HOLIDAY_EN) == HOLIDAY_EN
        assert (
            cause_name(plant=plant, kind="blackout", name="period close FY2027 P04")
            == "period close FY2027 P04"
        )
        assert cause_name(plant=plant, kind="holiday", name=HOLIDAY_EN) == HOLIDAY_ZH
        assert (
            cause_name(plant=plant, kind="holiday", name="Dragon Boat Festival")
            == "端午节"
        )
        assert (
            cause_name(plant=plant, kind="period_close", name="year-end close FY2026")
            == "FY2026 年末结账"
        )
