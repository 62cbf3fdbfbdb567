"""Plants and their calendars: seasons, milestones, blackouts, exceptions,
production plans and the calendar by day.

Lists hold only the plants the user sees; another plant's object is 404.
Writes are a plant manager's (staff for company-wide seasons) and go through
calendars.services / calendars.imports so that the calendar revision moves.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions as rules
from accounts.api.permissions import API_PERMISSIONS
from calendars import fiscal
from calendars.api import filters
from calendars.api import serializers as s
from calendars.api.permissions import CanEditCalendarItem
from calendars.imports import PlanImportError, plan_import
from calendars.kinds import ITEM_KINDS, ItemKind
from calendars.models import Plant, ProductionPlan
from calendars.selectors import calendar_days, plants_visible_to
from calendars.selectors.anchors import plant_holiday_anchors
from calendars.services import (
    PlantInUse,
    calendar_item_create,
    calendar_item_delete,
    calendar_item_update,
    plant_create,
    plant_delete,
    plant_update,
)
from calendars.suggestions import suggested_seasons_accept, suggested_seasons_for

DEFAULT_CALENDAR_DAYS = 90


def visible_plant(request, code: str) -> Plant:
    """The plant if the user sees it; 404 whether it exists or not."""
    return generics.get_object_or_404(plants_visible_to(request.user), code=code)


@extend_schema(tags=["plants"])
@extend_schema_view(
    create=extend_schema(summary="Create a plant (staff)"),
    partial_update=extend_schema(
        summary="Change a plant's settings (its plant managers, staff)"
    ),
    update=extend_schema(summary="Replace a plant's settings"),
    destroy=extend_schema(
        summary="Delete a plant (staff)",
        responses={
            204: None,
            409: OpenApiResponse(
                description='In use: {"detail": why, "reasons": [...]}, e.g. '
                "the plant has go-live proposals."
            ),
        },
    ),
)
class PlantViewSet(viewsets.ModelViewSet):
    """The plants you are assigned to (staff: every plant).

    Staff create plants; a plant's managers change its settings, and the
    change moves its calendar revision (its recommendations are rebuilt).
    Deleting a plant that has go-live proposals is refused (409) with the
    reason."""

    serializer_class = s.PlantSerializer
    filterset_class = filters.PlantFilter
    lookup_field = "code"

    def get_queryset(self):
        return plants_visible_to(self.request.user).order_by("code")

    def create(self, request, *args, **kwargs):
        if not rules.can_create_plant(request.user):
            raise PermissionDenied(_("Only staff create plants."))
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        plant = plant_create(**form.validated_data)
        return Response(self.get_serializer(plant).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        plant = self.get_object()
        if not rules.can_change_plant(request.user, plant):
            raise PermissionDenied(_("Only the plant's managers change its settings."))
        form = self.get_serializer(plant, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        plant = plant_update(plant=plant, **form.validated_data)
        return Response(self.get_serializer(plant).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        plant = self.get_object()
        if not rules.can_delete_plant(request.user, plant):
            raise PermissionDenied(_("Only staff delete plants."))
        try:
            plant_delete(plant=plant)
        except PlantInUse as exc:
            return Response(
                {"detail": str(exc), "reasons": exc.reasons},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _period_query(
    request, plant, serializer_class, *, default_days: int
) -> tuple[datetime.date, datetime.date]:
    """start and end of a query string: start defaults to the plant's today,
    end to `default_days` days from start, inclusive; the pair, defaults
    filled in, is validated again by `serializer_class` (order, length)."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    start = query.validated_data.get("start") or plant.local_today()
    end = query.validated_data.get("end") or start + datetime.timedelta(
        days=default_days - 1
    )
    serializer_class(data={"start": start, "end": end}).is_valid(raise_exception=True)
    return start, end


@extend_schema(tags=["plants"])
class FiscalPeriodsView(APIView):
    """The plant's fiscal periods overlapping start..end (inclusive; default
    today and the next 364 days; at most ten years): year (named by the
    calendar year it ends in), quarter, period, start, end."""

    @extend_schema(
        parameters=[s.FiscalPeriodQuerySerializer],
        responses={200: s.FiscalPeriodSerializer(many=True)},
    )
    def get(self, request, code: str):
        plant = visible_plant(request, code)
        start, end = _period_query(
            request, plant, s.FiscalPeriodQuerySerializer, default_days=365
        )
        periods = fiscal.fiscal_periods(
            calendar=plant.fiscal_calendar(), start=start, end=end
        )
        return Response(s.FiscalPeriodSerializer(periods, many=True).data)


class CalendarItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Full CRUD of one kind of calendar item, through calendars.services."""

    kind: ItemKind  # set per kind by item_viewsets()
    permission_classes = [*API_PERMISSIONS, CanEditCalendarItem]

    def get_queryset(self):
        visible = Q(plant__in=plants_visible_to(self.request.user))
        if self.kind.company_wide:
            visible |= Q(plant__isnull=True)
        return self.kind.model.objects.filter(visible).select_related("plant")

    def _check_plant(self, plant: Plant | None) -> None:
        if not rules.can_edit_calendar_item(self.request.user, plant):
            raise PermissionDenied(CanEditCalendarItem.message)

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        self._check_plant(form.validated_data["plant"])
        item = calendar_item_create(model=self.kind.model, **form.validated_data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        item = self.get_object()
        form = self.get_serializer(item, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        if "plant" in form.validated_data:
            self._check_plant(form.validated_data["plant"])
        item = calendar_item_update(item=item, **form.validated_data)
        return Response(self.get_serializer(item).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        calendar_item_delete(item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def item_viewsets() -> list[tuple[str, type, str]]:
    """(URL prefix, viewset, route basename) of every calendar kind."""
    return [
        (
            kind.api_prefix,
            extend_schema(tags=["calendar"])(
                type(
                    f"{kind.model.__name__}ViewSet",
                    (CalendarItemViewSet,),
                    {
                        "kind": kind,
                        "serializer_class": s.ITEM_SERIALIZERS[key],
                        "filterset_class": filters.ITEM_FILTERS[key],
                        "__doc__": kind.api_description,
                    },
                )
            ),
            kind.api_basename,
        )
        for key, kind in ITEM_KINDS.items()
    ]


@extend_schema_view(
    get=extend_schema(summary="Production plan versions, newest first"),
    post=extend_schema(
        summary="Import a production plan file as the next version",
        request={"multipart/form-data": s.ProductionPlanUploadSerializer},
        responses={
            201: s.ProductionPlanCreatedSerializer,
            400: s.ImportErrorsSerializer,
        },
    ),
)
@extend_schema(tags=["calendar"])
class ProductionPlanView(generics.ListAPIView):
    """A plant's production plan versions; a plant manager imports a new one.

    The import is all or nothing: a file with any problem saves nothing and
    answers 400 with {"errors": [{"row", "column", "message"}]} (row: the
    file's row, header = 1; null for the whole file).
    """

    serializer_class = s.ProductionPlanSerializer
    filterset_class = filters.ProductionPlanFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ProductionPlan.objects.none()
        plant = visible_plant(self.request, self.kwargs["code"])
        return ProductionPlan.objects.filter(plant=plant).select_related(
            "plant", "imported_by"
        )

    def post(self, request, code: str):
        plant = visible_plant(request, code)
        if not rules.can_edit_calendar(request.user, plant):
            raise PermissionDenied(CanEditCalendarItem.message)
        form = s.ProductionPlanUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            plan = plan_import(
                plant=plant,
                file=form.validated_data["file"],
                granularity=form.validated_data["granularity"],
                user=request.user,
            )
        except PlanImportError as exc:
            errors = [
                {"row": e.row, "column": e.column, "message": e.message}
                for e in exc.errors
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            s.ProductionPlanCreatedSerializer(plan).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["calendar"])
class PlantCalendarView(APIView):
    """The plant's calendar, one object per plant-local day from start to end
    (inclusive, at most 800 days; default: today and the next 89 days)."""

    @extend_schema(
        parameters=[s.CalendarQuerySerializer],
        responses={200: s.CalendarDaySerializer(many=True)},
    )
    def get(self, request, code: str):
        plant = visible_plant(request, code)
        start, end = _period_query(
            request,
            plant,
            s.CalendarQuerySerializer,
            default_days=DEFAULT_CALENDAR_DAYS,
        )
        days = calendar_days(plant=plant, start=start, end=end)
        return Response(s.CalendarDaySerializer(days, many=True).data)


@extend_schema(tags=["calendar"])
class HolidayAnchorsView(APIView):
    """The plant's holidays that a season, milestone or blackout can follow
    (`anchor`), by next date; `name` in the request's language
    (Accept-Language), `key` the same in every year and language."""

    @extend_schema(responses={200: s.HolidayAnchorSerializer(many=True)})
    def get(self, request, code: str):
        plant = visible_plant(request, code)
        found = plant_holiday_anchors(plant=plant)
        return Response(s.HolidayAnchorSerializer(found, many=True).data)


@extend_schema(tags=["calendar"])
class SuggestedSeasonsView(APIView):
    """Seasons the plant's country's planners expect (China: the weeks before
    and after the Spring Festival, Golden Week; Germany: Christmas shutdown,
    Easter; United States: Thanksgiving to New Year; Mexico: Semana Santa…),
    anchored to its holidays. Nothing is applied until a plant manager accepts
    some (POST); they are then ordinary anchored seasons, to edit or delete."""

    @extend_schema(responses={200: s.SuggestedSeasonSerializer(many=True)})
    def get(self, request, code: str):
        plant = visible_plant(request, code)
        return Response(
            s.SuggestedSeasonSerializer(
                suggested_seasons_for(plant=plant), many=True
            ).data
        )

    @extend_schema(
        request=s.SuggestedSeasonsAcceptSerializer,
        responses={201: s.ITEM_SERIALIZERS["season"](many=True)},
        summary="Accept suggested seasons: create them as anchored seasons",
    )
    def post(self, request, code: str):
        plant = visible_plant(request, code)
        if not rules.can_edit_calendar(request.user, plant):
            raise PermissionDenied(CanEditCalendarItem.message)
        form = s.SuggestedSeasonsAcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = suggested_seasons_accept(
            plant=plant, keys=form.validated_data["suggestions"]
        )
        return Response(
            s.ITEM_SERIALIZERS["season"](
                created, many=True, context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )
