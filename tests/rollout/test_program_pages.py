"""The program pages: the list, the Gantt chart with a row per plant and its
peak season shaded behind, "plan now", a what-if shown without being saved,
"propose all" creating drafts, and who may do what."""

import datetime
import re

import pytest
from django.test import Client

from accounts.permissions import IT_LEAD, PLANT_MANAGER
from calendars import services as calendar_services
from calendars.models import PeakSeason
from proposals.models import GoLiveProposal
from rollout.models import Rollout
from rollout.models_programs import Program
from rollout.program_services import (
    PrecedenceInput,
    TeamInput,
    program_plan_run,
    program_save,
)
from tests.factories import PlantFactory, make_rollout, user_in

pytestmark = pytest.mark.usefixtures("in_process_tasks")


@pytest.fixture(autouse=True)
def _short(settings):
    settings.OFFPEAK_HORIZON_DAYS = 240
    settings.OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS = 5


@pytest.fixture
def world(db):
    sz = PlantFactory(code="sz", name="Suzhou")
    stg = PlantFactory(code="stg", stuttgart=True)
    today = sz.local_today()
    calendar_services.calendar_item_create(
        model=PeakSeason,
        plant=sz,
        name="Summer peak",
        start=today + datetime.timedelta(days=20),
        end=today + datetime.timedelta(days=200),
        severity=5,
    )
    rollout = make_rollout("ERP", [sz, stg], kind=Rollout.Kind.ERP)
    lead = user_in(IT_LEAD, [sz, stg], username="lead")
    program = program_save(
        program=Program(name="ERP waves", rollout=rollout, owner=lead),
        plants=[sz, stg],
        teams=[TeamInput(name="Blue", capacity=1)],
        precedences=[PrecedenceInput(sz, stg, 0)],
        user=lead,
    )
    program_plan_run(program_id=program.pk, force=True)
    program.refresh_from_db()
    return program, lead, sz, stg


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def test_the_list_links_the_programs_of_the_plants_you_see(world):
    program, lead, sz, _stg = world
    page = _client(lead).get("/programs/")
    assert page.status_code == 200
    assert f'href="/programs/{program.pk}/"' in _text(page)
    # A manager of SZ alone does not see a program spanning STG.
    outsider = user_in(PLANT_MANAGER, [sz], username="sz_manager")
    page = _client(outsider).get("/programs/")
    assert "ERP waves" not in _text(page)
    assert _client(outsider).get(f"/programs/{program.pk}/").status_code == 404


def test_the_page_draws_a_row_per_plant_with_its_phases_and_peak(world):
    program, lead, _sz, _stg = world
    page = _client(lead).get(f"/programs/{program.pk}/")
    assert page.status_code == 200
    html = _text(page)
    assert 'data-plant="SZ"' in html and 'data-plant="STG"' in html
    for phase in ("training", "cutover", "hypercare"):
        assert f'class="bar-{phase}"' in html
    assert "Summer peak" in html  # shaded behind SZ's row
    assert "Team Blue" in html
    for a in program.plan["assignments"]:
        assert a["go_live"] in html
    assert "Team load" in html


def test_plan_now_plans_and_shows_the_status(world, django_capture_on_commit_callbacks):
    program, lead, _sz, _stg = world
    Program.objects.filter(pk=program.pk).update(stale=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(lead).post(f"/programs/{program.pk}/plan/")
    assert response.status_code == 302
    page = _client(lead).get(f"/programs/{program.pk}/")
    assert re.search(r'id="plan-status">(optimal|feasible)', _text(page))


def test_a_what_if_shows_the_changed_plan_and_saves_nothing(world):
    program, lead, _sz, _stg = world
    before = {a["plant"]: a["go_live"] for a in program.plan["assignments"]}
    slipped = datetime.date.fromisoformat(before["sz"]) + datetime.timedelta(days=28)
    response = _client(lead).post(
        f"/programs/{program.pk}/what-if/", {"slip_plant": "sz", "slip_days": "28"}
    )
    assert response.status_code == 200
    html = _text(response)
    table = html[html.index('id="what-if-changes"') :]
    row = re.search(
        r"<th scope=\"row\">SZ</th><td>([\d-]+)</td><td>([\d-]+)</td>", table
    )
    assert row and row.groups() == (before["sz"], slipped.isoformat())
    program.refresh_from_db()
    assert {a["plant"]: a["go_live"] for a in program.plan["assignments"]} == before


def test_a_what_if_without_a_change_is_refused_with_a_message(world):
    program, lead, _sz, _stg = world
    response = _client(lead).post(f"/programs/{program.pk}/what-if/", {})
    assert response.status_code == 400
    assert "Choose at least one change." in _text(response)


def test_propose_all_creates_a_draft_for_every_unpinned_plant(world):
    program, lead, sz, stg = world
    rows = {a["plant"]: a for a in program.plan["assignments"]}
    response = _client(lead).post(f"/programs/{program.pk}/propose-all/")
    assert response.status_code == 302
    drafts = GoLiveProposal.objects.filter(status=GoLiveProposal.Status.DRAFT)
    assert {(p.plant.code, p.go_live.isoformat()) for p in drafts} == {
        ("sz", rows["sz"]["go_live"]),
        ("stg", rows["stg"]["go_live"]),
    }
    assert all(p.proposer == lead for p in drafts)
    # Again: every plant has a proposal now, nothing more is created.
    _client(lead).post(f"/programs/{program.pk}/propose-all/")
    assert drafts.count() == 2


def test_propose_all_skips_a_pinned_plant(world):
    program, lead, sz, stg = world
    rows = {a["plant"]: a for a in program.plan["assignments"]}
    GoLiveProposal.objects.create(
        rollout=program.rollout,
        plant=stg,
        go_live=datetime.date.fromisoformat(rows["stg"]["go_live"]),
        status=GoLiveProposal.Status.APPROVED,
    )
    program_plan_run(program_id=program.pk, force=True)
    _client(lead).post(f"/programs/{program.pk}/propose-all/")
    drafts = GoLiveProposal.objects.filter(status=GoLiveProposal.Status.DRAFT)
    assert [p.plant.code for p in drafts] == ["sz"]


def test_a_plant_manager_may_look_but_not_plan_nor_propose(world):
    program, _lead, sz, stg = world
    manager = user_in(PLANT_MANAGER, [sz, stg], username="manager")
    client = _client(manager)
    page = client.get(f"/programs/{program.pk}/")
    assert page.status_code == 200 and "Plan now" not in _text(page)
    assert client.post(f"/programs/{program.pk}/plan/").status_code == 403
    assert client.post(f"/programs/{program.pk}/propose-all/").status_code == 403
    assert not GoLiveProposal.objects.exists()
