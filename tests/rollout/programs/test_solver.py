"""Rollout programs: the CP-SAT planner, its explanations and the greedy baseline.

Pure functions, no database. The planner is held to an exhaustive search on
many small random programs, written here from the rules alone.
"""

from __future__ import annotations

import datetime
import itertools
import json
import math
from collections import Counter

import numpy as np
import pytest

from rollout.programs import (
    Pin,
    PlanResult,
    PlantOption,
    Precedence,
    Program,
    Team,
    day_date,
    day_index,
    day_indices,
    greedy_plan,
    plan_program,
    violations,
)

START = datetime.date(2027, 1, 4)  # a Monday


def option(
    code: str,
    costs: list[float],
    *,
    first_day: int = 0,
    before: int = 2,
    after: int = 2,
    feasible: list[bool] | None = None,
    **limits: object,
) -> PlantOption:
    """A plant going live on first_day, first_day + 1, ...

    The window of go-live G is [G - before, G + after], its cutover from G - 1.
    """
    days = first_day + np.arange(len(costs))
    return PlantOption(
        plant=code,
        days=days,
        cost=np.array(costs, dtype=float),
        feasible=np.ones(len(costs), bool) if feasible is None else feasible,
        window_start=days - before,
        window_end=days + after,
        cutover_start=days - min(before, 1),
        **limits,  # type: ignore[arg-type]
    )


def program(
    plants: list[PlantOption], teams: list[Team] | None = None, **rules: object
) -> Program:
    return Program(
        start=START,
        plants=tuple(plants),
        teams=tuple(teams or [Team(name="A", capacity=1)]),
        **rules,  # type: ignore[arg-type]
    )


def plan(prog: Program, **options: object) -> PlanResult:
    return plan_program(program=prog, time_limit_seconds=10.0, **options)  # type: ignore[arg-type]


# --- The exhaustive reference, from the rules alone ---------------------------


def _choices(prog: Program, opt: PlantOption) -> list[tuple[int, int, int, float, str]]:
    """(go-live, busy first day, busy last day, cost, team) a plant may take."""
    if opt.pinned is not None:
        p = opt.pinned
        rows = [(p.go_live, p.window_start, p.window_end, p.cutover_start, p.cost)]
        if (opt.earliest is not None and p.go_live < opt.earliest) or (
            opt.latest is not None and p.go_live > opt.latest
        ):
            rows = []
    else:
        rows = [
            (
                int(opt.days[i]),
                int(opt.window_start[i]),
                int(opt.window_end[i]),
                int(opt.cutover_start[i]),
                float(opt.cost[i]),
            )
            for i in range(opt.days.size)
            if opt.feasible[i]
            and math.isfinite(opt.cost[i])
            and (opt.earliest is None or opt.days[i] >= opt.earliest)
            and (opt.latest is None or opt.days[i] <= opt.latest)
        ]
    out = []
    for day, start, end, cutover, cost in rows:
        first = start if prog.busy_from == "training" else cutover
        for team in prog.teams:
            if team.plants and opt.plant not in team.plants:
                continue
            out.append((day, first, end, cost, team.name))
    return out


def exhaustive_optimum(prog: Program) -> float | None:
    """The least total cost over every combination of choices; None if none fits."""
    teams = {team.name: team for team in prog.teams}
    codes = [opt.plant for opt in prog.plants]
    best = None
    for combo in itertools.product(*(_choices(prog, opt) for opt in prog.plants)):
        chosen = dict(zip(codes, combo, strict=True))
        ok = all(
            chosen[r.after][0] >= chosen[r.before][0] + r.min_gap_days
            for r in prog.precedences
        )
        for name, team in teams.items():
            if not ok:
                break
            mine = [c for c in combo if c[4] == name]
            load = Counter(d for c in mine for d in range(c[1], c[2] + 1))
            ok = not load or max(load.values()) <= team.capacity
            ok = ok and not any(
                c[1] <= b and c[2] >= a for c in mine for a, b in team.unavailable
            )
            gap = prog.team_min_gap_days
            ok = ok and not any(
                abs(x[0] - y[0]) < gap for x, y in itertools.combinations(mine, 2)
            )
        if ok:
            total = sum(c[3] for c in combo)
            best = total if best is None else min(best, total)
    return best


