"""Rollouts, their recommended go-live windows, ad-hoc evaluation of a date
and the go-live gate for deployment tools."""

import functools
import json
from collections.abc import Callable, Mapping
from types import MappingProxyType

from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, parse_header_parameters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import API_PERMISSIONS
from accounts.cache import CacheUnavailable, cache_guard
from calendars.api.views import visible_plant
from calendars.models import Plant
from calendars.selectors import plants_visible_to
from rollout.api import filters
from rollout.api import serializers as s
from rollout.api.permissions import CanPlanRollout
from rollout.evaluation import (
    DateOutsideHorizon,
    go_live_evaluate,
    window_state,
    window_state_key,
)
from rollout.models import Rollout
from rollout.selectors import (
    RecommendationStamp,
    plant_recommendation_stamp,
    plant_rollout,
    recommendation_etag,
    recommendation_list,
    rollouts_visible_to,
)
from rollout.services import DEFAULT_RECOMMENDATIONS, rollout_save

# Rendered answers kept in the shared cache (settings.CACHES) expire after a
# day: their keys name the plant-local date, so none is asked for after that.
ANSWER_CACHE_SECONDS = 24 * 3600
# Part of every answer's cache key: bump it when the format of a cached answer
# changes, so that a deployment does not serve the previous format from Redis.
ANSWER_FORMAT = 1


def _not_at_plant(code: str, rollout_id: int) -> ValidationError:
    return ValidationError(
        {"rollout": [_("Rollout %(id)s does not run at plant %(plant)s.") % {
            "id": rollout_id, "plant": code}]}
    )  # fmt: skip


class RenderedResponse(Response):
    """A DRF response whose JSON is already rendered (kept in the cache):
    DRF's renderer does not run again; `data` is read back from it."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.content = body
        self["Content-Type"] = "application/json"

    @property
    def data(self):
        return json.loads(self.content)

    @data.setter
    def data(self, value) -> None:  # Response.__init__ sets None
        pass


def _cached_json(request, key: str, render: Callable[[], object]) -> Response:
    """The JSON answer kept in the shared cache under `key`, or `render()`'s
    data rendered as DRF would and kept there. `key` must name everything the
    answer depends on (never the user: who may see it is decided before). A
    cache that is down or stalled is skipped (accounts.cache.cache_guard):
    the answer is then rendered on every request. A client asking for another
    rendering (`Accept: application/json; indent=4`) gets DRF's, uncached."""
    if parse_header_parameters(request.accepted_media_type)[1]:
        return Response(render())
    key = f"offpeak:answer:{ANSWER_FORMAT}:{key}"
    body = None
    try:
        with cache_guard("API answer read"):
            body = cache.get(key)
    except CacheUnavailable:
        pass
    if body is None:
        body = JSONRenderer().render(render())
        try:
            with cache_guard("API answer write"):
                cache.set(key, body, ANSWER_CACHE_SECONDS)
        except CacheUnavailable:
            pass
    return RenderedResponse(body)


def _valid_query(serializer_class, request) -> Mapping:
    """The query parameters validated by `serializer_class`, or its 400.

    Polling clients send the same few query strings over and over: a valid
    one's result is remembered per process (validation depends on nothing
    else), which spares the serializer's per-instance set-up on each poll.
    """
    data = _validated(serializer_class, request.META.get("QUERY_STRING", ""))
    if data is None:
        form = serializer_class(data=request.query_params)
        form.is_valid(raise_exception=True)  # in the request's language
        data = form.validated_data
    return data


@functools.lru_cache(maxsize=1024)
def _validated(serializer_class, query_string: str) -> Mapping | None:
    form = serializer_class(data=QueryDict(query_string))
    return MappingProxyType(dict(form.validated_data)) if form.is_valid() else None


def _stamp(request, code: str, rollout_id: int) -> RecommendationStamp:
    """The plant's stamp for the rollout; 404 if the user does not see the
    plant, 400 if the rollout does not run there."""
    stamp = plant_recommendation_stamp(
        user=request.user, code=code, rollout_id=rollout_id
    )
    if stamp is None:
        raise NotFound()
    if stamp.rollout_revision is None:
        raise _not_at_plant(stamp.plant_code, rollout_id)
    return stamp


def _plant(stamp: RecommendationStamp) -> Plant:
    """The stamped plant, whole (a cached answer does without it)."""
    plant = Plant.objects.filter(pk=stamp.plant_id).first()
    if plant is None:  # deleted since the stamp was read
        raise NotFound()
    return plant


def _save(**kwargs) -> Rollout:
    try:
        return rollout_save(**kwargs)
    except DjangoPermissionDenied as exc:
        # DRF would answer with its generic wording; keep the service's.
        raise PermissionDenied(str(exc)) from None


