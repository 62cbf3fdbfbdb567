"""The pages' template library survives Django rebuilding its engines (as
tests with available_apps or changed TEMPLATES make it do)."""

import pytest
from django.template import engines
from django.test import override_settings


@pytest.mark.django_db
def test_the_library_is_there_after_the_engines_are_rebuilt(client, settings):
    client.get("/login/")  # the URL module registers it
    with override_settings(INSTALLED_APPS=settings.INSTALLED_APPS):
        template = engines["django"].from_string(
            "{% load offpeak %}{{ 91.6|roundscore }}"
        )
        assert template.render({}) == "92"
        assert client.get("/login/").status_code == 200
    assert client.get("/login/").status_code == 200