def random_program(rng: np.random.Generator) -> Program:
    """A small random program whose search space stays exhaustively searchable."""
    while True:
        n_plants = int(rng.integers(2, 6))
        n_teams = int(rng.integers(1, 4))
        codes = [f"P{i}" for i in range(n_plants)]
        plants = []
        for code in codes:
            n = int(rng.integers(3, 7))
            costs = np.round(rng.uniform(0, 20, n), 3)
            feasible = rng.random(n) < 0.9
            if rng.random() < 0.1:
                costs[int(rng.integers(0, n))] = np.nan
            limits: dict[str, object] = {}
            first_day = int(rng.integers(0, 10))
            if rng.random() < 0.2:
                limits["earliest"] = first_day + int(rng.integers(0, 2))
            if rng.random() < 0.2:
                limits["latest"] = first_day + int(rng.integers(2, 6))
            if rng.random() < 0.08:
                day = first_day + int(rng.integers(0, n + 2))
                limits["pinned"] = Pin(
                    go_live=day,
                    window_start=day - 1,
                    window_end=day + 1,
                    cutover_start=day,
                    cost=float(np.round(rng.uniform(0, 20), 3)),
                )
            plants.append(
                option(
                    code,
                    costs.tolist(),
                    first_day=first_day,
                    before=int(rng.integers(0, 3)),
                    after=int(rng.integers(0, 3)),
                    feasible=feasible.tolist(),
                    **limits,
                )
            )
        teams = []
        for t in range(n_teams):
            served = None
            if t and rng.random() < 0.5:
                served = frozenset(c for c in codes if rng.random() < 0.6)
            away = ()
            if rng.random() < 0.3:
                at = int(rng.integers(0, 12))
                away = ((at, at + int(rng.integers(0, 3))),)
            teams.append(
                Team(
                    name=f"T{t}",
                    capacity=int(rng.integers(1, 4)),
                    plants=served,
                    unavailable=away,
                )
            )
        precedences = []
        for _ in range(int(rng.integers(0, 3))):
            a, b = rng.choice(n_plants, size=2, replace=False)
            precedences.append(
                Precedence(
                    before=codes[a],
                    after=codes[b],
                    min_gap_days=int(rng.integers(0, 4)),
                )
            )
        prog = program(
            plants,
            teams,
            precedences=precedences,
            busy_from="training" if rng.random() < 0.7 else "cutover",
            team_min_gap_days=int(rng.choice([0, 0, 1, 2])),
        )
        size = math.prod(max(len(_choices(prog, opt)), 1) for opt in prog.plants)
        if size <= 20_000:
            return prog


def test_the_planner_matches_an_exhaustive_search_on_random_programs() -> None:
    rng = np.random.default_rng(20270104)
    feasible = infeasible = 0
    for _ in range(120):
        prog = random_program(rng)
        expected = exhaustive_optimum(prog)
        # The staged solve (tiny budget: several widenings) and the direct one.
        for budget in (2, 10_000):
            result = plan(prog, candidate_budget=budget)
            if expected is None:
                assert result.status == "infeasible"
                assert result.conflicts and all(c["message"] for c in result.conflicts)
                continue
            assert result.status == "optimal"
            assert result.objective == pytest.approx(
                expected, abs=0.001 * len(prog.plants)
            )
            assert violations(program=prog, plan=result) == []
        greedy = greedy_plan(program=prog)
        if greedy.status == "feasible":
            assert violations(program=prog, plan=greedy) == []
            assert expected is not None
            assert greedy.objective >= expected - 0.001 * len(prog.plants)
        if expected is None:
            infeasible += 1
        else:
            feasible += 1
    assert feasible >= 60 and infeasible >= 10  # both kinds were really exercised


# --- Rules, one at a time -----------------------------------------------------


def test_capacity_one_forces_sequential_windows() -> None:
    # All three like day 10 best; one team that carries one plant at a time.
    plants = [option(code, [5.0] * 10 + [0.0] + [5.0] * 19) for code in "XYZ"]
    result = plan(program(plants, [Team(name="A", capacity=1)]))
    assert result.status == "optimal"
    spans = sorted((a.window_start, a.window_end) for a in result.assignments)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start > end
    assert result.objective == pytest.approx(10.0)  # two of them pay 5


def test_capacity_two_lets_two_windows_overlap() -> None:
    plants = [option(code, [5.0] * 10 + [0.0] + [5.0] * 19) for code in "XYZ"]
    result = plan(program(plants, [Team(name="A", capacity=2)]))
    assert result.objective == pytest.approx(5.0)


