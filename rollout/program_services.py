"""Writes and computations of programs: saving one with its teams and
precedences, planning it (in a task) and marking plans stale when a plant's
recommendations are rebuilt at a new revision. What-ifs (nothing saved) are
in rollout.program_what_if.

Permissions are asked of accounts.permissions: an IT lead of every plant of
a program may change, plan or delete it.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.compiled import CompiledQuery
from calendars.models import Plant
from rollout import programs
from rollout.models_programs import Precedence, Program, Team
from rollout.program_inputs import ProgramInputs, program_inputs
from rollout.signals import programs_stale

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class TeamInput:
    name: str
    capacity: int = 1
    plants: tuple[Plant, ...] = ()  # none: every plant of the program
    unavailable: tuple[dict, ...] = ()  # [{"start": iso, "end": iso}]


@dataclasses.dataclass(frozen=True)
class PrecedenceInput:
    before: Plant
    after: Plant
    min_gap_days: int = 0


def _refuse(user, program: Program, plants) -> None:
    if user is not None and not permissions.can_change_program(user, program, plants):
        raise PermissionDenied(
            _("Only an IT lead of every plant of a program may change or plan it.")
        )


def check_plants(program: Program, plants: list[Plant]) -> None:
    if not plants:
        raise ValidationError({"plants": _("A program spans one plant at least.")})
    running = set(program.rollout.plants.values_list("pk", flat=True))
    outside = sorted(p.code for p in plants if p.pk not in running)
    if outside:
        raise ValidationError(
            {
                "plants": _("The rollout does not run at %(plants)s.")
                % {"plants": ", ".join(outside)}
            }
        )


def _check_teams(teams: list[TeamInput], codes: set[str]) -> list[Team]:
    if not teams:
        raise ValidationError({"teams": _("A program needs one team at least.")})
    names = [t.name for t in teams]
    if len(set(names)) != len(names):
        raise ValidationError({"teams": _("Each team needs a name of its own.")})
    built = []
    for team in teams:
        row = Team(
            name=team.name, capacity=team.capacity, unavailable=list(team.unavailable)
        )
        try:
            row.full_clean(exclude=["program"])
        except ValidationError as exc:
            raise ValidationError(
                {
                    "teams": [
                        _("Team %(team)s: %(field)s: %(message)s")
                        % {"team": team.name, "field": field, "message": message}
                        for field, messages in exc.message_dict.items()
                        for message in messages
                    ]
                }
            ) from None
        strangers = sorted(p.code for p in team.plants if p.code not in codes)
        if strangers:
            raise ValidationError(
                {
                    "teams": _("Team %(team)s serves %(plants)s, not in the program.")
                    % {"team": team.name, "plants": ", ".join(strangers)}
                }
            )
        built.append(row)
    return built


def _check_precedences(rules: list[PrecedenceInput], codes: set[str]) -> None:
    pairs = set()
    for rule in rules:
        for plant in (rule.before, rule.after):
            if plant.code not in codes:
                raise ValidationError(
                    {
                        "precedences": _("%(plant)s is not in the program.")
                        % {"plant": plant.code}
                    }
                )
        if rule.before.pk == rule.after.pk:
            raise ValidationError(
                {"precedences": _("A plant cannot go live after itself.")}
            )
        if not 0 <= rule.min_gap_days <= 730:
            raise ValidationError({"precedences": _("The gap is 0 to 730 days.")})
        if (rule.before.pk, rule.after.pk) in pairs:
            raise ValidationError(
                {
                    "precedences": _("%(before)s before %(after)s is given twice.")
                    % {"before": rule.before.code, "after": rule.after.code}
                }
            )
        pairs.add((rule.before.pk, rule.after.pk))


_DEFINITION = ("name", "rollout", "busy_from", "min_gap_days", "owner")


@transaction.atomic
def program_save(
    *,
    program: Program,
    plants: list[Plant] | None = None,
    teams: list[TeamInput] | None = None,
    precedences: list[PrecedenceInput] | None = None,
    user=None,
) -> Program:
    """Create or change a program with its teams and precedences (None: keep
    them as they are). Every change makes its plan stale; it is planned again
    when asked (`program_plan_request`).

    `user` (None: the system) must be an IT lead of every plant the program
    spans and is to span, else PermissionDenied. Bad input raises
    ValidationError naming the field; nothing is saved then."""
    _refuse(user, program, plants)
    program.full_clean(exclude=["owner"])
    if plants is None:
        plants = list(program.plants.all()) if program.pk else []
    plants = list(plants)
    check_plants(program, plants)
    codes = {p.code for p in plants}
    if teams is None and program.pk:
        teams = [
            TeamInput(
                name=t.name,
                capacity=t.capacity,
                plants=tuple(t.plants.all()),
                unavailable=tuple(t.unavailable),
            )
            for t in program.teams.all()
        ]
    team_rows = _check_teams(list(teams or []), codes)
    if precedences is None and program.pk:
        precedences = [
            PrecedenceInput(r.before, r.after, r.min_gap_days)
            for r in program.precedences.select_related("before", "after")
        ]
    precedences = list(precedences or [])
    _check_precedences(precedences, codes)

    program.stale = True
    if program.pk:
        Program.objects.select_for_update().filter(pk=program.pk).first()
        program.revision = F("revision") + 1
        # The definition only: the plan's fields belong to the planning task.
        program.save(update_fields=[*_DEFINITION, "revision", "stale", "updated_at"])
    else:
        program.save()
    program.refresh_from_db()
    program.plants.set(plants)
    program.teams.all().delete()
    for row, team in zip(team_rows, teams or [], strict=True):
        row.program = program
        row.save()
        row.plants.set(team.plants)
    program.precedences.all().delete()
    Precedence.objects.bulk_create(
        Precedence(
            program=program,
            before=rule.before,
            after=rule.after,
            min_gap_days=rule.min_gap_days,
        )
        for rule in precedences
    )
    return program


@transaction.atomic
def program_delete(*, program: Program, user=None) -> None:
    _refuse(user, program, None)
    program.delete()


# --- planning -----------------------------------------------------------------


def _plan_after_commit(program_ids, *, force: bool) -> None:
    ids = tuple(sorted(set(program_ids)))
    if ids:
        transaction.on_commit(
            lambda: programs_stale.send(sender=Program, program_ids=ids, force=force),
            robust=True,
        )


@transaction.atomic
def program_plan_request(*, program: Program, user=None) -> Program:
    """Queue a plan of the program (after commit; in-process without Redis)."""
    _refuse(user, program, None)
    Program.objects.filter(pk=program.pk).update(plan_requested_at=timezone.now())
    _plan_after_commit([program.pk], force=True)
    program.refresh_from_db()
    return program


def time_limit() -> float:
    return float(settings.OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS)


def solve(inputs: ProgramInputs) -> programs.PlanResult:
    return programs.plan_program(
        program=inputs.problem, time_limit_seconds=time_limit(), workers=2
    )


def plan_rows(inputs: ProgramInputs, result: programs.PlanResult) -> dict:
    """The plan as stored and served: assignments with dates, conflicts."""
    return {
        "start": inputs.start.isoformat(),
        "assignments": [inputs.assignment_row(a) for a in result.assignments],
        "conflicts": [dict(c) for c in result.conflicts],
    }


def _moves(before: list[dict], after: list[dict]) -> list[dict]:
    old = {row["plant"]: row for row in before}
    moved = []
    for row in after:
        previous = old.get(row["plant"])
        if previous and previous["go_live"] != row["go_live"]:
            moved.append(
                {
                    "plant": row["plant"],
                    "from": previous["go_live"],
                    "to": row["go_live"],
                    "cost_delta": round(row["cost"] - previous["cost"], 3),
                }
            )
    return moved


@dataclasses.dataclass(frozen=True)
class PlanOutcome:
    planned: bool = False
    retry_at: datetime.datetime | None = None


def program_plan_run(
    *,
    program_id: int,
    force: bool = False,
    spacing: datetime.timedelta = datetime.timedelta(0),
) -> PlanOutcome:
    """Plan the program and store the plan, unless it is current (`force`
    plans anyway). Like a rebuild, a stale program planned less than
    `spacing` ago is left alone and the outcome says when to try again, so a
    burst of rebuilds of its plants costs one plan at once and one after.

    Plants whose go-live moved since the previous plan are kept in `moved`
    (shown to the owner on the program's page)."""
    program = Program.objects.select_related("rollout").filter(pk=program_id).first()
    if program is None:
        return PlanOutcome()
    if not force:
        if not program.stale:
            return PlanOutcome()
        if spacing > datetime.timedelta(0) and program.planned_at is not None:
            due = program.planned_at + spacing
            now = timezone.now()
            if now + spacing / 20 < due:
                return PlanOutcome(retry_at=min(due, now + spacing))
    inputs = program_inputs(program=program)
    result = solve(inputs)
    rows = plan_rows(inputs, result)
    basis = inputs.basis()
    with transaction.atomic():
        current = Program.objects.select_for_update().get(pk=program.pk)
        previous = (current.plan or {}).get("assignments", [])
        moved = _moves(previous, rows["assignments"]) if previous else []
        # Changed again while planning: the plan is already behind.
        still_stale = current.revision != program.revision or not _current(
            current, basis
        )
        Program.objects.filter(pk=program.pk).update(
            plan=rows,
            plan_status=result.status,
            objective=result.objective,
            bound=result.bound,
            gap=result.gap,
            solve_seconds=round(result.solve_seconds, 3),
            planned_at=timezone.now(),
            basis=basis,
            moved=moved,
            stale=still_stale,
        )
    logger.info(
        "program %s planned: %s in %.2f s",
        program.pk,
        result.status,
        result.solve_seconds,
    )
    return PlanOutcome(planned=True)


def _current(program: Program, basis: dict) -> bool:
    revisions = dict(
        Plant.objects.filter(programs=program).values_list("code", "calendar_revision")
    )
    return (
        basis.get("plants") == revisions
        and basis.get("rollout") == program.rollout.revision
    )


# Run after every rebuild: compiled to SQL once. Only what the check reads:
# a program's plan (a large JSON) stays behind.
_PLANNED_OF_PLANT = CompiledQuery(
    lambda plant_id: Program.objects.filter(
        plants=plant_id, planned_at__isnull=False
    ).values_list("pk", "basis", "rollout__revision"),
    plant_id=int,
)


def programs_mark_stale(*, plant: Plant, calendar=None) -> list[int]:
    """After a plant's recommendations were rebuilt (inside the rebuild's
    transaction): every planned program of the plant whose plan was built from
    another calendar or rollout revision becomes stale, and is planned again
    after commit (coalesced like rebuilds)."""
    stale = []
    for pk, basis, rollout_revision in _PLANNED_OF_PLANT.run(plant_id=plant.pk):
        basis = basis or {}
        if (
            basis.get("plants", {}).get(plant.code) != plant.calendar_revision
            or basis.get("rollout") != rollout_revision
        ):
            stale.append(pk)
    if stale:
        Program.objects.filter(pk__in=stale).update(
            stale=True, plan_requested_at=timezone.now()
        )
        _plan_after_commit(stale, force=False)
    return stale


def stale_program_ids() -> list[int]:
    """Programs made stale by a rebuild whose re-plan has not happened yet
    (its message lost with the broker or a worker): the beat sweep queues
    them again. A program changed by its owner waits for "plan now"."""
    return list(
        Program.objects.filter(
            stale=True, plan_requested_at__gt=F("planned_at")
        ).values_list("pk", flat=True)
    )
