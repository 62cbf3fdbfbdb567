"""/api/schema/ (OpenAPI 3, valid without warnings) and /api/docs/ (Swagger
UI from local static files)."""

import re

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CONTRACT_PATHS = [
    "/api/auth/token/",
    "/api/auth/tokens/",
    "/api/auth/tokens/{token_key}/",
    "/api/auth/feed-token/",
    "/api/plants/",
    "/api/plants/{code}/",
    "/api/peak-seasons/",
    "/api/milestones/",
    "/api/blackouts/",
    "/api/calendar-exceptions/",
    "/api/plants/{code}/production-plans/",
    "/api/plants/{code}/calendar/",
    "/api/rollouts/",
    "/api/plants/{code}/recommendations/",
    "/api/evaluations/",
    "/api/plants/{code}/window-state/",
]


def test_the_schema_generates_without_errors_or_warnings(tmp_path):
    """What `manage.py spectacular --validate --fail-on-warn` checks."""
    out = tmp_path / "schema.yaml"
    GENERATOR_STATS.reset()  # warnings of earlier generations in this process

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_the_schema_is_served_to_anyone_and_lists_the_contract(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert set(CONTRACT_PATHS) <= set(schema["paths"])
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_schema_leaks_no_plant(anon, plant, other_plant, rollout):
    """It is the same for everyone and shows no data, not even in examples."""
    text = anon.get("/api/schema/").content.decode()

    for secret in ("Suzhou", "Stuttgart", "MES 2.0"):
        assert secret not in text
    assert not re.search(r"\b(sz|stg)\b", text)


def test_the_schema_documents_the_token_scopes_and_errors(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    scope = schema["components"]["schemas"]["TokenObtainRequest"]["properties"]
    assert "read_only for everyone else (viewers)" in scope["scope"]["description"]
    responses = schema["paths"]["/api/milestones/{id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404", "429"} <= set(responses)
    recommendations = schema["paths"]["/api/plants/{code}/recommendations/"]["get"]
    assert "304" in recommendations["responses"]
    assert "allowed_today" in str(schema["components"]["schemas"]["WindowState"])


def test_the_docs_load_swagger_ui_from_local_static_files(anon):
    response = anon.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in a for a in assets)
    assert all(a.startswith("/") for a in assets), assets  # no CDN
    assert "cdn" not in html.lower()


def test_the_docs_static_files_are_there(anon):
    html = APIClient().get("/api/docs/").content.decode()
    bundle = re.search(r'src="([^"]+swagger-ui-bundle\.js)"', html).group(1)

    from django.contrib.staticfiles import finders

    assert finders.find(bundle.split("/static/", 1)[1])


@pytest.mark.parametrize("path", ["/api/nope/", "/api/plants", "/api/plants/sz/x/"])
def test_an_unknown_api_url_is_a_json_404(api, viewer, plant, path):
    response = api(viewer).get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