def test_a_pin_is_honoured_even_when_not_cheapest_nor_feasible() -> None:
    plants = [
        option(
            "SZ",
            [9.0, 1.0, 9.0, 9.0],
            feasible=[True, True, True, False],
            pinned=Pin(go_live=3, cost=7.0),
        )
    ]
    result = plan(program(plants))
    (a,) = result.assignments
    assert (a.go_live, a.pinned, a.cost) == (3, True, 7.0)
    assert (a.window_start, a.window_end) == (1, 5)  # from the arrays at day 3
    assert a.best_cost == 1.0 and a.price == pytest.approx(6.0)


def test_a_pin_outside_the_days_needs_its_window() -> None:
    with pytest.raises(ValueError, match="window_start"):
        option("SZ", [1.0, 2.0], pinned=Pin(go_live=40))
    pinned = option(
        "SZ",
        [1.0, 2.0],
        pinned=Pin(go_live=40, window_start=30, window_end=50, cutover_start=38),
    )
    (a,) = plan(program([pinned])).assignments
    assert (a.go_live, a.window_start, a.window_end, a.cost) == (40, 30, 50, 0.0)


def test_a_precedence_with_a_gap_is_honoured() -> None:
    # Both like day 2 best; MTY must follow SZ by at least 5 days.
    costs = [3.0, 3.0, 0.0] + [3.0] * 12
    plants = [option("SZ", costs), option("MTY", costs)]
    teams = [Team(name="A", capacity=5)]
    rule = Precedence(before="SZ", after="MTY", min_gap_days=5)
    result = plan(program(plants, teams, precedences=[rule]))
    placed = result.by_plant()
    assert placed["MTY"].go_live >= placed["SZ"].go_live + 5
    assert result.objective == pytest.approx(3.0)


def test_a_zero_gap_precedence_allows_the_same_day() -> None:
    costs = [3.0, 0.0, 3.0]
    plants = [option("SZ", costs), option("MTY", costs)]
    rule = Precedence(before="SZ", after="MTY")
    result = plan(program(plants, [Team(name="A", capacity=2)], precedences=[rule]))
    assert {a.go_live for a in result.assignments} == {1}


def test_team_unavailability_is_avoided() -> None:
    # The best day's window [8, 12] meets the team's holiday on day 11.
    plants = [option("SZ", [5.0] * 10 + [0.0] + [5.0] * 9, before=2, after=2)]
    team = Team(name="A", unavailable=((13, 13),))
    (a,) = plan(program(plants, [team])).assignments
    assert a.window_end < 13 or a.window_start > 13


def test_a_team_that_serves_only_some_plants_carries_only_those() -> None:
    costs = [0.0] + [4.0] * 20
    plants = [option(code, costs) for code in ("SZ", "STG", "MTY")]
    teams = [
        Team(name="Asia", capacity=1, plants=frozenset({"SZ", "STG"})),
        Team(name="Americas", capacity=1, plants=frozenset({"MTY"})),
        Team(name="Flying", capacity=1),
    ]
    result = plan(program(plants, teams))
    teams_of = {a.plant: a.team for a in result.assignments}
    assert teams_of["MTY"] in {"Americas", "Flying"}
    assert teams_of["SZ"] != "Americas" and teams_of["STG"] != "Americas"
    assert result.objective == pytest.approx(0.0)  # three teams, three plants


def test_the_team_gap_keeps_go_lives_apart() -> None:
    costs = [0.0] * 3 + [9.0] * 10
    plants = [option("SZ", costs, before=0, after=0), option("STG", costs, before=0)]
    prog = program(plants, [Team(name="A", capacity=2)], team_min_gap_days=4)
    result = plan(prog)
    days = sorted(a.go_live for a in result.assignments)
    assert days[1] - days[0] >= 4


def test_busy_from_cutover_lets_trainings_overlap() -> None:
    # Windows [G-5, G+1], cutover from G-1: two go-lives 3 days apart overlap
    # in training only.
    costs = [9.0] * 10 + [0.0, 9.0, 9.0, 0.0] + [9.0] * 6
    plants = [option(code, costs, before=5, after=1) for code in ("SZ", "STG")]
    by_training = plan(program(plants, busy_from="training"))
    by_cutover = plan(program(plants, busy_from="cutover"))
    assert by_training.objective > 0.0
    assert by_cutover.objective == pytest.approx(0.0)


