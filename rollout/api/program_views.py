"""Programs (one rollout planned over many plants), their plans and what-ifs,
and a plant's daily scores for a rollout."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from accounts.api.permissions import API_PERMISSIONS
from calendars.api.views import visible_plant
from rollout.api import program_serializers as s
from rollout.models_programs import Program
from rollout.program_inputs import plant_score_rows
from rollout.program_selectors import program_plan, programs_with_details
from rollout.program_services import (
    PrecedenceInput,
    TeamInput,
    program_delete,
    program_plan_request,
    program_save,
)
from rollout.program_what_if import WhatIf, program_what_if
from rollout.selectors import plant_rollout


def _refused(exc: DjangoPermissionDenied) -> PermissionDenied:
    return PermissionDenied(str(exc) or None)


@extend_schema(tags=["programs"])
class PlantScoresView(APIView):
    """Every go-live day of a rollout at a plant, scored: one row per day
    with quietness (0-100), cost, feasibility and its reasons, and the whole
    window (training start to hypercare end). At most 366 days per request,
    within the planning horizon."""

    @extend_schema(
        parameters=[s.ScoresQuerySerializer],
        responses={200: s.ScoreRowSerializer(many=True)},
    )
    def get(self, request, code: str):
        plant = visible_plant(request, code)
        query = s.ScoresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rollout = plant_rollout(plant=plant, rollout_id=query.validated_data["rollout"])
        if rollout is None:
            raise ValidationError(
                {"rollout": [_("Rollout %(id)s does not run at plant %(plant)s.") % {
                    "id": query.validated_data["rollout"], "plant": plant.code}]}
            )  # fmt: skip
        rows = plant_score_rows(
            plant=plant,
            rollout=rollout,
            start=query.validated_data.get("start"),
            end=query.validated_data.get("end"),
        )
        return Response(s.ScoreRowSerializer(rows, many=True).data)


def _team_inputs(teams) -> list[TeamInput]:
    return [
        TeamInput(
            name=t["name"],
            capacity=t.get("capacity", 1),
            plants=tuple(t.get("plants") or ()),
            unavailable=tuple(
                {"start": p["start"].isoformat(), "end": p["end"].isoformat()}
                for p in t.get("unavailable") or ()
            ),
        )
        for t in teams
    ]


def _precedence_inputs(rules) -> list[PrecedenceInput]:
    return [
        PrecedenceInput(r["before"], r["after"], r.get("min_gap_days", 0))
        for r in rules
    ]


@extend_schema(tags=["programs"])
class ProgramViewSet(viewsets.ModelViewSet):
    """Programs: one rollout planned over several of its plants, with teams
    (capacity = plants carried at once, plants served, unavailable periods),
    precedences (the pilot first) and a gap between two go-lives of a team.

    Listed when you see every plant of the program; IT leads of every plant
    of a program create, change and delete it. A change makes the plan stale
    until it is planned again (POST …/plan/)."""

    serializer_class = s.ProgramSerializer
    permission_classes = list(API_PERMISSIONS)

    def get_queryset(self):
        return programs_with_details(self.request.user)

    def _respond(self, program: Program, code: int = status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=program.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _save(self, program: Program, data: dict) -> Program:
        try:
            return program_save(
                program=program,
                plants=data.pop("plants", None),
                teams=_team_inputs(data["teams"]) if "teams" in data else None,
                precedences=_precedence_inputs(data["precedences"])
                if "precedences" in data
                else None,
                user=self.request.user,
            )
        except DjangoPermissionDenied as exc:
            raise _refused(exc) from None

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        fields = {
            k: data[k]
            for k in ("name", "rollout", "busy_from", "min_gap_days")
            if k in data
        }
        program = self._save(Program(owner=request.user, **fields), data)
        return self._respond(program, status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        program = self.get_object()
        if not permissions.can_change_program(request.user, program):
            raise PermissionDenied(
                _("Only an IT lead of every plant of a program may change it.")
            )
        form = self.get_serializer(program, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        for name in ("name", "rollout", "busy_from", "min_gap_days"):
            if name in data:
                setattr(program, name, data[name])
        return self._respond(self._save(program, data))

    def destroy(self, request, *args, **kwargs):
        program = self.get_object()
        try:
            program_delete(program=program, user=request.user)
        except DjangoPermissionDenied as exc:
            raise _refused(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _visible_program(request, pk: int) -> Program:
    return get_object_or_404(programs_with_details(request.user), pk=pk)


@extend_schema(tags=["programs"])
class ProgramPlanView(APIView):
    """The program's plan: status (optimal, feasible, infeasible, running,
    stale), the objective (total cost), CP-SAT's proven bound, solve time,
    one assignment per plant (team, go-live, window, phases, quietness, cost,
    the plant's own best cost, pinned) and, when infeasible, the clashing
    rules in words. POST plans it again in a background task (202)."""

    @extend_schema(responses={200: s.PlanSerializer})
    def get(self, request, pk: int):
        return Response(program_plan(_visible_program(request, pk)))

    @extend_schema(request=None, responses={202: s.PlanSerializer})
    def post(self, request, pk: int):
        program = _visible_program(request, pk)
        try:
            program = program_plan_request(program=program, user=request.user)
        except DjangoPermissionDenied as exc:
            raise _refused(exc) from None
        return Response(program_plan(program), status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["programs"])
class ProgramWhatIfView(APIView):
    """What if a plant slipped N days, were pinned to a date, a team were away
    for a period, or more of the rollout's plants joined? The changed plan and
    which plants move (from, to, cost delta). Nothing is saved: whoever sees
    the program may ask, read-only tokens too."""

    read_only_token_methods = ("POST",)

    @extend_schema(
        request=s.WhatIfSerializer, responses={200: s.WhatIfResultSerializer}
    )
    def post(self, request, pk: int):
        program = _visible_program(request, pk)
        form = s.WhatIfSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        what = WhatIf(
            slip=tuple((r["plant"], r["days"]) for r in data.get("slip", [])),
            pin=tuple((r["plant"], r["go_live"]) for r in data.get("pin", [])),
            team_unavailable=tuple(
                (r["team"], r["start"], r["end"])
                for r in data.get("team_unavailable", [])
            ),
            add_plants=tuple(data.get("add_plants", [])),
        )
        return Response(program_what_if(program=program, what=what))
