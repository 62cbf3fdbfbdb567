"""A small world for the page tests: two plants, a user per role, a rollout.

Plant A (`sz`) has a manager, an IT lead and a viewer; plant B (`stg`) has its
own manager. Pages of B are not found for A's people.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts import permissions
from calendars import services as calendar_services
from calendars.models import Blackout, Milestone, PeakSeason
from rollout.services import recommendation_set_rebuild
from tests.factories import PASSWORD, PlantFactory, UserFactory, make_rollout, user_in


def plant_member(plant, role, **extra):
    return user_in(role, [] if plant is None else [plant], **extra)


def calendar_items_add(plant):
    """A peak season, a hard SOP milestone with its freeze and a monthly
    month-end blackout, all within the plant's coming months."""
    today = plant.local_today()
    calendar_services.calendar_item_create(
        model=PeakSeason,
        plant=plant,
        name="Spring peak",
        start=today + datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=90),
        severity=4,
    )
    calendar_services.calendar_item_create(
        model=Milestone,
        plant=plant,
        name="SOP gen 3",
        kind=Milestone.Kind.START_OF_PRODUCTION,
        start=today + datetime.timedelta(days=120),
        end=today + datetime.timedelta(days=122),
        criticality=5,
        freeze_before_days=7,
        freeze_after_days=7,
        hard=True,
    )
    calendar_services.calendar_item_create(
        model=Blackout,
        plant=plant,
        name="Month-end close",
        kind=Blackout.Kind.MONTH_END,
        start=today.replace(day=1),
        rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
        duration_days=1,
    )


@pytest.fixture
def plant(db):
    plant = PlantFactory(code="sz", name="Suzhou test plant")
    calendar_items_add(plant)
    plant.refresh_from_db()
    return plant


@pytest.fixture
def other_plant(db):
    return PlantFactory(code="stg", stuttgart=True)


@pytest.fixture
def rollout(plant):
    rollout = make_rollout("MES 2.0", [plant], hypercare_days=10)
    recommendation_set_rebuild(plant=plant, rollout=rollout)
    return rollout


@pytest.fixture
def manager(plant):
    return plant_member(plant, permissions.PLANT_MANAGER, first_name="Li Wei")


@pytest.fixture
def it_lead(plant):
    return plant_member(plant, permissions.IT_LEAD, first_name="Chen Jing")


@pytest.fixture
def viewer(plant):
    return plant_member(plant, permissions.VIEWER)


@pytest.fixture
def other_manager(other_plant):
    return plant_member(other_plant, permissions.PLANT_MANAGER)


@pytest.fixture
def superuser(db):
    return UserFactory(superuser=True)


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- the browser: Playwright for Python on Debian's chromium -------------------

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts"

# Chromium logs a CSP violation to the console ("Refused to … because it
# violates the following Content Security Policy directive …"); the listener
# also reports the ones that are only events (report-only policies, blocked
# style attributes), each with where it happened.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} `
    + `blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API keeps an event loop in the test thread, where the
    # tests (and the database flush after each) also use the ORM. Allowed only
    # while a browser module runs: set process-wide it would leak into other
    # tests' subprocesses, and `check --deploy` rejects it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            yield browser
            browser.close()


@pytest.fixture
def demo(db):
    """The demo company of `make run` (seed_demo)."""
    from accounts import permissions

    # A transactional test's flush also empties what migrations created.
    for role in permissions.ROLES:
        Group.objects.get_or_create(name=role)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations the test's pages reported."""
    return []


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """new_page(): a page in a browser context of its own (its own cookies,
    so two users can work side by side). After the test, every page must have
    passed the Content-Security-Policy: any violation fails the test."""
    contexts, violations = [], csp_violations

    def open_page(locale="en"):
        context = browser.new_context(
            viewport={"width": 1366, "height": 900},
            base_url=live_server.url,
            locale=locale,
        )
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()

        def on_console(message, page=page):
            if "Content Security Policy" in message.text:
                violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(
        violations
    )


@pytest.fixture
def page(new_page):
    return new_page()


def shot(page, name: str) -> None:
    """A full-page screenshot to tests/artifacts/<name>.png (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = "offpeak-demo") -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("h1:has-text('Dashboard'), h1:has-text('仪表板')")


__all__ = ["PASSWORD"]
