"""The language switch is remembered per user and follows them to a new
session."""

import pytest
from django.test import Client

from accounts.models import UserPreference
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_switching_to_chinese_is_remembered_for_the_user(login, manager):
    client = login(manager)
    response = client.post("/language/", {"language": "zh-hans", "next": "/plants/"})
    assert response.status_code == 302
    assert response["Location"] == "/plants/"
    assert UserPreference.objects.get(user=manager).language == "zh-hans"
    page = client.get("/plants/")
    assert page["Content-Language"] == "zh-hans"
    assert "你的工厂" in page.content.decode()


def test_the_preference_applies_on_the_next_sign_in(manager):
    UserPreference.objects.create(user=manager, language="zh-hans")
    client = Client()
    client.post("/login/", {"username": manager.username, "password": PASSWORD})
    page = client.get("/")
    assert page["Content-Language"] == "zh-hans"
    assert "仪表板" in page.content.decode()


def test_a_user_without_preference_gets_english(login, viewer):
    page = login(viewer).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "en"
    assert "Dashboard" in page.content.decode()


def test_an_unknown_language_changes_nothing(login, manager):
    client = login(manager)
    client.post("/language/", {"language": "xx", "next": "/"})
    assert not UserPreference.objects.filter(user=manager).exists()


def test_the_switch_never_redirects_off_site(login, manager):
    response = login(manager).post(
        "/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_anonymous_visitors_can_switch_the_sign_in_page(client):
    client.post("/language/", {"language": "zh-hans", "next": "/login/"})
    assert "登录" in client.get("/login/").content.decode()
