"""The REST client's journey, top to bottom, against a live server, using only
what the README and the OpenAPI schema (/api/schema/, shown at /api/docs/)
tell a client: every request is checked against the schema first, so a step
that needs an undocumented route fails here.

Staff create a plant; its plant manager keeps its calendar and imports a
production plan; its IT lead defines a rollout, reads the recommendations
(with their ETag), evaluates the best one and proposes it; the go-live runs
through the workflow with a second person's approval and go; a calendar app
reads the plant's iCalendar feed.

What a client cannot do through the API is the admin's: people and their
roles (users, groups, a plant's members) are set up in the Django admin; the
test does that part with the ORM, marked as such.
"""

import csv
import datetime
import io
import re

import icalendar
import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import permissions
from calendars.models import Plant
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_process_tasks"),
]

PLANT = "API1"


class Client:
    """requests, speaking to the live server as one user, and only along the
    routes the OpenAPI schema documents."""

    def __init__(self, base: str, operations: set, token: str | None = None):
        self.base, self.operations, self.token = base, operations, token

    def __call__(self, method: str, route: str, *, expect: int, **kwargs):
        """`route` as the schema spells it (/api/plants/{code}/), filled from
        the `path` keyword."""
        assert (method.upper(), route) in self.operations, (
            f"{method} {route} is not in the OpenAPI schema"
        )
        url = self.base + route.format(**kwargs.pop("path", {}))
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        response = requests.request(method, url, headers=headers, timeout=60, **kwargs)
        assert response.status_code == expect, (
            f"{method} {url} → {response.status_code}, not {expect}: "
            f"{response.text[:2000]}"
        )
        return response


def results(body: dict) -> list:
    """A collection's items: paged, as the README says."""
    assert set(body) == {"count", "next", "previous", "results"}, body
    return body["results"]


def the_admin_creates(username: str, role: str | None, *, staff: bool = False):
    """The Django admin's part: a person and their role."""
    user = UserFactory(username=username, is_staff=staff)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def weekly_plan(first_monday: datetime.date, weeks: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "work_centre", "load", "capacity"])
    for week in range(weeks):
        day = first_monday + datetime.timedelta(weeks=week)
        # Busy in the first weeks, quiet later.
        writer.writerow([day.isoformat(), "Assembly", 900 if week < 8 else 400, 1000])
    return out.getvalue().encode()


