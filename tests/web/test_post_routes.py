"""A happy path for every page route that takes a POST: an allowed user sends
valid data, and the test asserts the saved change and what the page then
shows (the message, or the changed row where the page shows no message).

The POST routes come from the URL conf (every route of the "web" namespace
whose view takes a POST), so a new page form fails
test_every_web_post_route_has_a_case until it gets its case in CASES; every
workflow step (one route, web:proposal_act) needs its case in STEPS too.
"""

import datetime
import inspect
from collections.abc import Callable

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLResolver, get_resolver, reverse

from accounts.models import UserPreference
from calendars import services as calendar_services
from calendars.kinds import ITEM_KINDS
from calendars.models import Milestone, PeakSeason, ProductionPlan
from calendars.web.views import UPLOAD_SESSION_KEY
from proposals import services, workflow
from proposals.models import GoLiveProposal, Observation, ReadinessItem
from proposals.revalidation import plant_proposals_revalidate
from rollout.calendar_arrays import plant_calendar_load
from rollout.models import RecommendationSet, Rollout, ScoringProfile
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_tasks")]

Status = GoLiveProposal.Status


# --- the routes -------------------------------------------------------------------


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = entry.namespace or namespace
            yield from _walk(entry.url_patterns, space)
        elif namespace == "web" and entry.name:
            yield f"web:{entry.name}", entry.callback


def takes_post(view) -> bool:
    """Whether a view answers POST: a class-based view with post(), or a
    function view whose source (decorators included) handles POST."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return "POST" in inspect.getsource(inspect.unwrap(view))


def web_post_routes() -> set[str]:
    return {
        name for name, view in _walk(get_resolver().url_patterns) if takes_post(view)
    }


# --- the world: SZ's people and proposals in every status --------------------------


class World:
    def __init__(self, *, client, plant, rollout, it_lead, manager):
        self.client, self.plant, self.rollout = client, plant, rollout
        self.it_lead, self.manager = it_lead, manager
        self.day = (
            RecommendationSet.objects.get(plant=plant, rollout=rollout)
            .windows.first()
            .go_live
        )

    def as_user(self, user):
        self.client.force_login(user)
        return self.client

    def post(self, user, url, data=None, **kwargs):
        """POST as `user`; follow the redirect; the final page's HTML."""
        response = self.as_user(user).post(url, data or {}, follow=True, **kwargs)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def proposal(self, status: str = Status.DRAFT) -> GoLiveProposal:
        """A proposal of the IT lead, brought to `status` through the services."""
        proposal = services.proposal_create(
            user=self.it_lead,
            rollout=self.rollout,
            plant=self.plant,
            go_live=self.day,
            contingency_fallback="Old MES read-only; paper travellers.",
        )
        lead, manager = self.it_lead, self.manager
        path = {
            Status.DRAFT: [],
            Status.SUBMITTED: ["submit"],
            Status.APPROVED: ["submit", "approve"],
            Status.GO: ["submit", "approve", "checklist", "go"],
            Status.LIVE: ["submit", "approve", "checklist", "go", "live"],
            Status.HYPERCARE: [
                *("submit", "approve", "checklist", "go", "live", "hypercare")
            ],
            Status.PAUSED: ["submit", "approve", "checklist", "go", "live", "pause"],
        }[status]
        for step in path:
            if step == "checklist":
                for item in proposal.checklist.all():
                    services.readiness_item_update(
                        item=item, user=lead, done=True, trained_share=90.0
                    )
                continue
            actor = (
                manager
                if lead.pk == proposal.proposer_id
                and step
                in (
                    "approve",
                    "go",
                )
                else lead
            )
            inputs = {
                "approve": {"override_reason": "Reviewed with the shift leads."},
                "go": {"override_reason": "Cutover weekend fixed early."},
                "pause": {"reason": "Orders stuck.", "impact": "Line 2 stopped."},
            }.get(step, {})
            proposal = workflow.service(step)(proposal=proposal, user=actor, **inputs)
        proposal.refresh_from_db()
        assert proposal.status == status
        return proposal


@pytest.fixture
def world(client, plant, rollout, it_lead, manager):
    return World(
        client=client, plant=plant, rollout=rollout, it_lead=it_lead, manager=manager
    )


