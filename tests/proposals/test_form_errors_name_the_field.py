"""A workflow form sent with empty or bad fields says which field is wrong,
by the label the page shows, and changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from proposals.models import GoLiveProposal, ProposalReview

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def post(user, url: str, data: dict) -> list[str]:
    """Post as `user`, reading the page in English; the messages shown."""
    client = Client()
    client.force_login(user)
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post(url, data)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_closing_with_an_empty_form_names_each_missing_field(make_proposal, users):
    proposal = make_proposal(Status.HYPERCARE)
    shown = post(
        users["it_lead"],
        f"/proposals/{proposal.pk}/do/close/",
        {"close-lessons_learned": "", "close-rating": "", "close-comment": ""},
    )
    assert "Lessons learned: This field is required." in shown
    assert "Rating (1 = poor, 5 = excellent): This field is required." in shown
    assert not any("cannot be blank" in m or "must be an integer" in m for m in shown)
    proposal.refresh_from_db()
    assert proposal.status == Status.HYPERCARE
    assert not ProposalReview.objects.filter(proposal=proposal).exists()


def test_closing_with_a_word_for_a_number_names_the_field(make_proposal, users):
    proposal = make_proposal(Status.HYPERCARE)
    shown = post(
        users["it_lead"],
        f"/proposals/{proposal.pk}/do/close/",
        {
            "close-lessons_learned": "Freeze firmware first",
            "close-rating": "4",
            "close-actual_utilisation": "seventy",
        },
    )
    assert shown == ["Actual utilisation during hypercare (%): Enter a number."]
    proposal.refresh_from_db()
    assert proposal.status == Status.HYPERCARE


def test_a_services_refusal_is_named_by_the_forms_label(make_proposal, users):
    proposal = make_proposal(Status.SUBMITTED)
    # The form takes an empty comment; the service wants the reason.
    shown = post(
        users["manager"], f"/proposals/{proposal.pk}/do/reject/", {"reject-comment": ""}
    )
    assert shown == ["Comment: Say why the proposal is rejected."]
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_pausing_without_reason_and_impact_names_both(make_proposal, users):
    proposal = make_proposal(Status.GO)
    shown = post(users["manager"], f"/proposals/{proposal.pk}/do/pause/", {})
    assert "Reason: This field is required." in shown
    assert "Impact observed on production: This field is required." in shown
    proposal.refresh_from_db()
    assert proposal.status == Status.GO


def test_a_review_edited_with_a_bad_rating_names_the_field(make_proposal, users):
    proposal = make_proposal(Status.CLOSED)
    shown = post(
        users["it_lead"],
        f"/proposals/{proposal.pk}/review/",
        {"lessons_learned": "", "rating": "x", "actual_utilisation": "a lot"},
    )
    assert "Lessons learned: This field is required." in shown
    assert any(m.startswith("Rating (1 = poor, 5 = excellent): ") for m in shown)
    assert "Actual utilisation during hypercare (%): Enter a number." in shown, shown
    assert proposal.review.lessons_learned == "Fine."


def test_an_observation_without_description_names_the_field(make_proposal, users):
    proposal = make_proposal(Status.GO)
    shown = post(
        users["it_lead"],
        f"/proposals/{proposal.pk}/observations/",
        {"severity": "high", "area": "production", "description": ""},
    )
    assert shown == ["What was observed: This field is required."]
    assert not proposal.observations.exists()


def test_save_and_submit_without_a_fallback_saves_nothing(
    users, rollout, north, go_live
):
    client = Client()
    client.force_login(users["it_lead"])
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post(
        "/proposals/new/",
        {
            "plant": north.pk,
            "rollout": rollout.pk,
            "go_live": go_live.isoformat(),
            "contingency_fallback": "",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Under the field it names, on the form that keeps what was typed.
    field = html[html.index('for="id_contingency_fallback"') :]
    assert "Describe the fallback to the old system" in field[:2000]
    assert f'value="{go_live.isoformat()}"' in html
    assert not GoLiveProposal.objects.exists()