def _none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison, RFC 9110 13.1.2)."""
    tags = parse_etags(header)
    return "*" in tags or etag in {t.removeprefix("W/") for t in tags}


@extend_schema(tags=["rollouts"])
class RolloutViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rollouts touching your plants. IT leads create and change them for the
    plants they are IT lead at (all of a rollout's plants); set active=false to
    retire one. Only the plants you see are listed in `plants`."""

    serializer_class = s.RolloutSerializer
    filterset_class = filters.RolloutFilter
    permission_classes = [*API_PERMISSIONS, CanPlanRollout]

    def get_queryset(self):
        user = self.request.user
        return rollouts_visible_to(user).prefetch_related(
            Prefetch("plants", queryset=plants_visible_to(user).order_by("code"))
        )

    def _respond(self, rollout: Rollout, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=rollout.pk)).data,
            status=code,
        )

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        plants = fields.pop("plants")
        rollout = _save(
            rollout=Rollout(created_by=request.user, **fields),
            plants=plants,
            user=request.user,
        )
        return self._respond(rollout, status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        rollout = self.get_object()
        form = self.get_serializer(rollout, data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        fields = dict(form.validated_data)
        plants = fields.pop("plants", None)
        for name, value in fields.items():
            setattr(rollout, name, value)
        rollout = _save(rollout=rollout, plants=plants, user=request.user)
        return self._respond(rollout)


@extend_schema(tags=["rollouts"])
class RecommendationsView(APIView):
    """The stored best go-live windows of a rollout at a plant, ranked.

    Sends an ETag; a request with If-None-Match that still matches gets 304
    Not Modified, checked with one query before any window is loaded. The
    body is rendered once per ETag and then served from the shared cache.
    """

    @extend_schema(
        parameters=[s.RecommendationQuerySerializer],
        responses={
            200: s.RecommendationListSerializer,
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
        },
    )
    def get(self, request, code: str):
        query = _valid_query(s.RecommendationQuerySerializer, request)
        rollout_id = query["rollout"]
        limit = query.get("limit", DEFAULT_RECOMMENDATIONS)
        stamp = _stamp(request, code, rollout_id)
        etag = recommendation_etag(stamp=stamp, limit=limit)
        if _none_match(request.headers.get("If-None-Match", ""), etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            # The ETag names everything the body depends on; the plant too.
            response = _cached_json(
                request,
                f"recommendations:{stamp.plant_id}:{etag}",
                lambda: self._listing(stamp, limit),
            )
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        return response

    @staticmethod
    def _listing(stamp: RecommendationStamp, limit: int) -> dict:
        plant = _plant(stamp)
        # The stamp query already read what the listing needs of the
        # rollout (id, revision): no need to load it again.
        rollout = Rollout(pk=stamp.rollout_id, revision=stamp.rollout_revision)
        listing = recommendation_list(plant=plant, rollout=rollout, limit=limit)
        return s.RecommendationListSerializer(listing, context={"plant": plant}).data


@extend_schema(tags=["rollouts"])
class EvaluationView(APIView):
    """Evaluate one go-live date of a rollout at a plant: feasibility, quietness
    score, cost, percentile among the horizon's feasible dates, conflicts, the
    nearest better alternatives and a contingency fallback.

    A POST with read-only semantics (nothing is stored): viewers and read-only
    tokens may call it.
    """

    read_only_token_methods = ("POST",)

    @extend_schema(
        request=s.EvaluationRequestSerializer,
        responses={200: s.EvaluationSerializer},
    )
    def post(self, request):
        form = s.EvaluationRequestSerializer(
            data=request.data, context={"request": request}
        )
        form.is_valid(raise_exception=True)
        plant = form.validated_data["plant"]
        rollout = plant_rollout(plant=plant, rollout_id=form.validated_data["rollout"])
        if rollout is None:
            raise _not_at_plant(plant.code, form.validated_data["rollout"])
        try:
            evaluation = go_live_evaluate(
                plant=plant, rollout=rollout, go_live=form.validated_data["go_live"]
            )
        except DateOutsideHorizon as exc:
            raise ValidationError({"go_live": [str(exc)]}) from None
        return Response(s.EvaluationSerializer(evaluation.as_dict()).data)


@extend_schema(tags=["rollouts"])
class WindowStateView(APIView):
    """May the rollout go live at the plant today? For deployment tools that
    gate a cutover.

    Rule: allowed_today is true when today (plant-local), taken as the go-live
    day, is feasible for the rollout: within its earliest/latest go-live, its
    phases fit, and no hard peak season, milestone or blackout touches its
    cutover or hypercare. If not, `reasons` and `blocking` say why. next_open
    is the first allowed day from today, next_close the first day after that
    which is not allowed (null: none within the horizon).
    """

    @extend_schema(
        parameters=[s.RolloutQuerySerializer],
        responses={200: s.WindowStateSerializer},
    )
    def get(self, request, code: str):
        try:
            rollout_id = _valid_query(s.RolloutQuerySerializer, request)["rollout"]
        except ValidationError:
            visible_plant(request, code)  # a plant not seen is a 404 first
            raise
        try:
            stamp = _stamp(request, code, rollout_id)
        except NotFound:
            visible_plant(request, code)  # the generic lookup's 404, as always
            raise
        key = window_state_key(
            plant_id=stamp.plant_id,
            calendar_revision=stamp.calendar_revision,
            rollout_id=rollout_id,
            rollout_revision=stamp.rollout_revision,
            today=stamp.today,
        )
        # Polled by deployment tools: scored once per calendar, rollout and
        # day, then served from the shared cache.
        return _cached_json(request, key, lambda: self._state(stamp))

    @staticmethod
    def _state(stamp: RecommendationStamp) -> dict:
        plant = _plant(stamp)
        rollout = plant_rollout(plant=plant, rollout_id=stamp.rollout_id)
        if rollout is None:  # taken off the plant since the stamp was read
            raise _not_at_plant(plant.code, stamp.rollout_id)
        state = window_state(plant=plant, rollout=rollout, today=stamp.today)
        return s.WindowStateSerializer(state).data