def proposal_url(proposal, name="web:proposal", **kwargs):
    return reverse(name, kwargs={"pk": proposal.pk, **kwargs})


# --- the cases: route name → case(world) -------------------------------------------

CASES: dict[str, Callable[[World], None]] = {}
STEPS: dict[str, Callable[[World], None]] = {}  # web:proposal_act, per step


def case(name: str):
    def register(function):
        CASES[name] = function
        return function

    return register


def step(action: str):
    def register(function):
        STEPS[action] = function
        return function

    return register


@case("web:login")
def _login(w):
    response = w.client.post(
        reverse("web:login"),
        {"username": w.it_lead.username, "password": PASSWORD},
        follow=True,
    )
    assert int(w.client.session[SESSION_KEY]) == w.it_lead.pk
    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    assert w.it_lead.first_name in response.content.decode()  # "Chen Jing"


@case("web:logout")
def _logout(w):
    html = w.post(w.it_lead, reverse("web:logout"))
    assert SESSION_KEY not in w.client.session
    assert 'name="password"' in html  # back on the sign-in page
    assert w.client.get(reverse("web:dashboard")).status_code == 302


@case("web:language")
def _language(w):
    html = w.post(
        w.manager, reverse("web:language"), {"language": "zh-hans", "next": "/"}
    )
    assert UserPreference.objects.get(user=w.manager).language == "zh-hans"
    assert "仪表板" in html


@case("web:item_create")
def _item_create(w):
    start = w.plant.local_today() + datetime.timedelta(days=200)
    html = w.post(
        w.manager,
        reverse("web:item_create", kwargs={"code": w.plant.code, "kind": "seasons"}),
        {
            "name": "Autumn peak",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=20)).isoformat(),
            "severity": 3,
        },
    )
    season = PeakSeason.objects.get(plant=w.plant, name="Autumn peak")
    assert season.start == start and season.severity == 3
    assert "Saved Autumn peak." in html


@case("web:suggested_season_accept")
def _suggested_season_accept(w):
    page = w.as_user(w.manager).get(
        reverse("web:calendar_data", kwargs={"code": w.plant.code})
    )
    suggestion = page.context["suggestions"][0]  # a CN plant: Spring Festival
    html = w.post(
        w.manager,
        reverse("web:suggested_season_accept", kwargs={"code": w.plant.code}),
        {"suggestion": suggestion["key"]},
    )
    season = PeakSeason.objects.get(plant=w.plant, anchor__gt="")
    assert "Added " + season.name in html
    after = w.as_user(w.manager).get(
        reverse("web:calendar_data", kwargs={"code": w.plant.code})
    )
    assert suggestion["key"] not in [s["key"] for s in after.context["suggestions"]]


@case("web:item_edit")
def _item_edit(w):
    season = PeakSeason.objects.get(plant=w.plant, name="Spring peak")
    html = w.post(
        w.manager,
        reverse(
            "web:item_edit",
            kwargs={"code": w.plant.code, "kind": "seasons", "pk": season.pk},
        ),
        {
            "name": "Spring peak (extended)",
            "start": season.start.isoformat(),
            "end": (season.end + datetime.timedelta(days=10)).isoformat(),
            "severity": 5,
        },
    )
    season.refresh_from_db()
    assert season.name == "Spring peak (extended)" and season.severity == 5
    assert "Saved Spring peak (extended)." in html


@case("web:item_delete")
def _item_delete(w):
    milestone = Milestone.objects.get(plant=w.plant, name="SOP gen 3")
    html = w.post(
        w.manager,
        reverse(
            "web:item_delete",
            kwargs={"code": w.plant.code, "kind": "milestones", "pk": milestone.pk},
        ),
    )
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert "Deleted SOP gen 3." in html


def weekly_plan(plant, weeks=8) -> SimpleUploadedFile:
    monday = plant.local_today() - datetime.timedelta(
        days=plant.local_today().weekday()
    )
    rows = ["date,work_centre,load,capacity"]
    rows += [
        f"{monday + datetime.timedelta(weeks=w)},Assembly,800,1000"
        for w in range(weeks)
    ]
    return SimpleUploadedFile("plan.csv", "\n".join(rows).encode(), "text/csv")


