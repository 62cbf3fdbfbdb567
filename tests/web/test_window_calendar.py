"""The window calendar: one cell per day coloured by quietness, marks for
what is on it, and a day's evaluation."""

import datetime
import re

import pytest

from accounts.templatetags.offpeak import format_plant_date

pytestmark = pytest.mark.django_db

CELL = re.compile(
    r'<div role="gridcell" tabindex="-1" class="d ([^"]*)" data-d="([^"]+)"'
)


def cells(html):
    return CELL.findall(html)


def test_it_shows_one_cell_per_day_for_twelve_or_twenty_four_months(
    login, viewer, rollout
):
    client = login(viewer)
    for months in (12, 24):
        html = client.get(f"/plants/sz/calendar/?months={months}").content.decode()
        days = [d for _css, d in cells(html)]
        first = datetime.date.fromisoformat(days[0])
        last = datetime.date.fromisoformat(days[-1])
        assert first.day == 1
        assert (last.year * 12 + last.month) - (first.year * 12 + first.month) == (
            months - 1
        )
        assert len(days) == (last - first).days + 1


def test_each_day_tells_its_quietness_and_feasibility(login, viewer, rollout, plant):
    html = login(viewer).get("/plants/sz/calendar/").content.decode()
    labels = re.findall(
        r'class="d ([^"]*)" data-d="[^"]+" (?:data-ok="1" )?'
        r'aria-label="([^"]+)"',
        html,
    )
    today = plant.local_today()
    first = next(lbl for _c, lbl in labels if format_plant_date(today, plant) in lbl)
    assert "today" in first
    assert "not feasible: phases outside the horizon" in first  # no training time
    quiet = next(lbl for css, lbl in labels if css.split()[0].startswith("q"))
    assert re.search(r"quietness \d+ of 100 — feasible", quiet)
    month_end = next(lbl for _c, lbl in labels if "blackout: Month-end close" in lbl)
    assert month_end


def test_hard_milestone_days_are_marked_infeasible(login, viewer, rollout, plant):
    html = login(viewer).get("/plants/sz/calendar/").content.decode()
    sop = (plant.local_today() + datetime.timedelta(days=121)).isoformat()
    css = dict((d, c) for c, d in cells(html))[sop]
    assert "nf" in css.split()
    assert "SOP gen 3" in html  # its band carries its name
    assert "not feasible" in html


def test_bands_and_a_legend_are_drawn(login, viewer, rollout):
    html = login(viewer).get("/plants/sz/calendar/").content.decode()
    assert 'class="band l-season season s4"' in html
    assert "l-milestone milestone hard" in html
    assert "l-milestone buffer hard" in html
    assert "l-blackout blackout" in html
    assert "Legend" in html


def test_recommendations_are_listed_beside_the_calendar(login, viewer, rollout):
    html = login(viewer).get("/plants/sz/calendar/").content.decode()
    assert "Recommended windows" in html
    assert 'class="rec-item" data-day=' in html
    assert "Up to date" in html


def test_a_day_opens_its_evaluation(login, it_lead, rollout, plant):
    day = plant.local_today() + datetime.timedelta(days=40)
    html = (
        login(it_lead)
        .get(f"/plants/sz/calendar/evaluate/?rollout={rollout.id}&date={day}")
        .content.decode()
    )
    for part in ("Phases", "Conflicts", "Nearby alternatives", "Contingency"):
        assert part in html
    assert 'id="eval-phases"' in html
    assert "Propose this date" in html


def test_only_it_leads_get_the_propose_button(login, viewer, rollout, plant):
    day = plant.local_today() + datetime.timedelta(days=40)
    html = (
        login(viewer)
        .get(f"/plants/sz/calendar/evaluate/?rollout={rollout.id}&date={day}")
        .content.decode()
    )
    assert "Phases" in html
    assert "Propose this date" not in html


