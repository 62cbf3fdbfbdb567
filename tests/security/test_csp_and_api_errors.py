"""Every /api/ error is JSON (an unknown URL, a failed CSRF check) and every
page carries a Content-Security-Policy that allows no inline script without
the request's nonce."""

import datetime
import json
import re

import pytest
from django.middleware.csrf import _get_failure_view
from django.test import Client, RequestFactory

from proposals import services
from tests.web import conftest as web

# The page tests' world (tests/web/conftest.py): a plant with a rollout, its
# manager and IT lead.
plant, rollout, manager, it_lead, login = (
    web.plant,
    web.rollout,
    web.manager,
    web.it_lead,
    web.login,
)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in header.split(";"))
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts if p and p[0]}


# --- JSON errors under /api/ ------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unknown_api_url_is_a_json_404_for_every_method(method):
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)("/api/nope/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_api_url_is_a_json_404_with_a_session_and_no_csrf(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post("/api/nope/", {"a": 1})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_csrf_failure_under_api_is_json():
    request = RequestFactory().post("/api/plants/")

    response = _get_failure_view()(request, reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body == {"detail": "CSRF Failed: CSRF cookie not set."}


def test_a_csrf_failure_on_a_page_is_djangos_html():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_a_session_write_without_csrf_is_a_json_403(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post("/api/auth/token/", {}, content_type="application/json")
    plants = client.post("/api/plants/", {}, content_type="application/json")

    assert response.status_code == 400  # the token endpoint needs no session
    assert plants.status_code in (403, 405)
    assert plants["Content-Type"] == "application/json"


# --- Content-Security-Policy -----------------------------------------------


def test_pages_carry_the_policy(client):
    response = client.get("/login/")

    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no nonce: none was used
    assert directives["style-src"] == "'self'"
    assert directives["style-src-attr"] == "'unsafe-inline'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"


def test_the_lockout_page_carries_the_policy_too(client, settings):
    from tests.factories import UserFactory

    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/login/", {"username": user.username, "password": "wrong"}
        )

    assert response.status_code == 429
    assert policy(response)["default-src"] == "'self'"


def test_the_main_pages_have_no_inline_script(login, manager, it_lead, rollout):
    plant = rollout.plants.get()
    day = plant.local_today() + datetime.timedelta(days=75)
    proposal = services.proposal_create(
        user=it_lead, rollout=rollout, plant=plant, go_live=day
    )
    client = login(manager)

    for url in [
        "/",
        f"/plants/{plant.code}/calendar/?rollout={rollout.pk}",
        f"/proposals/{proposal.pk}/",
        "/proposals/new/",
    ]:
        if url == "/proposals/new/":
            client = login(it_lead)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert not INLINE_SCRIPT.findall(response.content.decode()), url


def test_the_swagger_ui_uses_the_nonce(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    directives = policy(response)
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert f"'nonce-{nonce}'" in directives["style-src"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert f'<script nonce="{nonce}">' in html
    assert f'<style nonce="{nonce}">' in html