@case("web:plan_preview")
def _plan_preview(w):
    html = w.post(
        w.manager,
        reverse("web:plan_preview", kwargs={"code": w.plant.code}),
        {"file": weekly_plan(w.plant), "granularity": "week"},
    )
    assert "Preview of plan.csv" in html and "8 rows" in html
    assert "Nothing is saved until you import it." in html
    assert not ProductionPlan.objects.filter(plant=w.plant).exists()


@case("web:plan_import")
def _plan_import(w):
    _plan_preview(w)
    token = w.client.session[UPLOAD_SESSION_KEY]["token"]
    html = w.post(
        w.manager,
        reverse("web:plan_import", kwargs={"code": w.plant.code}),
        {"token": token},
    )
    plan = ProductionPlan.objects.get(plant=w.plant)
    assert plan.row_count == 8 and plan.active and plan.source_name == "plan.csv"
    assert f"Imported plan v{plan.version} for {w.plant.code}: 8 rows" in html


@case("web:plan_toggle")
def _plan_toggle(w):
    _plan_import(w)
    plan = ProductionPlan.objects.get(plant=w.plant)
    url = reverse("web:plan_toggle", kwargs={"code": w.plant.code, "pk": plan.pk})
    html = w.post(w.manager, url)
    plan.refresh_from_db()
    assert not plan.active
    row = html[html.index(f"v{plan.version}</th>") :].split("</tr>")[0]
    assert "Activate" in row or "inactive" in row.lower(), row
    w.post(w.manager, url)
    plan.refresh_from_db()
    assert plan.active


def ics_file(plant) -> SimpleUploadedFile:
    """An .ics with one all-day event: the plant's summer shutdown."""
    start = plant.local_today() + datetime.timedelta(days=150)
    end = start + datetime.timedelta(days=7)  # DTEND is exclusive
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//post routes//EN",
            "BEGIN:VEVENT",
            "UID:shutdown-1@example.com",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            "SUMMARY:Summer shutdown",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    return SimpleUploadedFile("shutdown.ics", text.encode(), "text/calendar")


@case("web:calendar_import")
def _calendar_import(w):
    html = w.post(
        w.manager,
        reverse("web:calendar_import", kwargs={"code": w.plant.code}),
        {"file": ics_file(w.plant), "kind": "closure"},
    )
    assert "Preview of shutdown.ics" in html and "Summer shutdown" in html
    assert "Nothing is saved until you import it." in html
    assert (
        not ITEM_KINDS["closure"]
        .model.objects.filter(plant=w.plant, name="Summer shutdown")
        .exists()
    )


@case("web:calendar_import_confirm")
def _calendar_import_confirm(w):
    from calendars.web.calendar_import import SESSION_KEY as ICS_SESSION_KEY

    _calendar_import(w)
    token = w.client.session[ICS_SESSION_KEY]["token"]
    html = w.post(
        w.manager,
        reverse("web:calendar_import_confirm", kwargs={"code": w.plant.code}),
        {"token": token},
    )
    closure = ITEM_KINDS["closure"].model.objects.get(
        plant=w.plant, name="Summer shutdown"
    )
    assert closure.start == w.plant.local_today() + datetime.timedelta(days=150)
    assert (closure.end - closure.start).days == 6
    assert "Imported 1 " in html and "from shutdown.ics" in html


@case("web:rollout_create")
def _rollout_create(w):
    html = w.post(
        w.it_lead,
        reverse("web:rollout_create"),
        {
            "name": "WMS 3",
            "kind": "wms",
            "plants": [w.plant.pk],
            "training_days": 4,
            "cutover_days": 2,
            "hypercare_days": 8,
            "profile": w.rollout.profile_id,
            "active": "on",
        },
    )
    rollout = Rollout.objects.get(name="WMS 3")
    assert list(rollout.plants.all()) == [w.plant] and rollout.hypercare_days == 8
    assert "Saved WMS 3. Its recommendations are being recalculated." in html


@case("web:rollout_edit")
def _rollout_edit(w):
    r = w.rollout
    html = w.post(
        w.it_lead,
        reverse("web:rollout_edit", kwargs={"pk": r.pk}),
        {
            "name": r.name,
            "kind": r.kind,
            "plants": [w.plant.pk],
            "training_days": r.training_days,
            "cutover_days": r.cutover_days,
            "hypercare_days": 12,
            "profile": r.profile_id,
            "active": "on",
        },
    )
    r.refresh_from_db()
    assert r.hypercare_days == 12
    assert f"Saved {r.name}. Its recommendations are being recalculated." in html


