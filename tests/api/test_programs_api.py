"""Programs through the API: create with teams and precedences, plan (202,
in-process here), read the plan, what-ifs that save nothing, the clash
explained when there is no plan, daily scores, and who may do what."""

import datetime

import pytest

from accounts.permissions import IT_LEAD, PLANT_MANAGER, VIEWER
from calendars import services
from rollout.models_programs import Program
from tests.api.conftest import make_rollout
from tests.factories import user_in

pytestmark = pytest.mark.usefixtures("in_process_tasks")


@pytest.fixture(autouse=True)
def _quick_planner(settings):
    settings.OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS = 5


@pytest.fixture
def third_plant(db):
    return services.plant_create(
        code="mty", name="Monterrey", timezone="America/Monterrey", country="MX"
    )


@pytest.fixture
def plants(plant, other_plant, third_plant):
    return [plant, other_plant, third_plant]


@pytest.fixture
def erp(plants):
    return make_rollout("ERP", plants, kind="erp")


@pytest.fixture
def lead(plants):
    """IT lead of all three plants."""
    return user_in(IT_LEAD, plants, username="program_lead")


def _body(erp, **changes):
    body = {
        "name": "ERP waves",
        "rollout": erp.pk,
        "plants": ["sz", "stg", "mty"],
        "teams": [{"name": "A", "capacity": 1}],
        "busy_from": "training",
        "precedences": [
            {"before": "sz", "after": "stg", "min_gap_days": 0},
            {"before": "sz", "after": "mty", "min_gap_days": 0},
        ],
        "min_gap_days": 0,
    }
    body.update(changes)
    return body


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def created(api, lead, erp):
    response = api(lead).post("/api/programs/", _body(erp), format="json")
    assert response.status_code == 201, response.data
    return response.data


@pytest.fixture
def plan_now(django_capture_on_commit_callbacks):
    """plan_now(client, program id): POST …/plan/ and run the queued task (in
    process, as without Redis) as the commit would; the plan read back."""

    def plan(client, program_id):
        url = f"/api/programs/{program_id}/plan/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 202, response.data
        return client.get(url).data

    return plan


@pytest.fixture
def planned(api, lead, created, plan_now):
    return plan_now(api(lead), created["id"])


def test_an_it_lead_of_every_plant_creates_a_program_with_its_teams(created, lead):
    assert created["plants"] == ["mty", "stg", "sz"]
    assert created["teams"] == [
        {"name": "A", "capacity": 1, "plants": [], "unavailable": []}
    ]
    assert {(p["before"], p["after"]) for p in created["precedences"]} == {
        ("sz", "stg"),
        ("sz", "mty"),
    }
    assert created["status"] == "stale"  # not planned yet
    assert Program.objects.get(pk=created["id"]).owner == lead


def test_the_plan_keeps_one_team_busy_with_one_plant_at_a_time(planned):
    assert planned["status"] in ("optimal", "feasible")
    rows = {a["plant"]: a for a in planned["assignments"]}
    assert set(rows) == {"sz", "stg", "mty"}
    spans = sorted(
        (_day(a["window_start"]), _day(a["window_end"])) for a in rows.values()
    )
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end < start, f"windows overlap: {spans}"
    # SZ is the pilot.
    assert _day(rows["sz"]["go_live"]) <= _day(rows["stg"]["go_live"])
    assert _day(rows["sz"]["go_live"]) <= _day(rows["mty"]["go_live"])
    for a in rows.values():
        assert a["team"] == "A"
        assert a["cost"] >= a["best_cost"]
        assert [p["name"] for p in a["phases"]] == ["training", "cutover", "hypercare"]
        assert 0 <= a["score"] <= 100
        assert a["pinned"] is False
    assert planned["objective"] == pytest.approx(
        sum(a["cost"] for a in rows.values()), abs=0.01
    )
    assert planned["bound"] <= planned["objective"] + 1e-6
    assert planned["solve_seconds"] >= 0


def test_a_change_makes_the_plan_stale_until_planned_again(
    api, lead, planned, created, plan_now
):
    client = api(lead)
    url = f"/api/programs/{created['id']}/"
    response = client.patch(url, {"min_gap_days": 7}, format="json")
    assert response.status_code == 200, response.data
    stale = client.get(url + "plan/").data
    assert stale["status"] == "stale"
    assert stale["assignments"] == planned["assignments"]  # kept until re-planned
    assert plan_now(client, created["id"])["status"] in ("optimal", "feasible")