def test_limits_restrict_the_go_live_days() -> None:
    plants = [option("SZ", [0.0, 1.0, 2.0, 3.0, 0.5], earliest=1, latest=3)]
    (a,) = plan(program(plants)).assignments
    assert a.go_live == 1 and a.best_cost == 1.0 and a.price == 0.0


def test_best_cost_and_price_are_computed() -> None:
    plants = [
        option("SZ", [2.0, 0.5, 3.0], before=0, after=0),
        option("STG", [4.0, 0.25, 1.0], before=0, after=0),
    ]
    prog = program(plants, [Team(name="A", capacity=1)])
    result = plan(prog)
    assert result.status == "optimal"
    # They cannot share day 1: STG gives way, at a price of 0.75.
    assert {a.plant: a.price for a in result.assignments} == pytest.approx(
        {"SZ": 0.0, "STG": 0.75}
    )
    for a in result.assignments:
        assert a.price == pytest.approx(a.cost - a.best_cost)
    assert {a.plant: a.best_cost for a in result.assignments} == {
        "SZ": 0.5,
        "STG": 0.25,
    }
    assert result.bound == result.objective and result.gap == 0.0
    assert sum(a.cost for a in result.assignments) == pytest.approx(result.objective)


def test_the_greedy_baseline_is_never_better_than_the_optimum() -> None:
    # Greedy places A first (program order) on its best day 0 and pushes B to
    # its dear day; the optimum moves A by one cheap step instead.
    a = option("A", [0.0, 9.0, 9.0, 9.0, 9.0, 1.0], before=0, after=2)
    b = option("B", [0.0, 99.0, 99.0, 99.0, 99.0, 100.0], before=0, after=2)
    prog = program([a, b], [Team(name="T", capacity=1)])
    greedy = greedy_plan(program=prog)
    best = plan(prog)
    assert greedy.status == "feasible" and greedy.bound is None
    assert violations(program=prog, plan=greedy) == []
    assert best.objective == pytest.approx(1.0)
    assert greedy.objective > best.objective


def test_a_caller_hint_is_used_only_when_it_keeps_the_rules() -> None:
    plants = [option(code, [0.0, 1.0, 2.0, 3.0], before=0, after=0) for code in "XY"]
    prog = program(plants, [Team(name="A", capacity=1)])
    good = plan(prog)
    assert plan(prog, hint=good).objective == good.objective
    broken = PlanResult(
        status="feasible",
        objective=0.0,
        bound=None,
        gap=None,
        solve_seconds=0.0,
        assignments=tuple(
            a.__class__(**{**a.__dict__, "go_live": 0, "cost": 0.0})
            for a in good.assignments
        ),
    )
    assert violations(program=prog, plan=broken)
    assert plan(prog, hint=broken).objective == good.objective


# --- Why there is no plan -----------------------------------------------------


def _kinds(result: PlanResult) -> Counter[str]:
    return Counter(c["kind"] for c in result.conflicts)


def test_a_capacity_clash_names_the_plants_and_dates() -> None:
    # Three plants that must all go live on days 150..152, one team of two.
    plants = [
        option(code, [1.0] * 200, before=20, after=20, earliest=150, latest=152)
        for code in ("SZ", "STG", "MTY")
    ]
    plants.append(option("QRO", [1.0] * 200, before=20, after=20))
    result = plan(program(plants, [Team(name="A", capacity=2)]))
    assert result.status == "infeasible"
    (clash,) = [c for c in result.conflicts if c["kind"] == "capacity"]
    assert clash["team"] == "A" and clash["plants"] == ["SZ", "STG", "MTY"]
    # Any of their windows lies within days 130..172 (go-live 150..152, +-20).
    assert (clash["start_day"], clash["end_day"]) == (130, 172)
    assert clash["start"] == "2027-05-14" and clash["end"] == "2027-06-25"
    assert clash["message"] == (
        "team A cannot carry SZ, STG and MTY between 2027-05-14 and 2027-06-25 "
        "(it carries at most 2 plants at once)"
    )
    assert _kinds(result)["limits"] == 3  # the limits are what pin them there
    json.dumps(result.as_dict())  # ready for the API


def test_a_precedence_cycle_is_reported() -> None:
    plants = [option(code, [1.0] * 30) for code in ("SZ", "MTY")]
    rules = [
        Precedence(before="SZ", after="MTY", min_gap_days=5),
        Precedence(before="MTY", after="SZ", min_gap_days=1),
    ]
    result = plan(program(plants, [Team(name="A", capacity=2)], precedences=rules))
    assert result.status == "infeasible"
    assert _kinds(result) == Counter({"precedence": 2})
    assert {c["message"] for c in result.conflicts} == {
        "MTY must go live at least 5 days after SZ",
        "SZ must go live at least 1 day after MTY",
    }