@case("web:profile_edit")
def _profile_edit(w):
    profile = w.rollout.profile
    data = {
        name: field.value()
        for name, field in _bound(profile).items()
        if field.value() is not None
    }
    data["cutover_load"] = 7.5
    html = w.post(
        w.it_lead, reverse("web:profile_edit", kwargs={"pk": profile.pk}), data
    )
    profile.refresh_from_db()
    assert profile.cutover_load == 7.5
    assert f"Saved the weights of {profile.name}." in html


def _bound(profile: ScoringProfile) -> dict:
    from rollout.web.forms import ScoringProfileForm

    form = ScoringProfileForm(instance=profile)
    return {name: form[name] for name in form.fields}


CONTINGENCY = {
    "contingency_fallback": "Old MES read-only; paper travellers.",
    "contingency_triggers": "A line stopped over 2 hours.",
    "contingency_decider": "Plant manager",
    "contingency_rollback_hours": 8,
}


@case("web:proposal_create")
def _proposal_create(w):
    html = w.post(
        w.it_lead,
        reverse("web:proposal_create"),
        {
            "plant": w.plant.pk,
            "rollout": w.rollout.pk,
            "go_live": w.day.isoformat(),
            **CONTINGENCY,
            "submit": "1",
        },
    )
    proposal = GoLiveProposal.objects.get()
    assert proposal.status == Status.SUBMITTED and proposal.go_live == w.day
    assert proposal.contingency_rollback_hours == 8
    assert "Proposal submitted; the plant managers have been notified." in html


@case("web:proposal_edit")
def _proposal_edit(w):
    proposal = w.proposal(Status.DRAFT)
    later = w.day + datetime.timedelta(days=7)
    html = w.post(
        w.it_lead,
        proposal_url(proposal, "web:proposal_edit"),
        {**CONTINGENCY, "go_live": later.isoformat(), "contingency_decider": "Li Wei"},
    )
    proposal.refresh_from_db()
    assert proposal.go_live == later and proposal.contingency_decider == "Li Wei"
    assert "Draft saved." in html


@case("web:checklist_add")
def _checklist_add(w):
    proposal = w.proposal(Status.SUBMITTED)
    due = w.day - datetime.timedelta(days=5)
    html = w.post(
        w.manager,
        proposal_url(proposal, "web:checklist_add"),
        {
            "title": "Label printers tested",
            "due": due.isoformat(),
            "owner": w.it_lead.pk,
        },
    )
    item = proposal.checklist.get(title="Label printers tested")
    assert item.due == due and item.owner == w.it_lead
    assert "Label printers tested" in html.split('id="checklist"')[1]


@case("web:checklist_update")
def _checklist_update(w):
    proposal = w.proposal(Status.APPROVED)
    item = proposal.checklist.get(kind=ReadinessItem.Kind.KEY_USERS_TRAINED)
    html = w.post(
        w.it_lead,
        proposal_url(proposal, "web:checklist_update", item_pk=item.pk),
        {"done": "on", "trained_share": "85"},
    )
    item.refresh_from_db()
    assert item.done and item.trained_share == 85 and item.done_by == w.it_lead
    assert f"{item.title} (85%)" in html


@case("web:observation_add")
def _observation_add(w):
    proposal = w.proposal(Status.LIVE)
    html = w.post(
        w.it_lead,
        proposal_url(proposal, "web:observation_add"),
        {
            "severity": "high",
            "area": "production",
            "description": "Line 2 stopped for 3 hours.",
            "production_affected": "on",
        },
    )
    observation = Observation.objects.get(proposal=proposal)
    assert observation.production_affected and observation.recorded_by == w.it_lead
    assert "Observation recorded." in html
    assert "consider pausing this go-live" in html


@case("web:review_edit")
def _review_edit(w):
    proposal = w.proposal(Status.HYPERCARE)
    services.proposal_close(
        proposal=proposal, user=w.it_lead, lessons_learned="First draft.", rating=3
    )
    html = w.post(
        w.manager,
        proposal_url(proposal, "web:review_edit"),
        {
            "lessons_learned": "Test the interfaces at night-shift volume.",
            "rating": "4",
            "actual_utilisation": "72",
        },
    )
    review = proposal.review
    review.refresh_from_db()
    assert review.rating == 4 and review.actual_utilisation == pytest.approx(0.72)
    assert "Review saved." in html
    assert "Test the interfaces at night-shift volume." in html