def test_a_plan_asked_for_is_running_until_the_task_has_run(api, lead, created):
    client = api(lead)
    response = client.post(f"/api/programs/{created['id']}/plan/")
    assert response.status_code == 202
    # The task is queued after commit, which this test's transaction never does.
    assert response.data["status"] == "running"


def test_an_impossible_program_says_which_rules_clash(api, lead, erp, plants, plan_now):
    today = plants[0].local_today()
    erp.earliest_go_live = today + datetime.timedelta(days=60)
    erp.latest_go_live = today + datetime.timedelta(days=75)
    erp.save()
    client = api(lead)
    program = client.post("/api/programs/", _body(erp), format="json").data
    plan = plan_now(client, program["id"])
    assert plan["status"] == "infeasible"
    assert plan["assignments"] == []
    kinds = {c["kind"] for c in plan["conflicts"]}
    assert "capacity" in kinds, plan["conflicts"]
    capacity = next(c for c in plan["conflicts"] if c["kind"] == "capacity")
    assert capacity["message"].startswith("team A cannot carry ")
    assert "at most 1 plant at once" in capacity["message"]


def test_a_what_if_slip_moves_the_plant_and_saves_nothing(api, lead, planned, created):
    client = api(lead)
    sz = next(a for a in planned["assignments"] if a["plant"] == "sz")
    response = client.post(
        f"/api/programs/{created['id']}/what-if/",
        {"slip": [{"plant": "sz", "days": 21}]},
        format="json",
    )
    assert response.status_code == 200, response.data
    result = response.data
    moved = {c["plant"]: c for c in result["changes"]}
    expected = _day(sz["go_live"]) + datetime.timedelta(days=21)
    assert moved["sz"]["from"] == sz["go_live"]
    assert moved["sz"]["to"] == expected.isoformat()
    new_sz = next(a for a in result["assignments"] if a["plant"] == "sz")
    assert moved["sz"]["cost_delta"] == pytest.approx(
        new_sz["cost"] - sz["cost"], abs=0.01
    )
    # Saved nothing: the stored plan is as before.
    again = client.get(f"/api/programs/{created['id']}/plan/").data
    assert again["assignments"] == planned["assignments"]


