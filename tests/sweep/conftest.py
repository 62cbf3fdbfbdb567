"""The route sweep's tally: what it covered, printed after the run."""

from collections import Counter

import pytest

SWEEP_STATS = pytest.StashKey[dict]()


def _empty_stats() -> dict:
    return {
        "routes": set(),
        "urls": set(),
        "roles": set(),
        "triples": set(),  # (route, role, method) requested
        "answered": set(),  # ... that answered with anything but 405
        "succeeded": set(),  # ... that answered 2xx at least once
        "requests": 0,
        "statuses": Counter(),
        "seconds": 0.0,
    }


@pytest.fixture(scope="session")
def sweep_stats(request) -> dict:
    """Counters the sweep fills; the terminal summary reports them."""
    return request.config.stash.setdefault(SWEEP_STATS, _empty_stats())


def pytest_terminal_summary(terminalreporter, config) -> None:
    stats = config.stash.get(SWEEP_STATS, None)
    if not stats or not stats["requests"]:
        return
    methods = {method for _route, _role, method in stats["triples"]}
    statuses = ", ".join(
        f"{s}: {n}" for s, n in sorted(stats["statuses"].items(), key=str)
    )
    terminalreporter.section("route sweep")
    terminalreporter.write_line(
        f"{len(stats['routes'])} routes ({len(stats['urls'])} URLs once filled) "
        f"× {len(stats['roles'])} roles × {len(methods)} methods = "
        f"{len(stats['triples'])} route-role-method triples, "
        f"{len(stats['answered'])} of them answered (not 405), "
        f"{len(stats['succeeded'])} with a 2xx"
    )
    terminalreporter.write_line(
        f"{stats['requests']} requests in {stats['seconds']:.1f} s; "
        f"statuses: {statuses}"
    )


def seed_programs(world) -> None:
    """A program at each plant, marked like the rest of its data and planned,
    for the program routes (/api/programs/…, /programs/…)."""
    from rollout.models_programs import Program
    from rollout.program_services import TeamInput, program_plan_run, program_save

    for plant, mark in ((world.sz, "SZ-only"), (world.stg, "STG-only")):
        program = program_save(
            program=Program(name=f"{mark} program", rollout=world.rollouts[plant.code]),
            plants=[plant],
            teams=[
                TeamInput(
                    name=f"{mark} team",
                    unavailable=({"start": "2030-01-01", "end": "2030-01-07"},),
                )
            ],
        )
        program_plan_run(program_id=program.pk, force=True)
