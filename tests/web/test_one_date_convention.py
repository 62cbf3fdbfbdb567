"""One date convention per interface language, whatever the plant's country.

The key pages, for a Mexican, a German and a Chinese plant side by side, in
English and in Chinese: every date on them reads YYYY-MM-DD (the weekday in
front in English, behind in Chinese), never "09/11/2026", "14.01.2027",
"Jan. 4, 2027" or "2027年1月4日"; timeline times carry their zone; the date
inputs take the same form."""

import datetime
import re

import pytest
from django.test import Client

from accounts import permissions
from calendars import services as calendar_services
from calendars.models import Plant
from proposals import services
from rollout.services import recommendation_set_rebuild
from tests.factories import make_rollout
from tests.web.conftest import calendar_items_add, plant_member

pytestmark = pytest.mark.django_db

PLANTS = (
    ("MTY", "Monterrey", "America/Mexico_City", "MX", ""),
    ("STG", "Stuttgart", "Europe/Berlin", "DE", "BW"),
    ("SZ", "Suzhou", "Asia/Shanghai", "CN", ""),
)
ISO = r"\d{4}-\d{2}-\d{2}"
# Anything that looks like a day of a year, however written.
DATE_LIKE = re.compile(
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"  # 09/11/2026, 14.01.2027, 9/11/26
    r"|\b\d{4}[./]\d{1,2}[./]\d{1,2}\b"  # 2026/11/09, 2026.11.09
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"  # 2027年1月4日
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? "
    r"\d{1,2}, \d{4}"  # Jan. 4, 2027
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}"
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b"  # ISO, checked for zero padding below
)
WEEKDAYS_EN = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
WEEKDAYS_ZH = "周一|周二|周三|周四|周五|周六|周日"


@pytest.fixture(autouse=True)
def short_horizon(settings):
    settings.OFFPEAK_HORIZON_DAYS = 240


@pytest.fixture
def world(db):
    rollout = make_rollout("MES 2.0", [], hypercare_days=10)
    manager = plant_member(None, permissions.PLANT_MANAGER, first_name="Li Wei")
    it_lead = plant_member(None, permissions.IT_LEAD, first_name="Chen Jing")
    proposals = {}
    for code, name, zone, country, subdivision in PLANTS:
        plant = calendar_services.plant_create(
            code=code,
            name=f"{name} plant",
            timezone=zone,
            country=country,
            subdivision=subdivision,
        )
        plant.members.add(manager, it_lead)
        calendar_items_add(plant)
        rollout.plants.add(plant)
    # Fresh users: each caches the plants it is a member of.
    it_lead = type(it_lead).objects.get(pk=it_lead.pk)
    manager = type(manager).objects.get(pk=manager.pk)
    for plant in Plant.objects.all():
        code = plant.code
        recommendation_set_rebuild(plant=plant, rollout=rollout)
        go_live = plant.local_today() + datetime.timedelta(days=60)
        proposal = services.proposal_create(
            user=it_lead,
            rollout=rollout,
            plant=plant,
            go_live=go_live,
            contingency_fallback="Back to the legacy MES.",
        )
        proposals[code] = services.proposal_submit(proposal=proposal, user=it_lead)
    return {
        "rollout": rollout,
        "manager": manager,
        "it_lead": it_lead,
        "proposals": proposals,
    }


def pages(world) -> list[str]:
    rollout = world["rollout"]
    urls = ["/", "/plants/", "/proposals/"]
    for code, proposal in world["proposals"].items():
        day = proposal.go_live.isoformat()
        urls += [
            f"/plants/{code}/calendar/?rollout={rollout.pk}",
            f"/plants/{code}/calendar/?rollout={rollout.pk}&day={day}",
            f"/plants/{code}/data/",
            f"/proposals/{proposal.pk}/",
            f"/proposals/{proposal.pk}/edit/",
        ]
    return urls


def visible_text(html: str) -> str:
    """The page without the addresses of its scripts and styles (versions
    like htmx-2.0.11 are not dates)."""
    return re.sub(r'(?:src|href)="[^"]*"', "", html)


def dates_on(html: str) -> list[str]:
    return [m.group(0) for m in DATE_LIKE.finditer(visible_text(html))]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_date_on_the_key_pages_follows_the_language(world, language):
    client = Client()
    client.force_login(world["it_lead"])
    client.post("/language/", {"language": language, "next": "/"})
    seen = 0
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
        html = response.content.decode()
        found = dates_on(html)
        wrong = sorted({d for d in found if not re.fullmatch(ISO, d)})
        assert not wrong, f"{url} ({language}): {wrong[:10]}"
        seen += len(found)
        text = visible_text(html)
        if language == "en":
            assert not re.search(rf"{ISO}\s*(?:{WEEKDAYS_ZH})", text), url
        else:
            assert not re.search(rf"\b(?:{WEEKDAYS_EN}) {ISO}", text), url
    assert seen > 100  # the pages do show dates: the check is not vacuous


@pytest.mark.parametrize(
    ("language", "weekday_date"),
    [
        ("en", lambda day: f"{day:%a} {day.isoformat()}"),
        (
            "zh-hans",
            lambda day: f"{day.isoformat()} {'周' + '一二三四五六日'[day.weekday()]}",
        ),
    ],
)
def test_the_go_live_reads_the_same_at_every_plant(world, language, weekday_date):
    client = Client()
    client.force_login(world["manager"])
    client.post("/language/", {"language": language, "next": "/"})
    for code, proposal in world["proposals"].items():
        html = client.get(f"/proposals/{proposal.pk}/").content.decode()
        assert weekday_date(proposal.go_live) in html, code
        cutover = proposal.phase("cutover")
        assert cutover["start"] in html, code
        # Timeline times: plant-local, 24-hour, with the zone.
        timeline = html[html.index('id="tl-h"') :]
        submitted = proposal.transitions.get(action="submit").at
        local = submitted.astimezone(proposal.plant.zone)
        assert f"{local:%Y-%m-%d %H:%M} {local:%Z}" in timeline, code

        calendar = client.get(
            f"/plants/{code}/calendar/?rollout={world['rollout'].pk}"
            f"&day={proposal.go_live.isoformat()}"
        ).content.decode()
        panel = calendar[calendar.index('id="eval-body"') :]
        assert weekday_date(proposal.go_live) in panel, code


def test_the_date_inputs_take_the_same_form(world):
    client = Client()
    client.force_login(world["it_lead"])
    proposal = world["proposals"]["MTY"]
    html = client.get(f"/proposals/{proposal.pk}/edit/").content.decode()
    field = re.search(r"<input[^>]*name=\"go_live\"[^>]*>", html).group(0)
    # Not type="date": a browser would draw it as mm/dd/yyyy or dd.mm.yyyy.
    assert 'type="text"' in field
    assert f'value="{proposal.go_live.isoformat()}"' in field
    assert 'placeholder="YYYY-MM-DD"' in field
    calendar = client.get(
        f"/plants/MTY/calendar/?rollout={world['rollout'].pk}"
    ).content.decode()
    typed = re.search(r"<input[^>]*id=\"f-day\"[^>]*>", calendar).group(0)
    assert 'type="text"' in typed and 'placeholder="YYYY-MM-DD"' in typed