def test_a_what_if_team_absence_moves_the_plants_it_would_carry(
    api, lead, planned, created
):
    client = api(lead)
    first = min(planned["assignments"], key=lambda a: a["window_start"])
    response = client.post(
        f"/api/programs/{created['id']}/what-if/",
        {
            "team_unavailable": [
                {
                    "team": "A",
                    "start": first["window_start"],
                    "end": first["window_end"],
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    for a in response.data["assignments"]:
        clear = a["window_end"] < first["window_start"] or (
            a["window_start"] > first["window_end"]
        )
        assert clear, f"{a['plant']} is carried while team A is away"
    assert first["plant"] in {c["plant"] for c in response.data["changes"]}


def test_a_what_if_pin_and_bad_input_name_the_field(api, lead, planned, created):
    client = api(lead)
    url = f"/api/programs/{created['id']}/what-if/"
    day = _day(
        next(a for a in planned["assignments"] if a["plant"] == "mty")["go_live"]
    )
    day += datetime.timedelta(days=35)
    response = client.post(
        url, {"pin": [{"plant": "mty", "go_live": day.isoformat()}]}, format="json"
    )
    assert response.status_code == 200, response.data
    mty = next(a for a in response.data["assignments"] if a["plant"] == "mty")
    assert mty["go_live"] == day.isoformat() and mty["pinned"]
    bad = client.post(url, {"slip": [{"plant": "nowhere", "days": 3}]}, format="json")
    assert bad.status_code == 400 and "slip" in bad.data
    bad = client.post(
        url,
        {
            "team_unavailable": [
                {"team": "Z", "start": "2027-01-01", "end": "2027-01-05"}
            ]
        },
        format="json",
    )
    assert bad.status_code == 400 and "team_unavailable" in bad.data
    assert client.post(url, {}, format="json").status_code == 400


def test_bad_program_input_names_the_field_and_saves_nothing(api, lead, erp, plants):
    client = api(lead)
    cases = {
        "teams": _body(erp, teams=[]),
        "precedences": _body(
            erp, precedences=[{"before": "sz", "after": "sz", "min_gap_days": 0}]
        ),
        "min_gap_days": _body(erp, min_gap_days=-1),
    }
    for field, body in cases.items():
        response = client.post("/api/programs/", body, format="json")
        assert response.status_code == 400, (field, response.data)
        assert field in response.data, (field, response.data)
    capacity = _body(erp, teams=[{"name": "A", "capacity": 0}])
    response = client.post("/api/programs/", capacity, format="json")
    assert response.status_code == 400 and "teams" in response.data
    outside = make_rollout("Only SZ", [plants[0]])
    response = client.post(
        "/api/programs/", _body(outside, precedences=[]), format="json"
    )
    assert response.status_code == 400 and "plants" in response.data
    assert not Program.objects.exists()


def test_who_may_see_and_change_a_program(
    api, created, plants, other_it_lead, it_lead, viewer
):
    url = f"/api/programs/{created['id']}/"
    # IT lead of STG only: SZ and MTY are not theirs to see.
    outsider = api(other_it_lead)
    assert outsider.get("/api/programs/").data["results"] == []
    assert outsider.get(url).status_code == 404
    assert outsider.post(url + "plan/").status_code == 404
    # A viewer of all three plants sees it, may ask what-ifs, may not change it.
    reader = user_in(VIEWER, plants, username="reader")
    client = api(reader)
    assert [p["id"] for p in client.get("/api/programs/").data["results"]] == [
        created["id"]
    ]
    assert client.patch(url, {"name": "x"}, format="json").status_code == 403
    assert client.post(url + "plan/").status_code == 403
    assert client.delete(url).status_code == 403
    # A plant manager of all three neither: planning is the IT leads'.
    manager = user_in(PLANT_MANAGER, plants, username="all_plants_manager")
    assert api(manager).patch(url, {"name": "x"}, format="json").status_code == 403
    # The IT lead of SZ alone does not see a program spanning STG and MTY.
    assert api(it_lead).patch(url, {"name": "x"}, format="json").status_code == 404
    assert Program.objects.get(pk=created["id"]).name == "ERP waves"


def test_the_owner_deletes_a_program(api, lead, created):
    assert api(lead).delete(f"/api/programs/{created['id']}/").status_code == 204
    assert not Program.objects.exists()


def test_daily_scores_of_a_plant(api, viewer, plant, rollout):
    today = plant.local_today()
    end = today + datetime.timedelta(days=30)
    response = api(viewer).get(
        f"/api/plants/{plant.code}/scores/",
        {"rollout": rollout.pk, "start": today.isoformat(), "end": end.isoformat()},
    )
    assert response.status_code == 200, response.data
    rows = response.data
    assert len(rows) == 31
    assert rows[0]["date"] == today.isoformat() and rows[-1]["date"] == end.isoformat()
    feasible = [r for r in rows if r["feasible"]]
    assert feasible, "some day of the next month should be feasible"
    for r in feasible:
        assert r["reasons"] == [] and 0 <= r["score"] <= 100
        assert r["window_start"] < r["date"] < r["window_end"]
    # Today's training would start in the past: infeasible, with its reason.
    assert not rows[0]["feasible"] and rows[0]["reasons"]


def test_daily_scores_are_bounded_and_private(
    api, viewer, other_it_lead, plant, rollout
):
    today = plant.local_today()
    url = f"/api/plants/{plant.code}/scores/"
    client = api(viewer)
    far = today + datetime.timedelta(days=400)
    response = client.get(url, {"rollout": rollout.pk, "end": far.isoformat()})
    assert response.status_code == 400 and "end" in response.data
    past = today - datetime.timedelta(days=1)
    response = client.get(url, {"rollout": rollout.pk, "start": past.isoformat()})
    assert response.status_code == 400 and "start" in response.data
    assert client.get(url).status_code == 400  # no rollout
    assert api(other_it_lead).get(url, {"rollout": rollout.pk}).status_code == 404


def test_a_what_if_adds_a_plant_of_the_rollout(api, lead, erp, plan_now):
    client = api(lead)
    body = _body(erp, plants=["sz", "stg"], precedences=[])
    program = client.post("/api/programs/", body, format="json").data
    plan_now(client, program["id"])
    response = client.post(
        f"/api/programs/{program['id']}/what-if/",
        {"add_plants": ["mty"]},
        format="json",
    )
    assert response.status_code == 200, response.data
    added = next(c for c in response.data["changes"] if c["plant"] == "mty")
    assert added["from"] is None and added["to"]
    assert {a["plant"] for a in response.data["assignments"]} == {"sz", "stg", "mty"}
    assert Program.objects.get(pk=program["id"]).plants.count() == 2