def test_a_pin_against_a_precedence_is_reported() -> None:
    plants = [
        option("SZ", [1.0] * 100, pinned=Pin(go_live=40)),
        option("MTY", [1.0] * 100, latest=50),
        option("STG", [1.0] * 100),
    ]
    rule = Precedence(before="SZ", after="MTY", min_gap_days=30)
    result = plan(program(plants, [Team(name="A", capacity=3)], precedences=[rule]))
    assert result.status == "infeasible"
    messages = {c["message"] for c in result.conflicts}
    assert messages == {
        "SZ is pinned to 2027-02-13",
        "MTY must go live on or before 2027-02-23",
        "MTY must go live at least 30 days after SZ",
    }


def test_team_unavailability_clash_is_reported() -> None:
    plants = [option("SZ", [1.0] * 20, latest=10)]
    team = Team(name="A", unavailable=((0, 12),))
    result = plan(program(plants, [team]))
    kinds = _kinds(result)
    assert result.status == "infeasible" and kinds["unavailable"] == 1
    (away,) = [c for c in result.conflicts if c["kind"] == "unavailable"]
    assert away["team"] == "A" and away["plants"] == ["SZ"]
    assert away["message"] == (
        "team A is unavailable from 2027-01-04 to 2027-01-16, when SZ would need it"
    )


def test_a_plant_without_a_feasible_day_is_reported_without_solving() -> None:
    plants = [
        option("SZ", [1.0, 2.0]),
        option("STG", [1.0, 2.0, 3.0], feasible=[True, False, False], earliest=1),
        option("MTY", [math.inf, math.nan]),
    ]
    result = plan(program(plants))
    assert result.status == "infeasible"
    assert [c["message"] for c in result.conflicts] == [
        "STG has no feasible go-live day on or after 2027-01-05",
        "MTY has no feasible go-live day between 2027-01-04 and 2027-01-05",
    ]


def test_a_plant_no_team_may_serve_is_reported() -> None:
    plants = [option("SZ", [1.0]), option("STG", [1.0])]
    teams = [Team(name="A", plants=frozenset({"SZ"}))]
    result = plan(program(plants, teams))
    assert [c["message"] for c in result.conflicts] == ["no team may serve STG"]


def test_a_pin_outside_the_limits_is_reported() -> None:
    plants = [option("SZ", [1.0] * 10, pinned=Pin(go_live=2), earliest=5)]
    result = plan(program(plants))
    assert result.conflicts[0]["kind"] == "pin_outside_limits"
    assert result.conflicts[0]["message"] == (
        "SZ is pinned to 2027-01-06 but must go live on or after 2027-01-09"
    )


def test_the_greedy_baseline_says_where_it_got_stuck() -> None:
    plants = [option(code, [1.0], before=0, after=0) for code in ("SZ", "STG")]
    greedy = greedy_plan(program=program(plants))
    assert greedy.status == "infeasible"
    assert greedy.conflicts[0]["kind"] == "greedy_stuck"
    assert greedy.conflicts[0]["plant"] == "STG"


# --- Inputs -------------------------------------------------------------------


def test_day_helpers_convert_both_ways() -> None:
    day = datetime.date(2027, 3, 1)
    index = day_index(start=START, day=day)
    assert index == 56 and day_date(start=START, index=index) == day
    assert day_indices(start=START, days=[START, day]).tolist() == [0, 56]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="not 2 entries"):
        PlantOption(
            plant="SZ",
            days=[0, 1],
            cost=[1.0],
            feasible=[True, True],
            window_start=[0, 1],
            window_end=[0, 1],
            cutover_start=[0, 1],
        )
    with pytest.raises(ValueError, match="capacity"):
        Team(name="A", capacity=0)
    with pytest.raises(ValueError, match="unknown plant"):
        program([option("SZ", [1.0])], precedences=[Precedence("SZ", "XX")])
    with pytest.raises(ValueError, match="min_gap_days"):
        Precedence("SZ", "STG", -1)
    frozen = option("SZ", [1.0, 2.0])
    with pytest.raises(ValueError):
        frozen.cost[0] = 0.0  # the arrays are read-only copies
