"""Re-plan on change: a plant's recommendations rebuilt at a new revision make
its programs' plans stale and plan them again; an approved go-live stays
pinned where it is, and the plants that moved are kept for the owner."""

import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.permissions import IT_LEAD
from calendars import services as calendar_services
from calendars.models import Blackout
from proposals.models import GoLiveProposal
from rollout.models import Rollout
from rollout.models_programs import Program
from rollout.program_selectors import program_plan, program_plan_status
from rollout.program_services import (
    PrecedenceInput,
    TeamInput,
    program_plan_run,
    program_save,
    programs_mark_stale,
    stale_program_ids,
)
from rollout.services import recommendation_set_rebuild
from tests.factories import PlantFactory, UserFactory, make_rollout

pytestmark = pytest.mark.usefixtures("in_process_tasks")


@pytest.fixture(autouse=True)
def _short(settings):
    settings.OFFPEAK_HORIZON_DAYS = 240
    settings.OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS = 5


@pytest.fixture
def world(db):
    sz = PlantFactory(code="sz")
    stg = PlantFactory(code="stg", stuttgart=True)
    rollout = make_rollout("ERP", [sz, stg], kind=Rollout.Kind.ERP)
    owner = UserFactory(username="owner")
    owner.groups.add(Group.objects.get(name=IT_LEAD))
    sz.members.add(owner)
    stg.members.add(owner)
    program = program_save(
        program=Program(name="Waves", rollout=rollout, owner=owner),
        plants=[sz, stg],
        teams=[TeamInput(name="A", capacity=1)],
        precedences=[PrecedenceInput(sz, stg, 0)],
        user=owner,
    )
    for plant in (sz, stg):
        recommendation_set_rebuild(plant=plant, rollout=rollout)
    return program, sz, stg


def _rows(program: Program) -> dict[str, dict]:
    program.refresh_from_db()
    return {a["plant"]: a for a in program_plan(program)["assignments"]}


def test_a_rebuild_at_a_new_revision_replans_and_keeps_the_pinned_plant(
    world, django_capture_on_commit_callbacks
):
    program, sz, stg = world
    assert program_plan_run(program_id=program.pk, force=True).planned
    before = _rows(program)
    # STG's go-live is approved: from now on it is given, not chosen.
    GoLiveProposal.objects.create(
        rollout=program.rollout,
        plant=stg,
        go_live=datetime.date.fromisoformat(before["stg"]["go_live"]),
        phases=before["stg"]["phases"],
        status=GoLiveProposal.Status.APPROVED,
    )
    # A hard blackout over SZ's whole window: SZ must move.
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.calendar_item_create(
            model=Blackout,
            plant=sz,
            name="Customer audit",
            kind=Blackout.Kind.AUDIT,
            start=datetime.date.fromisoformat(before["sz"]["window_start"]),
            end=datetime.date.fromisoformat(before["sz"]["window_end"]),
            hard=True,
        )
    program.refresh_from_db()
    assert program_plan_status(program) in ("optimal", "feasible")
    sz.refresh_from_db()
    assert program.basis["plants"]["sz"] == sz.calendar_revision
    after = _rows(program)
    assert after["stg"]["go_live"] == before["stg"]["go_live"]
    assert after["stg"]["pinned"] is True
    assert after["sz"]["go_live"] != before["sz"]["go_live"]
    # SZ still goes first, and its new window misses the blackout.
    assert after["sz"]["go_live"] <= after["stg"]["go_live"]
    clear = after["sz"]["window_end"] < before["sz"]["window_start"] or (
        after["sz"]["window_start"] > before["sz"]["window_end"]
    )
    assert clear, after["sz"]
    assert program.moved == [
        {
            "plant": "sz",
            "from": before["sz"]["go_live"],
            "to": after["sz"]["go_live"],
            "cost_delta": pytest.approx(
                after["sz"]["cost"] - before["sz"]["cost"], abs=0.01
            ),
        }
    ]


def test_a_rebuild_at_the_same_revision_leaves_the_plan_alone(world):
    program, sz, _stg = world
    program_plan_run(program_id=program.pk, force=True)
    sz.refresh_from_db()
    assert programs_mark_stale(plant=sz) == []
    program.refresh_from_db()
    assert not program.stale


def test_a_never_planned_program_is_not_planned_by_a_rebuild(world):
    program, sz, _stg = world
    sz.calendar_revision += 1
    assert programs_mark_stale(plant=sz) == []


def test_a_stale_program_planned_a_moment_ago_is_planned_later(world):
    program, sz, _stg = world
    program_plan_run(program_id=program.pk, force=True)
    Program.objects.filter(pk=program.pk).update(stale=True)
    outcome = program_plan_run(
        program_id=program.pk, spacing=datetime.timedelta(seconds=60)
    )
    assert not outcome.planned and outcome.retry_at is not None
    assert program_plan_run(program_id=program.pk).planned
    program.refresh_from_db()
    assert not program.stale
    # Current now: another run does nothing.
    assert not program_plan_run(program_id=program.pk).planned


def test_the_sweep_requeues_a_replan_that_was_lost_but_not_an_owners_edit(world):
    program, sz, _stg = world
    program_plan_run(program_id=program.pk, force=True)
    program_save(program=program, user=None)  # an edit: stale, waits for the owner
    assert stale_program_ids() == []
    sz.calendar_revision += 1  # a rebuild at a new revision, whose plan is lost
    assert programs_mark_stale(plant=sz) == [program.pk]
    assert stale_program_ids() == [program.pk]
    program.refresh_from_db()
    assert program_plan_status(program) == "running"