def test_a_rest_client_from_token_to_go_live_and_ical_feed(live_server):
    base = live_server.url
    schema = requests.get(f"{base}/api/schema/?format=json", timeout=60)
    assert schema.status_code == 200
    operations = {
        (method.upper(), path)
        for path, item in schema.json()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    anonymous = Client(base, operations)

    # The admin's part: a staff user, the plant's IT lead and plant manager.
    for role in permissions.ROLES:
        Group.objects.get_or_create(name=role)
    the_admin_creates("ops", None, staff=True)
    the_admin_creates("it.lead", permissions.IT_LEAD)
    the_admin_creates("plant.manager", permissions.PLANT_MANAGER)

    # 1. Tokens: a username and password for a token, sent as a header.
    def token_of(username: str) -> str:
        body = anonymous(
            "POST",
            "/api/auth/token/",
            json={"username": username, "password": PASSWORD, "name": "journey"},
            expect=201,
        ).json()
        assert body["scope"] == "read_write"
        return body["token"]

    ops = Client(base, operations, token_of("ops"))
    it = Client(base, operations, token_of("it.lead"))
    pm = Client(base, operations, token_of("plant.manager"))
    anonymous("GET", "/api/plants/", expect=401)

    # 2. Staff create the plant; a wrong time zone is named.
    plant_body = {
        "code": PLANT,
        "name": "API test plant",
        "timezone": "Europe/Berlin",
        "country": "DE",
        "subdivision": "BW",
    }
    refused = ops(
        "POST",
        "/api/plants/",
        json={**plant_body, "timezone": "Europe/Nowhere"},
        expect=400,
    ).json()
    assert "timezone" in refused
    created = ops("POST", "/api/plants/", json=plant_body, expect=201).json()
    assert created["code"] == PLANT and created["timezone"] == "Europe/Berlin"

    # The admin's part again: the plant's people.
    plant = Plant.objects.get(code=PLANT)
    plant.members.add(
        *get_user_model().objects.filter(username__in=["it.lead", "plant.manager"])
    )
    listed = [p["code"] for p in results(pm("GET", "/api/plants/", expect=200).json())]
    assert listed == [PLANT]
    today = datetime.date.fromisoformat(
        pm(
            "GET", "/api/plants/{code}/calendar/", path={"code": PLANT}, expect=200
        ).json()[0]["date"]
    )

    # 3. Its calendar: a peak season, a hard milestone, a monthly blackout.
    season_start = today + datetime.timedelta(days=100)
    pm(
        "POST",
        "/api/peak-seasons/",
        json={
            "plant": PLANT,
            "name": "Summer peak",
            "start": season_start.isoformat(),
            "end": (season_start + datetime.timedelta(days=40)).isoformat(),
            "severity": 4,
        },
        expect=201,
    )
    sop = today + datetime.timedelta(days=200)
    milestone = pm(
        "POST",
        "/api/milestones/",
        json={
            "plant": PLANT,
            "name": "SOP model Y",
            "kind": "sop",
            "start": sop.isoformat(),
            "end": sop.isoformat(),
            "criticality": 5,
            "freeze_before_days": 10,
            "freeze_after_days": 10,
            "hard": True,
        },
        expect=201,
    ).json()
    pm(
        "POST",
        "/api/blackouts/",
        json={
            "plant": PLANT,
            "name": "Month-end close",
            "kind": "month_end",
            "start": today.replace(day=1).isoformat(),
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=-1",
            "duration_days": 1,
        },
        expect=201,
    )
    days = pm(
        "GET",
        "/api/plants/{code}/calendar/",
        path={"code": PLANT},
        params={"start": sop.isoformat(), "end": sop.isoformat()},
        expect=200,
    ).json()
    assert days[0]["forbidden"] and "SOP model Y" in days[0]["milestones"]
    # A viewer-like mistake: the IT lead may not edit the plant's calendar.
    it(
        "DELETE",
        "/api/milestones/{id}/",
        path={"id": milestone["id"]},
        expect=403,
    )

    # 4. A production plan: a file with an error names its row and column
    # and saves nothing; the corrected file is imported.
    monday = today - datetime.timedelta(days=today.weekday())
    good = weekly_plan(monday, 26)
    bad = good.replace(b",900,", b",lots,", 1)
    errors = pm(
        "POST",
        "/api/plants/{code}/production-plans/",
        path={"code": PLANT},
        data={"granularity": "week"},
        files={"file": ("plan.csv", bad, "text/csv")},
        expect=400,
    ).json()["errors"]
    assert errors[0]["row"] == 2 and errors[0]["column"] == "load"
    plan = pm(
        "POST",
        "/api/plants/{code}/production-plans/",
        path={"code": PLANT},
        data={"granularity": "week"},
        files={"file": ("plan.csv", good, "text/csv")},
        expect=201,
    ).json()
    assert plan["row_count"] == 26
    plans = pm(
        "GET",
        "/api/plants/{code}/production-plans/",
        path={"code": PLANT},
        expect=200,
    ).json()
    assert [p["version"] for p in results(plans)] == [plan["version"]]

    # 5. The IT lead defines a rollout at the plant.
    rollout = it(
        "POST",
        "/api/rollouts/",
        json={
            "name": "MES 3.0",
            "kind": "mes",
            "plants": [PLANT],
            "training_days": 5,
            "cutover_days": 2,
            "hypercare_days": 10,
            "earliest_go_live": (today + datetime.timedelta(days=30)).isoformat(),
        },
        expect=201,
    ).json()

    # 6. Its recommendations, with an ETag: asked again unchanged → 304.
    route = "/api/plants/{code}/recommendations/"
    first = it(
        "GET",
        route,
        path={"code": PLANT},
        params={"rollout": rollout["id"]},
        expect=200,
    )
    recs = first.json()
    assert recs["up_to_date"] and recs["results"]
    etag = first.headers["ETag"]
    again = it(
        "GET",
        route,
        path={"code": PLANT},
        params={"rollout": rollout["id"]},
        headers={"If-None-Match": etag},
        expect=304,
    )
    assert again.content == b""
    best = recs["results"][0]
    assert round(best["score"], 1) == best["score"]  # served with one decimal

    # 7. The best window evaluated: the same score, feasible, its phases.
    evaluation = it(
        "POST",
        "/api/evaluations/",
        json={"plant": PLANT, "rollout": rollout["id"], "go_live": best["go_live"]},
        expect=200,
    ).json()
    assert evaluation["feasible"] and evaluation["reasons"] == []
    assert evaluation["score"] == pytest.approx(best["score"], abs=0.1)
    assert [p["name"] for p in evaluation["phases"]] == [
        "training",
        "cutover",
        "hypercare",
    ]

    # 8. A proposal through its workflow.
    proposal = it(
        "POST",
        "/api/proposals/",
        json={
            "plant": PLANT,
            "rollout": rollout["id"],
            "go_live": best["go_live"],
            "contingency_fallback": "Old MES read-only; paper travellers.",
            "contingency_triggers": "A line stopped over 2 hours.",
            "contingency_decider": "Plant manager",
            "contingency_rollback_hours": 8,
        },
        expect=201,
    ).json()
    pid = {"id": proposal["id"]}
    assert proposal["status"] == "draft" and proposal["go_live"] == best["go_live"]

    def step(client, action, expect=200, **body):
        return client(
            "POST",
            f"/api/proposals/{{id}}/{action}/",
            path=pid,
            json=body,
            expect=expect,
        ).json()

    assert step(it, "submit")["status"] == "submitted"
    # Four eyes: the proposer's role is not the manager's, and the manager
    # approves.
    step(it, "approve", expect=403)
    override = "Conflicts reviewed with the shift leads."
    approved = step(pm, "approve", comment="Agreed.", override_reason=override)
    assert approved["status"] == "approved"

    # The checklist, one item of the plant's own included, done.
    checklist = "/api/proposals/{id}/checklist/"
    pm(
        "POST",
        checklist,
        path=pid,
        json={"title": "Label printers tested", "due": best["go_live"]},
        expect=201,
    )
    items = it("GET", checklist, path=pid, expect=200).json()
    assert "Label printers tested" in [i["title"] for i in items]
    for item in items:
        body = {"done": True}
        if item["kind"] == "key_users_trained":
            body["trained_share"] = 90
        done = it(
            "PATCH",
            "/api/proposals/{id}/checklist/{item_pk}/",
            path={**pid, "item_pk": item["id"]},
            json=body,
            expect=200,
        ).json()
        assert done["done"]

    # Weeks before the cutover, the go needs a reason.
    early = step(pm, "go", expect=400)
    assert "override_reason" in early
    assert step(pm, "go", override_reason="Cutover weekend fixed.")["status"] == "go"
    assert step(it, "live")["status"] == "live"
    it(
        "POST",
        "/api/proposals/{id}/observations/",
        path=pid,
        json={
            "severity": "high",
            "area": "production",
            "description": "Line 2 stopped: work orders not released.",
            "production_affected": True,
        },
        expect=201,
    )
    paused = step(
        it, "pause", reason="Orders stuck between ERP and MES.", impact="3 hours lost."
    )
    assert paused["status"] == "paused"
    assert paused["pause"]["reason"] == "Orders stuck between ERP and MES."
    assert step(pm, "resume")["status"] == "live"
    assert step(it, "hypercare")["status"] == "hypercare"

    # 9. The iCalendar feed, as a calendar app reads it (while decided).
    feed = pm("POST", "/api/auth/feed-token/", json={"plant": PLANT}, expect=201).json()
    ics = requests.get(feed["feed_url"], timeout=60)
    assert ics.status_code == 200
    assert ics.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert any("SOP model Y" in s for s in events)
    assert any("Summer peak" in s for s in events)
    assert any("Month-end close" in s for s in events)
    go_live = [e for s, e in events.items() if "MES 3.0" in s]
    assert go_live, sorted(events)
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert any(
        e.decoded("DTSTART") <= datetime.date.fromisoformat(best["go_live"])
        for e in go_live
    )

    # 10. Closed with its review, which the reviews list shows.
    closed = step(
        it,
        "close",
        lessons_learned="Test the order interface at night-shift volume.",
        rating=4,
        actual_utilisation=0.72,
    )
    assert closed["status"] == "closed"
    review = it("GET", "/api/proposals/{id}/review/", path=pid, expect=200).json()
    assert review["rating"] == 4 and review["paused"] is True
    assert review["actual_utilisation"] == pytest.approx(0.72)
    reviews = results(it("GET", "/api/proposals/reviews/", expect=200).json())
    assert [r["proposal"] for r in reviews] == [proposal["id"]]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", reviews[0]["planned_go_live"])