def planned_program(w):
    """A program of the rollout at the plant, planned once."""
    from rollout.models_programs import Program
    from rollout.program_services import TeamInput, program_plan_run, program_save

    program = program_save(
        program=Program(name="MES wave", rollout=w.rollout, owner=w.it_lead),
        plants=[w.plant],
        teams=[TeamInput(name="Blue", capacity=1)],
        precedences=[],
        user=w.it_lead,
    )
    program_plan_run(program_id=program.pk, force=True)
    program.refresh_from_db()
    return program


@case("web:program_plan")
def _program_plan(w):
    from rollout.models_programs import Program

    program = planned_program(w)
    Program.objects.filter(pk=program.pk).update(stale=True, plan={}, planned_at=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        html = w.post(w.it_lead, reverse("web:program_plan", kwargs={"pk": program.pk}))
    assert "Planned." in html or "Planning has started" in html
    from rollout.program_selectors import program_plan_status

    program.refresh_from_db()
    assert program_plan_status(program) in ("optimal", "feasible")
    assert [a["plant"] for a in program.plan["assignments"]] == [w.plant.code]


@case("web:program_what_if")
def _program_what_if(w):
    program = planned_program(w)
    before = program.plan["assignments"][0]["go_live"]
    html = w.post(
        w.it_lead,
        reverse("web:program_what_if", kwargs={"pk": program.pk}),
        {"slip_plant": w.plant.code, "slip_days": "28"},
    )
    changes = html[html.index('id="what-if-changes"') :]
    slipped = datetime.date.fromisoformat(before) + datetime.timedelta(days=28)
    assert before in changes and slipped.isoformat() in changes
    program.refresh_from_db()
    assert program.plan["assignments"][0]["go_live"] == before  # nothing saved


@case("web:program_propose_all")
def _program_propose_all(w):
    program = planned_program(w)
    go_live = program.plan["assignments"][0]["go_live"]
    html = w.post(
        w.it_lead, reverse("web:program_propose_all", kwargs={"pk": program.pk})
    )
    draft = GoLiveProposal.objects.get(status=Status.DRAFT)
    assert draft.go_live.isoformat() == go_live and draft.proposer == w.it_lead
    assert f"Created 1 draft proposal: {w.plant.code.upper()}." in html


# --- the workflow steps, all through web:proposal_act ------------------------------


def act(w, user, proposal, action, **inputs) -> str:
    data = {f"{action}-{name}": value for name, value in inputs.items()}
    return w.post(user, proposal_url(proposal, "web:proposal_act", action=action), data)


def done(w, proposal, html, action, status):
    proposal.refresh_from_db()
    assert proposal.status == status
    assert f"Done: {workflow.STEPS[action].done}." in html
    assert proposal.transitions.filter(action=action, actor__isnull=False).exists()


@step("submit")
def _submit(w):
    proposal = w.proposal(Status.DRAFT)
    html = act(w, w.it_lead, proposal, "submit", comment="Ready.")
    done(w, proposal, html, "submit", Status.SUBMITTED)
    assert proposal.evaluation


@step("withdraw")
def _withdraw(w):
    proposal = w.proposal(Status.SUBMITTED)
    html = act(w, w.it_lead, proposal, "withdraw", comment="Superseded.")
    done(w, proposal, html, "withdraw", Status.WITHDRAWN)


@step("approve")
def _approve(w):
    proposal = w.proposal(Status.SUBMITTED)
    html = act(
        w, w.manager, proposal, "approve", override_reason="Covered by the leads."
    )
    done(w, proposal, html, "approve", Status.APPROVED)
    assert proposal.decided_by == w.manager


@step("reject")
def _reject(w):
    proposal = w.proposal(Status.SUBMITTED)
    html = act(w, w.manager, proposal, "reject", comment="Too close to the SOP.")
    done(w, proposal, html, "reject", Status.REJECTED)
    assert "Too close to the SOP." in html


@step("go")
def _go(w):
    proposal = w.proposal(Status.APPROVED)
    for item in proposal.checklist.all():
        services.readiness_item_update(
            item=item, user=w.it_lead, done=True, trained_share=90.0
        )
    html = act(w, w.manager, proposal, "go", override_reason="Weekend fixed early.")
    done(w, proposal, html, "go", Status.GO)
    assert "Weekend fixed early." in html


@step("live")
def _live(w):
    proposal = w.proposal(Status.GO)
    html = act(w, w.it_lead, proposal, "live")
    done(w, proposal, html, "live", Status.LIVE)


@step("hypercare")
def _hypercare(w):
    proposal = w.proposal(Status.LIVE)
    html = act(w, w.it_lead, proposal, "hypercare")
    done(w, proposal, html, "hypercare", Status.HYPERCARE)


@step("pause")
def _pause(w):
    proposal = w.proposal(Status.LIVE)
    html = act(
        w, w.it_lead, proposal, "pause", reason="Orders stuck.", impact="3 h lost."
    )
    done(w, proposal, html, "pause", Status.PAUSED)
    assert "Orders stuck." in html and "3 h lost." in html  # on the timeline


@step("resume")
def _resume(w):
    proposal = w.proposal(Status.PAUSED)
    html = act(w, w.manager, proposal, "resume")
    done(w, proposal, html, "resume", Status.LIVE)


@step("reschedule")
def _reschedule(w):
    proposal = w.proposal(Status.PAUSED)
    later = w.day + datetime.timedelta(days=14)
    html = act(w, w.it_lead, proposal, "reschedule", go_live=later.isoformat())
    done(w, proposal, html, "reschedule", Status.SUBMITTED)
    assert proposal.go_live == later


@step("rollback")
def _rollback(w):
    proposal = w.proposal(Status.LIVE)
    html = act(w, w.manager, proposal, "rollback", reason="Shipping blocked.")
    done(w, proposal, html, "rollback", Status.ROLLED_BACK)
    assert "Shipping blocked." in html


@step("close")
def _close(w):
    proposal = w.proposal(Status.HYPERCARE)
    html = act(
        w,
        w.it_lead,
        proposal,
        "close",
        lessons_learned="Brief the night shift.",
        rating="4",
        actual_utilisation="72",
    )
    done(w, proposal, html, "close", Status.CLOSED)
    assert proposal.review.rating == 4
    assert proposal.review.actual_utilisation == pytest.approx(0.72)
    assert "Brief the night shift." in html


@step("acknowledge")
def _acknowledge(w):
    proposal = w.proposal(Status.APPROVED)
    # A hard milestone lands on the approved go-live: re-validation flags it.
    calendar_services.calendar_item_create(
        model=Milestone,
        plant=w.plant,
        name="Customer audit",
        kind=Milestone.Kind.AUDIT,
        start=proposal.go_live,
        end=proposal.go_live,
        criticality=5,
    )
    plant_proposals_revalidate(
        plant=w.plant, calendar=plant_calendar_load(plant=w.plant)
    )
    proposal.refresh_from_db()
    assert proposal.flagged
    html = act(w, w.it_lead, proposal, "acknowledge", comment="Audit moved.")
    proposal.refresh_from_db()
    assert not proposal.flagged and proposal.status == Status.APPROVED
    assert f"Done: {workflow.STEPS['acknowledge'].done}." in html


@case("web:proposal_act")
def _proposal_act(w):
    """Covered step by step: test_each_workflow_step_from_the_page."""


# --- the tests ----------------------------------------------------------------------


def test_every_web_post_route_has_a_case():
    missing = sorted(web_post_routes() - set(CASES))
    assert not missing, f"POST routes without a happy-path case in CASES: {missing}"


def test_every_case_names_a_post_route():
    assert not set(CASES) - web_post_routes()


def test_every_workflow_step_has_a_case():
    assert set(STEPS) == set(workflow.STEPS)


def test_the_route_finder_sees_get_only_pages_as_such():
    routes = web_post_routes()
    assert "web:proposal_act" in routes and "web:plan_toggle" in routes
    assert "web:dashboard" not in routes and "web:calendar" not in routes


@pytest.mark.parametrize("name", sorted(set(CASES) - {"web:proposal_act"}))
def test_each_post_route_happy_path(name, world):
    CASES[name](world)


@pytest.mark.parametrize("action", sorted(STEPS))
def test_each_workflow_step_from_the_page(action, world):
    STEPS[action](world)
