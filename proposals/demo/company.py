"""Builders of the demo company from proposals.demo.data: plants, their
calendars and weekly plans, users, rollouts and the SAP program. Each creates
only what is missing, so a second run changes nothing."""

import datetime
import io

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from calendars import services
from calendars.imports import plan_import
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)
from proposals.demo import data
from rollout.models import Rollout
from rollout.models_programs import Program
from rollout.program_services import (
    PrecedenceInput,
    TeamInput,
    program_plan_run,
    program_save,
)
from rollout.services import rollout_save


def plant(spec) -> Plant:
    plant = Plant.objects.filter(code=spec["code"]).first()
    if plant is None:
        plant = services.plant_create(**spec)
    elif not plant.close_last_days and not plant.close_first_days:
        # A demo seeded before fiscal calendars: its hand-written month-end
        # rule gives way to the generated period closes.
        plant = services.plant_update(plant=plant, **data.FISCAL_MONTHS)
        for old in Blackout.objects.filter(plant=plant, name="Month-end close"):
            services.calendar_item_delete(item=old)
    return plant


def _create_once(model, lookup, **fields):
    if model.objects.filter(**lookup).exists():
        return
    services.calendar_item_create(model=model, **lookup, **fields)


def seasons(plants):
    for code, name, anchor, before, after, severity, hard in data.ANCHORED_SEASONS:
        # A fixed-date season on the same holiday gives way to the anchored one.
        for fixed in PeakSeason.objects.filter(
            plant=plants[code], name=name, anchor=""
        ):
            services.calendar_item_delete(item=fixed)
        _create_once(
            PeakSeason,
            {"plant": plants[code], "name": name},
            anchor=anchor,
            days_before=before,
            days_after=after,
            severity=severity,
            hard=hard,
        )
    for code, name, start, end, severity, hard in data.SEASONS:
        _create_once(
            PeakSeason,
            {"plant": plants[code] if code else None, "name": name},
            start=datetime.date(2024, *start),
            end=datetime.date(2024, *end),
            recurring_yearly=True,
            severity=severity,
            hard=hard,
        )


def milestones(plants, today):
    base = datetime.date(today.year + 1, 1, 1)
    for code, name, kind, offset, length, crit, buffer, hard in data.MILESTONES:
        start = base + datetime.timedelta(days=offset)
        _create_once(
            Milestone,
            {"plant": plants[code], "name": name},
            kind=kind,
            start=start,
            end=start + datetime.timedelta(days=length - 1),
            criticality=crit,
            freeze_before_days=buffer,
            freeze_after_days=buffer,
            hard=hard,
        )


def blackouts(plants, today):
    name, (month, day), days = data.STOCK_COUNT
    for plant in plants.values():
        # Month-end and year-end closes come from each plant's fiscal
        # calendar (FISCAL_MONTHS); the stock count is its own blackout.
        _create_once(
            Blackout,
            {"plant": plant, "name": name},
            kind=Blackout.Kind.STOCK_COUNT,
            start=datetime.date(today.year, month, day),
            rrule="FREQ=YEARLY",
            duration_days=days,
            hard=True,
        )


def closures(plants, today):
    next_year = today.year + 1
    for code, name, start, end in data.CLOSURES:
        _create_once(
            CalendarException,
            {"plant": plants[code], "name": name},
            kind=CalendarException.Kind.CLOSURE,
            start=datetime.date(next_year, *start),
            end=datetime.date(next_year, *end),
        )


def plans(plants, today):
    """Two years of weekly plans whose load follows the plant's seasons."""
    monday = today - datetime.timedelta(days=today.weekday())
    weeks = [monday + datetime.timedelta(weeks=w) for w in range(data.PLAN_WEEKS)]
    for code, plant in plants.items():
        if ProductionPlan.objects.filter(plant=plant).exists():
            continue
        seasons = list(PeakSeason.objects.filter(plant=plant)) + list(
            PeakSeason.objects.filter(plant__isnull=True)
        )
        rng = np.random.default_rng(sum(map(ord, code)))
        lines = ["date,work_centre,load,capacity"]
        for week in weeks:
            severity = max(
                [
                    s.severity
                    for s in seasons
                    for a, b in s.occurrences(week, week + datetime.timedelta(6))
                ]
                or [0]
            )
            for centre, capacity in data.WORK_CENTRES:
                base = 0.62 + 0.07 * severity + rng.normal(0, 0.03)
                load = max(0.2, min(1.08, base)) * capacity
                lines.append(f"{week},{centre},{load:.0f},{capacity:.0f}")
        file = io.BytesIO("\n".join(lines).encode())
        file.name = f"{code.lower()}-weekly-plan.csv"
        plan_import(plant=plant, file=file, granularity="week")


def users(plants) -> dict:
    User = get_user_model()
    users = {}
    for username, name, group, codes, staff in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=name,
                email=f"{username}@offpeak.example",
                is_staff=staff,
                is_superuser=staff,
            )
            user.set_password(data.DEMO_PASSWORD)
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        for code in codes:
            plants[code].members.add(user)
        users[username] = user
    return users


def rollouts(plants, users, today):
    for name, kind, codes, training, cutover, hypercare, offset in data.ROLLOUTS:
        if Rollout.objects.filter(name=name).exists():
            continue
        rollout_save(
            rollout=Rollout(
                name=name,
                kind=kind,
                description=f"{kind.upper()} go-live at {', '.join(codes)}",
                training_days=training,
                cutover_days=cutover,
                hypercare_days=hypercare,
                earliest_go_live=today + datetime.timedelta(days=offset),
                created_by=users[data.IT_LEAD],
            ),
            plants=[plants[c] for c in codes],
        )


def program(plants, users):
    """The SAP program (data.PROGRAM), planned now (in-process)."""
    spec = data.PROGRAM
    program = Program.objects.filter(name=spec["name"]).first()
    if program is None:
        team, capacity = spec["team"]
        program = program_save(
            program=Program(
                name=spec["name"],
                rollout=Rollout.objects.get(name=spec["rollout"]),
                owner=users[data.IT_LEAD],
            ),
            plants=[plants[code] for code in spec["plants"]],
            teams=[TeamInput(name=team, capacity=capacity)],
            precedences=[
                PrecedenceInput(plants[before], plants[after], gap)
                for before, after, gap in spec["precedences"]
            ],
        )
    if program.stale or program.planned_at is None:
        program_plan_run(program_id=program.pk, force=True)
