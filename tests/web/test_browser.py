"""End to end in Debian's chromium: an IT lead picks a quiet day on the window
calendar and proposes it; the plant manager approves it from the dashboard;
the language switch shows the Chinese interface. Screenshots go to
tests/artifacts/ (git-ignored). No page may violate the
Content-Security-Policy."""

import re

import pytest

from tests.web.conftest import shot, sign_in

sync_api = pytest.importorskip("playwright.sync_api")

# The browser, the live server, the demo company and the Content-Security-Policy
# check of every page come from tests/web/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lead_proposes_a_quiet_day_and_the_manager_approves_it(demo, page):
    expect = sync_api.expect
    sign_in(page, "chen.it")
    page.goto("/plants/SZ/calendar/?months=24")
    expect(page.locator("#heatmap .d")).to_have_count(
        page.locator("#heatmap .d").count()
    )
    # A quiet, feasible day on which a period close falls: it has conflicts.
    cell = page.locator(
        "#heatmap .d[data-ok]:is(.q3,.q4,.q5)[aria-label*='period close']"
    ).first
    day = cell.get_attribute("data-d")
    cell.click()
    expect(page.locator(f"#eval-body[data-day='{day}']")).to_be_visible()
    conflicts = page.locator("#evaluation table.conflicts tbody tr")
    expect(conflicts.first).to_contain_text("period close")
    expect(page.locator("#evaluation")).to_contain_text("Contingency")
    # The phases are drawn on the calendar.
    assert page.locator("#heatmap .d.ph-cutover").count() >= 1
    assert page.locator("#heatmap .d.ph-hypercare").count() >= 1
    shot(page, "calendar")

    page.get_by_role("link", name="Propose this date").click()
    expect(page.get_by_label("Go-live date")).to_have_value(day)
    expect(page.locator("#live-eval #eval-body")).to_be_visible()
    page.get_by_label("Fallback system or procedure").fill(
        "Keep the old MES running in parallel for two shifts."
    )
    page.get_by_label("Who decides a rollback").fill("Li Wei")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".summary-line .status")).to_have_text("submitted")
    expect(page.locator("body")).to_contain_text("Readiness checklist")
    shot(page, "proposal")
    proposal_url = page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "li.wei")
    path = "/" + proposal_url.split("/", 3)[3]
    action = page.locator(".action-list li", has=page.locator(f"a[href='{path}']"))
    expect(action).to_contain_text("To decide")
    shot(page, "dashboard")
    action.get_by_role("link").click()
    assert page.url == proposal_url
    override = page.get_by_label("Why approve despite the conflicts")
    if override.count():
        override.fill("The period close is covered by finance; cutover is IT only.")
    page.locator("button[data-action='approve']").click()
    expect(page.locator(".summary-line .status")).to_have_text("approved")
    shot(page, "proposal-approved")

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".main-nav")).to_contain_text("仪表板")
    expect(page.locator(".summary-line .status")).to_have_text("已批准")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("仪表板")
    shot(page, "dashboard-zh")


def test_the_calendar_works_with_the_keyboard(demo, page):
    expect = sync_api.expect
    sign_in(page, "li.wei")
    page.goto("/plants/SZ/calendar/")
    active = page.locator("#heatmap .d[tabindex='0']")
    active.focus()
    start = page.evaluate("document.activeElement.dataset.d")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("document.activeElement.dataset.d")
    assert moved > start and moved[:7] != start[:7]  # next day, then next month
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert re.search(r"\d{4}-\d{2}-\d{2}", label)
    assert "feasible" in label or "in the past" in label
    expect(page.locator("#daytip")).to_be_visible()
    # Move to a day that can go live and open it with Enter.
    for _ in range(60):
        if page.evaluate("document.activeElement.dataset.ok") == "1":
            break
        page.keyboard.press("ArrowRight")
    chosen = page.evaluate("document.activeElement.dataset.d")
    page.keyboard.press("Enter")
    expect(page.locator(f"#eval-body[data-day='{chosen}']")).to_be_visible()
    expect(page.locator("#announce")).to_contain_text("quietness")
    assert page.evaluate("document.activeElement.dataset.d") == chosen


def test_the_csp_check_catches_an_inline_script(demo, page, csp_violations):
    """The guard every browser test relies on: an inline script (what an
    injected one looks like) is refused by the policy and reported."""
    sign_in(page, "li.wei")
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "document.body.dataset.injected = 'ran'";
            document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.dataset.injected") is None  # it did not run
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen, and expected: the test passes
