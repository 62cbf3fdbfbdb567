"""REST API of go-live proposals: /api/proposals/…

Thin views: parse input with a serializer, call one service or selector, answer
with the proposal. Proposals of plants the user cannot see are 404; a missing
role is 403; a move not possible from the current status (or lost to a
concurrent one) is 409; bad input is 400 by field.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from calendars.selectors import plants_visible_to
from proposals import selectors, services, workflow
from proposals.api.serializers import (
    STEP_INPUTS,
    ErrorSerializer,
    ListFilterInput,
    NeedsActionSerializer,
    ObservationInput,
    ObservationSerializer,
    ProposalCreateInput,
    ProposalDetailSerializer,
    ProposalSerializer,
    ProposalUpdateInput,
    ReadinessItemCreateInput,
    ReadinessItemSerializer,
    ReadinessItemUpdateInput,
    ReviewInput,
    ReviewSerializer,
    proposal_detail,
)
from proposals.models import (
    GoLiveProposal,
    ProposalReview,
    ReadinessItem,
)
from rollout.selectors import rollouts_visible_to

# The project's defaults (token scopes) still apply; a session or token is needed.
PERMISSION_CLASSES = [*api_settings.DEFAULT_PERMISSION_CLASSES, IsAuthenticated]


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The proposal's current state does not allow this."
    default_code = "conflict"


def _call(service, **kwargs):
    """Run a service, turning its errors into 403 / 409 / 400."""
    try:
        return service(**kwargs)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.IllegalTransition as exc:
        raise Conflict(str(exc)) from None
    except DjangoValidationError as exc:
        detail = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
        raise DRFValidationError(detail) from None


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- views ----------------------------------------------------------------------

CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="Not possible from the proposal's current status, the "
    "checklist is not complete, or a concurrent change won: reload.",
)
TAGS = ["proposals"]
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="proposal id")
ITEM = OpenApiParameter("item_pk", int, OpenApiParameter.PATH, description="item id")


class ProposalViewMixin:
    permission_classes = PERMISSION_CLASSES

    def get_proposal(self, pk) -> GoLiveProposal:
        try:
            return selectors.proposal_get(user=self.request.user, pk=_number(pk))
        except GoLiveProposal.DoesNotExist:
            raise Http404("No such proposal.") from None

    def detail_response(self, pk, code=status.HTTP_200_OK) -> Response:
        proposal = self.get_proposal(pk)
        return Response(
            proposal_detail(proposal=proposal, user=self.request.user), status=code
        )


def _number(value) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404("Not found.") from None


def _visible_plant(user, code: str):
    return plants_visible_to(user).filter(code=code).first()


class ProposalListView(ProposalViewMixin, GenericAPIView):
    """GET: proposals at your plants. POST: a draft proposal (IT lead)."""

    serializer_class = ProposalSerializer
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        parameters=[ListFilterInput],
        responses=ProposalSerializer(many=True),
    )
    def get(self, request):
        filters = _valid(ListFilterInput, request.query_params)
        plant = None
        if "plant" in filters:
            plant = _visible_plant(request.user, filters["plant"])
            if plant is None:
                return self._page(GoLiveProposal.objects.none())
        day = filters.get("date")
        proposals = selectors.proposal_list(
            user=request.user,
            plant=plant,
            status=filters.get("status"),
            rollout_id=filters.get("rollout"),
            go_live_from=day or filters.get("go_live_from"),
            go_live_to=day or filters.get("go_live_to"),
            flagged=filters.get("flagged"),
        )
        return self._page(proposals)

    def _page(self, proposals) -> Response:
        page = self.paginate_queryset(proposals)
        if page is not None:
            return self.get_paginated_response(ProposalSerializer(page, many=True).data)
        return Response(ProposalSerializer(proposals, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=ProposalCreateInput,
        responses={201: ProposalDetailSerializer},
    )
    def post(self, request):
        data = _valid(ProposalCreateInput, request.data)
        plant = _visible_plant(request.user, data.pop("plant"))
        if plant is None:
            raise DRFValidationError({"plant": ["No such plant."]})
        # Among the rollouts the user sees: another plant's stay unknown.
        rollout = (
            rollouts_visible_to(request.user).filter(pk=data.pop("rollout")).first()
        )
        if rollout is None:
            raise DRFValidationError({"rollout": ["No such rollout."]})
        proposal = _call(
            services.proposal_create,
            user=request.user,
            rollout=rollout,
            plant=plant,
            **data,
        )
        return self.detail_response(proposal.pk, code=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID])
class ProposalDetailView(ProposalViewMixin, APIView):
    """GET: the proposal with its checklist, history and your possible actions.
    PATCH: the go-live date or contingency plan of a draft (any IT lead of the
    plant), or of a submitted or rejected proposal (its proposer only): that
    revision is evaluated again, goes back to `submitted` and the plant
    managers are e-mailed what changed. Later statuses answer 409."""

    @extend_schema(tags=TAGS, responses=ProposalDetailSerializer)
    def get(self, request, pk: int):
        return self.detail_response(pk)

    @extend_schema(
        tags=TAGS,
        request=ProposalUpdateInput,
        responses={200: ProposalDetailSerializer, 409: CONFLICT},
    )
    def patch(self, request, pk: int):
        proposal = self.get_proposal(pk)
        data = _valid(ProposalUpdateInput, request.data)
        _call(services.proposal_update, proposal=proposal, user=request.user, **data)
        return self.detail_response(pk)


class ProposalActionView(ProposalViewMixin, APIView):
    """POST /api/proposals/{id}/<action>/: one workflow move (see ACTIONS)."""

    action_name = ""

    def post(self, request, pk: int):
        proposal = self.get_proposal(pk)
        data = _valid(STEP_INPUTS[self.action_name], request.data)
        service = workflow.service(self.action_name)
        _call(service, proposal=proposal, user=request.user, **data)
        return self.detail_response(pk)


def _action_view(name: str) -> type[ProposalActionView]:
    step = workflow.STEPS[name]

    @extend_schema(
        tags=TAGS,
        operation_id=f"proposals_{name}",
        parameters=[ID],
        description=(workflow.service(name).__doc__ or str(step.label)).strip(),
        request=STEP_INPUTS[name],
        responses={200: ProposalDetailSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        return ProposalActionView.post(self, request, pk)

    return type(
        f"Proposal{name.title()}View",
        (ProposalActionView,),
        {"action_name": name, "post": post, "__doc__": f"POST: {name}."},
    )


ACTION_VIEWS = {name: _action_view(name) for name in workflow.STEPS}


@extend_schema(parameters=[ID])
class ChecklistView(ProposalViewMixin, APIView):
    """GET: the readiness checklist. POST: add an item."""

    @extend_schema(tags=TAGS, responses=ReadinessItemSerializer(many=True))
    def get(self, request, pk: int):
        proposal = self.get_proposal(pk)
        items = selectors.readiness_item_list(proposal=proposal)
        return Response(ReadinessItemSerializer(items, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=ReadinessItemCreateInput,
        responses={201: ReadinessItemSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        proposal = self.get_proposal(pk)
        data = _valid(ReadinessItemCreateInput, request.data)
        data["owner"] = _call(
            services.readiness_owner_get, proposal=proposal, owner_id=data.get("owner")
        )
        item = _call(
            services.readiness_item_create, proposal=proposal, user=request.user, **data
        )
        return Response(
            ReadinessItemSerializer(item).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=[ID, ITEM])
class ChecklistItemView(ProposalViewMixin, APIView):
    """GET / PATCH (done: true records who and when) / DELETE one item."""

    def get_item(self, pk, item_pk) -> ReadinessItem:
        proposal = self.get_proposal(pk)
        item = selectors.readiness_item_list(proposal=proposal).filter(
            pk=_number(item_pk)
        )
        if not item:
            raise Http404("No such checklist item.")
        return item[0]

    @extend_schema(tags=TAGS, responses=ReadinessItemSerializer)
    def get(self, request, pk: int, item_pk: int):
        return Response(ReadinessItemSerializer(self.get_item(pk, item_pk)).data)

    @extend_schema(
        tags=TAGS,
        request=ReadinessItemUpdateInput,
        responses={200: ReadinessItemSerializer, 409: CONFLICT},
    )
    def patch(self, request, pk: int, item_pk: int):
        item = self.get_item(pk, item_pk)
        data = _valid(ReadinessItemUpdateInput, request.data)
        if "owner" in data:
            data["owner"] = _call(
                services.readiness_owner_get,
                proposal=item.proposal,
                owner_id=data["owner"],
            )
        item = _call(
            services.readiness_item_update, item=item, user=request.user, **data
        )
        return Response(ReadinessItemSerializer(item).data)

    @extend_schema(tags=TAGS, responses={204: None, 409: CONFLICT})
    def delete(self, request, pk: int, item_pk: int):
        item = self.get_item(pk, item_pk)
        _call(services.readiness_item_delete, item=item, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[ID])
class ObservationListView(ProposalViewMixin, APIView):
    """GET: observations, newest first. POST: record one (IT lead, manager)."""

    @extend_schema(tags=TAGS, responses=ObservationSerializer(many=True))
    def get(self, request, pk: int):
        proposal = self.get_proposal(pk)
        observations = selectors.observation_list(proposal=proposal)
        return Response(ObservationSerializer(observations, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=ObservationInput,
        responses={201: ObservationSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        proposal = self.get_proposal(pk)
        data = _valid(ObservationInput, request.data)
        observation = _call(
            services.observation_create, proposal=proposal, user=request.user, **data
        )
        return Response(
            ObservationSerializer(observation).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=[ID])
class ReviewView(ProposalViewMixin, APIView):
    """GET: the closing review (404 before closing). PATCH: amend it."""

    def get_review(self, pk) -> ProposalReview:
        review = selectors.review_get(proposal=self.get_proposal(pk))
        if review is None:
            raise Http404("This proposal has no review yet.")
        return review

    @extend_schema(tags=TAGS, responses=ReviewSerializer)
    def get(self, request, pk: int):
        return Response(ReviewSerializer(self.get_review(pk)).data)

    @extend_schema(tags=TAGS, request=ReviewInput, responses=ReviewSerializer)
    def patch(self, request, pk: int):
        review = self.get_review(pk)
        data = _valid(ReviewInput, request.data)
        review = _call(services.review_update, review=review, user=request.user, **data)
        return Response(ReviewSerializer(review).data)


class ReviewListView(ProposalViewMixin, GenericAPIView):
    """GET: closing reviews at your plants, newest first: what earlier
    go-lives learned."""

    serializer_class = ReviewSerializer
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("plant", str, description="plant code", required=False)
        ],
        responses=ReviewSerializer(many=True),
    )
    def get(self, request):
        code = request.query_params.get("plant")
        if code:
            plant = _visible_plant(request.user, code)
            reviews = (
                selectors.review_list(user=request.user, plant=plant)
                if plant
                else ProposalReview.objects.none()
            )
        else:
            reviews = selectors.review_list(user=request.user)
        page = self.paginate_queryset(reviews)
        if page is not None:
            return self.get_paginated_response(ReviewSerializer(page, many=True).data)
        return Response(ReviewSerializer(reviews, many=True).data)


class NeedsActionView(ProposalViewMixin, APIView):
    """GET: what waits for you (the dashboard)."""

    @extend_schema(tags=TAGS, responses=NeedsActionSerializer)
    def get(self, request):
        needs = selectors.proposal_needs_action(user=request.user)
        return Response(NeedsActionSerializer(needs).data)
