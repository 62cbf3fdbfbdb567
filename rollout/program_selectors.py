"""Reads of programs: those a user sees and a program's plan as served."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts import permissions
from rollout.models_programs import Program
from rollout.program_services import time_limit


def programs_visible_to(user) -> QuerySet[Program]:
    """Programs whose every plant the user sees (all for staff)."""
    return permissions.visible_programs(user, Program.objects.all())


def programs_with_details(user) -> QuerySet[Program]:
    return (
        programs_visible_to(user)
        .select_related("rollout", "owner")
        .prefetch_related(
            "plants", "teams__plants", "precedences__before", "precedences__after"
        )
    )


def _running(program: Program) -> bool:
    asked = program.plan_requested_at
    if asked is None or (program.planned_at and program.planned_at >= asked):
        return False
    # A plan lost with its worker is not "running" for ever.
    patience = datetime.timedelta(seconds=3 * time_limit() + 120)
    return timezone.now() - asked < patience


def program_plan_status(program: Program) -> str:
    """running (asked for, not done), stale (something changed since), else
    the planner's status; "" when never planned."""
    if _running(program):
        return "running"
    if program.planned_at is None:
        return ""
    if program.stale:
        return "stale"
    return program.plan_status


def program_plan(program: Program) -> dict:
    """The stored plan with its status and figures."""
    plan = program.plan or {}
    return {
        "status": program_plan_status(program) or "stale",
        "planned_status": program.plan_status or None,
        "objective": program.objective,
        "bound": program.bound,
        "gap": program.gap,
        "solve_seconds": program.solve_seconds,
        "planned_at": program.planned_at,
        "assignments": plan.get("assignments", []),
        "conflicts": plan.get("conflicts", []),
        "moved": program.moved or [],
    }
