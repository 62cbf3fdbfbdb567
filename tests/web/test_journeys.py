"""The journeys of the demo company in a real browser (Debian's chromium),
as its people walk them: the IT lead follows a recommended window from the
dashboard, proposes it, the plant manager approves, the checklist is worked
through, the go-live runs, is paused on an observation and resumed, and is
closed with a review; a production plan is uploaded, wrong first. The key
pages again in Chinese. Screenshots of each step go to tests/artifacts/
(git-ignored); no page may violate the Content-Security-Policy (conftest)."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.templatetags.offpeak import format_plant_date, roundscore
from calendars.models import Plant, ProductionPlan
from proposals.models import GoLiveProposal, ReadinessItem
from rollout.evaluation import go_live_evaluate
from rollout.models import Rollout
from tests.web.conftest import shot, sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_process_tasks"),
]

FALLBACK = "Run the old MES read-only; paper travellers on lines 1-4 for two shifts."
NEW_ITEM = "Label printers tested on line 3"
OBSERVATION = "Line 2 stopped for 3 hours: work orders not released to the MES."
PAUSE_REASON = "Work orders stuck between ERP and MES on line 2."
PAUSE_IMPACT = "Line 2 lost 3 hours of output on the night shift."
LESSONS = "Test the ERP-to-MES order interface with real night-shift volumes."


def zh(english: str) -> str:
    """The Chinese of an interface string; it must have one."""
    with translation.override("zh-hans"):
        text = gettext(english)
    assert text != english, f"{english!r} has no Chinese translation"
    return text


def messages(page):
    return page.locator(".messages")


def act(page, action: str, **inputs) -> None:
    """Take a workflow step from the proposal page's "What you can do" box,
    filling its inputs by their labels."""
    form = page.locator(f"form.action-form:has(button[data-action='{action}'])")
    details = form.locator("details")
    if details.count() and details.get_attribute("open") is None:
        form.locator("summary").click()
    for label, value in inputs.items():
        field = form.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator(f"button[data-action='{action}']").click()
    page.wait_for_load_state()


def status_is(page, status: str) -> None:
    expect(page.locator(".summary-line .status")).to_have_text(status)


def test_a_go_live_from_the_dashboard_to_its_review(demo, new_page):
    plant = Plant.objects.get(code="SZ")
    rollout = Rollout.objects.get(name="MES 2.0")
    it = new_page()
    sign_in(it, "chen.it")

    # 1. The dashboard's best window of MES 2.0 at Suzhou, a link with ?day=.
    card = it.locator("section.plant-card", has=it.locator("h2#plant-SZ"))
    block = card.locator(".rollout-block", has=it.locator("h3", has_text="MES 2.0"))
    link = block.locator("ol.windows li a").first
    href = link.get_attribute("href")
    query = parse_qs(urlsplit(href).query)
    assert query["rollout"] == [str(rollout.pk)]
    day = datetime.date.fromisoformat(query["day"][0])
    shot(it, "journey-01-dashboard")
    link.click()

    # 2. The window calendar opens on that day's evaluation: its date, score
    # and phases as the engine has them, and the day marked on the grid.
    evaluation = go_live_evaluate(plant=plant, rollout=rollout, go_live=day).as_dict()
    with translation.override("en"):
        day_text = format_plant_date(day, plant, weekday=True)
        phases = [
            (p["name"], format_plant_date(p["start"], plant), p["end"])
            for p in evaluation["phases"]
        ]
    panel = it.locator("#evaluation")
    expect(panel.locator("#eval-title")).to_have_text(day_text)
    expect(panel.locator(".bigscore")).to_have_text(roundscore(evaluation["score"]))
    expect(panel.locator(".feas")).to_contain_text(
        "Feasible" if evaluation["feasible"] else "Not feasible"
    )
    assert len(phases) == 3
    for name, start_text, end in phases:
        row = panel.locator(f"ol.phases li.ph-{name}")
        expect(row).to_contain_text(start_text)
        with translation.override("en"):
            expect(row).to_contain_text(format_plant_date(end, plant))
    expect(it.locator(f"#heatmap .d.focus[data-d='{day.isoformat()}']")).to_have_count(
        1
    )
    shot(it, "journey-02-calendar-day")

    # 3. The IT lead proposes it, with a contingency plan.
    panel.get_by_role("link", name="Propose this date").click()
    expect(it.get_by_label("Go-live date")).to_have_value(day.isoformat())
    it.get_by_label("Fallback system or procedure").fill(FALLBACK)
    it.get_by_label("Rollback trigger criteria").fill("A line stopped over 2 hours.")
    it.get_by_label("Who decides a rollback").fill("Li Wei")
    it.get_by_label("Rollback duration (hours)").fill("8")
    it.get_by_role("button", name="Submit for approval").click()
    status_is(it, "submitted")
    expect(messages(it)).to_contain_text("Proposal submitted")
    expect(it.locator(".facts")).to_contain_text(FALLBACK)
    proposal_path = urlsplit(it.url).path
    proposal = GoLiveProposal.objects.get(
        pk=int(re.search(r"/proposals/(\d+)/", proposal_path)[1])
    )
    assert proposal.go_live == day and proposal.contingency_fallback == FALLBACK
    shot(it, "journey-03-submitted")

    # The proposal's "Show on the window calendar" opens the same evaluation.
    it.get_by_role("link", name="Show on the window calendar").click()
    expect(it.locator("#eval-title")).to_have_text(day_text)
    it.goto(proposal_path)

    # 4. The plant manager, another person, approves it.
    pm = new_page()
    sign_in(pm, "li.wei")
    pm.goto(proposal_path)
    override = pm.get_by_label("Why approve despite the conflicts")
    inputs = {"Comment": "Lines briefed."}
    if override.count():
        inputs["Why approve despite the conflicts"] = "Covered by the shift leads."
    act(pm, "approve", **inputs)
    status_is(pm, "approved")
    expect(messages(pm)).to_contain_text("Done: Approved.")

    # 5. The checklist, with an item of the plant's own, is worked through.
    checklist = pm.locator("#checklist")
    checklist.get_by_label("New checklist item").fill(NEW_ITEM)
    due = day - datetime.timedelta(days=7)
    checklist.get_by_label("Due").fill(due.isoformat())
    checklist.get_by_role("button", name="Add item").click()
    added = checklist.locator("li", has_text=NEW_ITEM)
    expect(added).to_contain_text(format_plant_date(due, plant))
    assert proposal.checklist.filter(title=NEW_ITEM, due=due).exists()
    shot(pm, "journey-04-checklist")
    for _ in range(30):
        open_item = checklist.locator(
            "li", has=pm.get_by_role("button", name=re.compile("^Mark done"))
        ).first
        if not open_item.count():
            break
        title = open_item.locator("form + span").inner_text()
        share = open_item.locator("input[name='trained_share']")
        if share.count():
            share.fill("90")
        open_item.get_by_role("button", name=re.compile("^Mark done")).click()
        expect(
            checklist.locator("li", has_text=title).get_by_role(
                "button", name=re.compile("Done")
            )
        ).to_have_count(1)
    total = proposal.checklist.count()
    expect(checklist.locator(".badge").first).to_have_text(f"{total} of {total} done")
    assert not proposal.checklist.filter(done_at__isnull=True).exists()
    assert ReadinessItem.objects.get(
        proposal=proposal, title=NEW_ITEM
    ).done_by.username == ("li.wei")

    # 6. The go (weeks before the cutover: with the reason why), then live.
    inputs = {}
    if pm.get_by_label("Why give the go before its window").count():
        inputs["Why give the go before its window"] = "Cutover weekend fixed early."
    act(pm, "go", **inputs)
    status_is(pm, "go")
    it.reload()
    act(it, "live")
    status_is(it, "live")
    shot(it, "journey-05-live")

    # 7. An observation that suggests a pause.
    observations = it.locator("#observations")
    observations.get_by_label("Severity").select_option("high")
    observations.get_by_label("Area").select_option("production")
    observations.get_by_label("What was observed").fill(OBSERVATION)
    observations.get_by_label("Production is affected").check()
    observations.get_by_role("button", name="Record observation").click()
    expect(messages(it)).to_contain_text("Observation recorded.")
    expect(it.locator("#observations table")).to_contain_text(OBSERVATION)
    expect(it.get_by_role("alert")).to_contain_text("consider pausing")
    shot(it, "journey-06-observation")

    # 8. Pause with its reason and impact, shown on the timeline.
    act(
        it,
        "pause",
        Reason=PAUSE_REASON,
        **{"Impact observed on production": PAUSE_IMPACT},
    )
    status_is(it, "paused")
    timeline = it.locator("ol.timeline")
    paused = timeline.locator("li", has_text="Paused")
    expect(paused).to_contain_text(f"Reason: {PAUSE_REASON}")
    expect(paused).to_contain_text(f"Impact observed on production: {PAUSE_IMPACT}")
    shot(it, "journey-07-paused")

    # 9. The plant manager resumes; the IT lead starts hypercare and closes.
    pm.reload()
    act(pm, "resume")
    status_is(pm, "live")
    it.reload()
    act(it, "hypercare")
    status_is(it, "in hypercare")
    act(
        it,
        "close",
        **{
            "Lessons learned": LESSONS,
            "Rating (1 = poor, 5 = excellent)": "4",
            "Actual utilisation during hypercare (%)": "72",
        },
    )
    status_is(it, "closed")
    review = it.locator("#review")
    expect(review).to_contain_text(LESSONS)
    expect(review).to_contain_text("4/5")
    expect(review).to_contain_text(PAUSE_REASON)
    expect(review).to_contain_text("actual utilisation 72%")
    shot(it, "journey-08-closed")

    # 10. The review is listed.
    it.goto("/reviews/")
    listed = it.locator("section.card", has=it.locator(f"a[href='{proposal_path}']"))
    expect(listed).to_contain_text("MES 2.0")
    expect(listed).to_contain_text(LESSONS)
    expect(listed).to_contain_text(PAUSE_REASON)
    shot(it, "journey-09-reviews")

    # 11. The key pages again in Chinese, the IT lead's language preference.
    it.get_by_role("button", name="简体中文").click()
    expect(it.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(it.locator("h1")).to_have_text(zh("Go-live reviews"))
    expect(it.locator("section.card", has=it.locator(f"a[href='{proposal_path}']")))
    shot(it, "journey-10-reviews-zh")
    it.goto("/")
    expect(it.locator("h1")).to_have_text(zh("Dashboard"))
    shot(it, "journey-11-dashboard-zh")
    it.goto(href)
    expect(it.locator("#evaluation .eyebrow")).to_have_text(zh("Go-live on"))
    expect(it.locator("#evaluation")).to_contain_text(zh("Phases"))
    expect(it.locator("#evaluation .bigscore")).to_have_text(
        roundscore(evaluation["score"])
    )
    shot(it, "journey-12-calendar-zh")
    it.goto(proposal_path)
    status_is(it, zh("closed"))
    expect(it.locator("#checklist h2")).to_have_text(zh("Readiness checklist"))
    paused = it.locator("ol.timeline li", has_text=zh("Paused"))
    expect(paused).to_contain_text(f"{zh('Reason')}: {PAUSE_REASON}")
    expect(it.locator("#review")).to_contain_text(zh("Lessons learned"))
    shot(it, "journey-13-proposal-zh")


def _weekly_plan(plant, *, bad: bool) -> bytes:
    monday = plant.local_today() - datetime.timedelta(
        days=plant.local_today().weekday()
    )
    rows = ["date,work_centre,load,capacity"]
    for week in range(12):
        rows.append(f"{monday + datetime.timedelta(weeks=week)},Assembly,800,1000")
    if bad:
        rows[3] = f"{monday + datetime.timedelta(weeks=2)},Assembly,lots,1000"
    return "\n".join(rows).encode()


def test_a_plan_upload_with_an_error_then_a_good_one(demo, new_page):
    plant = Plant.objects.get(code="SZ")
    pm = new_page()
    sign_in(pm, "li.wei")
    pm.goto("/plants/SZ/plan/")
    before = ProductionPlan.objects.filter(plant=plant).count()

    upload = pm.locator("form[enctype='multipart/form-data']")
    upload.get_by_label("Plan file").set_input_files(
        {
            "name": "plan-v2.csv",
            "mimeType": "text/csv",
            "buffer": _weekly_plan(plant, bad=True),
        }
    )
    upload.get_by_label("Each row is").select_option("week")
    upload.get_by_role("button", name="Preview").click()
    problems = pm.locator(".import-errors tbody tr")
    expect(problems).to_have_count(1)
    cells = problems.first.locator("td")
    expect(cells.nth(0)).to_have_text("4")  # the header is row 1
    expect(cells.nth(1)).to_have_text("load")
    expect(cells.nth(2)).not_to_be_empty()
    expect(
        pm.locator(".field-clearablefile .errors, .has-error .errors")
    ).to_contain_text("nothing was imported")
    assert ProductionPlan.objects.filter(plant=plant).count() == before
    shot(pm, "journey-20-plan-error")

    upload = pm.locator("form[enctype='multipart/form-data']")
    upload.get_by_label("Plan file").set_input_files(
        {
            "name": "plan-v2.csv",
            "mimeType": "text/csv",
            "buffer": _weekly_plan(plant, bad=False),
        }
    )
    upload.get_by_label("Each row is").select_option("week")
    upload.get_by_role("button", name="Preview").click()
    expect(pm.locator(".preview")).to_contain_text("12 rows")
    shot(pm, "journey-21-plan-preview")
    pm.get_by_role("button", name="Import this plan").click()
    plan = ProductionPlan.objects.filter(plant=plant).order_by("-version").first()
    assert plan.source_name == "plan-v2.csv" and plan.row_count == 12
    expect(messages(pm)).to_contain_text(f"Imported plan v{plan.version} for SZ")
    expect(pm.locator("table.data tbody tr").first).to_contain_text("plan-v2.csv")
    shot(pm, "journey-22-plan-imported")

    # The plan page in Chinese, with the same upload error.
    pm.get_by_role("button", name="简体中文").click()
    expect(pm.locator("h1")).to_have_text(
        zh("Production plan of %(name)s") % {"name": plant.name}
    )
    upload = pm.locator("form[enctype='multipart/form-data']")
    upload.get_by_label(zh("Plan file")).set_input_files(
        {
            "name": "plan-v3.csv",
            "mimeType": "text/csv",
            "buffer": _weekly_plan(plant, bad=True),
        }
    )
    upload.get_by_role("button", name=zh("Preview")).click()
    expect(pm.locator(".import-errors h3")).to_have_text(zh("Problems in the file"))
    expect(pm.locator(".import-errors tbody tr td").nth(0)).to_have_text("4")
    shot(pm, "journey-23-plan-error-zh")