def test_a_chosen_day_is_evaluated_without_javascript(login, viewer, rollout, plant):
    # The links of the dashboard, the proposal page and the "type a date" form
    # all arrive like this: the panel shows that day, its score and phases.
    from accounts.templatetags.offpeak import format_plant_date
    from rollout.evaluation import go_live_evaluate

    day = plant.local_today() + datetime.timedelta(days=40)
    evaluation = go_live_evaluate(plant=plant, rollout=rollout, go_live=day)
    html = (
        login(viewer)
        .get(f"/plants/sz/calendar/?rollout={rollout.id}&day={day}")
        .content.decode()
    )
    panel = html[html.index('id="eval-body"') :]
    panel = panel[: panel.index("</section>")]
    assert f'data-day="{day.isoformat()}"' in panel
    assert format_plant_date(day, plant, weekday=True) in panel
    assert f">{evaluation.score:.0f}</span>" in panel
    training = evaluation.phases[0]
    assert format_plant_date(training["start"], plant) in panel


def test_a_day_outside_the_horizon_says_so(login, viewer, rollout):
    html = (
        login(viewer)
        .get(f"/plants/sz/calendar/evaluate/?rollout={rollout.id}&date=2001-01-01")
        .content.decode()
    )
    assert "outside the planning horizon" in html


def test_a_rollout_of_another_plant_is_not_found(login, viewer, rollout):
    assert login(viewer).get("/plants/sz/calendar/?rollout=9999").status_code == 404


def test_a_plant_without_rollouts_explains_itself(login, it_lead, plant):
    html = login(it_lead).get("/plants/sz/calendar/").content.decode()
    assert "no active rollout" in html
    assert "Define a rollout" in html


def test_dates_follow_the_language_not_the_plants_country(
    login, superuser, other_plant
):
    html = login(superuser).get("/plants/", HTTP_ACCEPT_LANGUAGE="en").content
    today = other_plant.local_today()
    # Stuttgart's today as every page writes dates (test_one_date_convention).
    assert f"{today:%a} {today.isoformat()}" in html.decode()
    assert today.strftime("%d.%m.%Y") not in html.decode()


def test_the_heatmap_scores_the_horizon_in_one_call(plant, rollout, monkeypatch):
    from rollout import scoring
    from rollout.web.selectors import heatmap_build

    calls = []
    real = scoring.score_horizon

    def counting(cal, spec):
        calls.append(spec)
        return real(cal, spec)

    monkeypatch.setattr(scoring, "score_horizon", counting)
    heatmap = heatmap_build(plant=plant, rollout=rollout, months=24)
    assert len(calls) == 1
    assert sum(len(m.cells) for m in heatmap.months) > 700


def cell_tag(html: str, day) -> str:
    match = re.search(
        r'<div role="gridcell"[^>]*data-d="' + day.isoformat() + r'"[^>]*>', html
    )
    assert match, day
    return match.group(0)


def test_the_grid_opens_on_a_chosen_day_far_ahead_and_marks_it(
    login, viewer, rollout, plant
):
    day = plant.local_today() + datetime.timedelta(days=420)
    html = (
        login(viewer)
        .get(f"/plants/sz/calendar/?rollout={rollout.id}&day={day}")
        .content.decode()
    )
    cell = cell_tag(html, day)
    assert " focus" in cell
    assert 'aria-selected="true"' in cell
    # Twelve months from the month before it: today's month is not shown.
    assert f'data-d="{plant.local_today().isoformat()}"' not in html


def test_without_a_chosen_day_the_grid_marks_the_best_window(
    login, viewer, rollout, plant
):
    from rollout.selectors import recommendation_list

    best = recommendation_list(plant=plant, rollout=rollout).results[0].go_live
    html = login(viewer).get(f"/plants/sz/calendar/?rollout={rollout.id}").content
    html = html.decode()
    assert f'data-focus="{best.isoformat()}"' in html
    assert " focus" in cell_tag(html, best)
