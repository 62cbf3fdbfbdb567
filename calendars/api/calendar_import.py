"""POST /api/plants/{code}/calendar-import/: closures or blackouts from an
iCalendar (.ics) file, previewed (confirm=false) or saved (confirm=true)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions as rules
from calendars.api.permissions import CanEditCalendarItem
from calendars.api.views import visible_plant
from calendars.imports.ics import KINDS, CalendarFileError, calendar_file_parse
from calendars.imports.ics_store import calendar_file_import

# "as" is a Python keyword: the form's fields are declared by name.
CalendarImportSerializer = type(
    "CalendarImportSerializer",
    (serializers.Serializer,),
    {
        "file": serializers.FileField(help_text="An iCalendar (.ics) file."),
        "as": serializers.ChoiceField(
            choices=list(KINDS), help_text="What its events become."
        ),
        "confirm": serializers.BooleanField(
            default=False,
            help_text="false: a preview, nothing saved; true: save the items.",
        ),
        "hard": serializers.BooleanField(
            default=False, help_text="Blackouts only: no cutover or hypercare."
        ),
    },
)


class CalendarImportItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    uid = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    timed = serializers.BooleanField()
    recurring = serializers.BooleanField()
    duplicate = serializers.BooleanField(
        help_text="Already in the calendar (or earlier in the file): not saved."
    )


class CalendarImportSkippedSerializer(serializers.Serializer):
    event = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()


class CalendarImportHorizonSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


CalendarImportPreviewSerializer = type(
    "CalendarImportPreviewSerializer",
    (serializers.Serializer,),
    {
        "file": serializers.CharField(),
        "as": serializers.CharField(),
        "horizon": CalendarImportHorizonSerializer(),
        "items": CalendarImportItemSerializer(many=True),
        "skipped": CalendarImportSkippedSerializer(many=True),
    },
)


class CalendarImportCreatedSerializer(CalendarImportPreviewSerializer):
    created = serializers.ListField(child=serializers.IntegerField())
    calendar_revision = serializers.IntegerField()


def preview_data(preview) -> dict:
    return {
        "file": preview.filename,
        "as": preview.kind,
        "horizon": {"start": preview.first, "end": preview.last},
        "items": [
            {
                "kind": preview.kind,
                "name": e.name,
                "start": e.start,
                "end": e.end,
                "uid": e.uid,
                "line": e.line,
                "timed": e.timed,
                "recurring": e.recurring,
                "duplicate": e.duplicate,
            }
            for e in preview.entries
        ],
        "skipped": [
            {"event": s.event, "line": s.line, "reason": s.reason}
            for s in preview.skipped
        ],
    }


class CalendarImportView(APIView):
    """Closures or blackouts from an .ics file (Outlook, Google Calendar, a
    change-management tool). Recurring events are expanded within the plant's
    planning horizon; all-day and timed events become whole plant-local days.

    `confirm=false` answers 200 with the preview and saves nothing;
    `confirm=true` saves the new items atomically and answers 201 with their
    ids. A file with any problem saves nothing and answers 400 with
    {"file", "errors": [{"line", "event", "message"}]}.
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["calendar"],
        summary="Import closures or blackouts from an iCalendar file",
        request={"multipart/form-data": CalendarImportSerializer},
        responses={
            200: CalendarImportPreviewSerializer,
            201: CalendarImportCreatedSerializer,
            # Two shapes, so the schema says "an object" and describes both.
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=(
                    'The file\'s problems: {"file", "errors": [{"line", "event", '
                    '"message"}]}; or, for a missing or bad form field, '
                    "{field: [messages]}."
                ),
            ),
        },
    )
    def post(self, request, code: str):
        plant = visible_plant(request, code)
        if not rules.can_edit_calendar(request.user, plant):
            raise PermissionDenied(CanEditCalendarItem.message)
        form = CalendarImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = form.validated_data
        try:
            if not values["confirm"]:
                preview = calendar_file_parse(
                    plant=plant, file=values["file"], kind=values["as"]
                )
                return Response(preview_data(preview))
            result = calendar_file_import(
                plant=plant, file=values["file"], kind=values["as"], hard=values["hard"]
            )
        except CalendarFileError as exc:
            return Response(
                {
                    "file": exc.filename,
                    "errors": [
                        {"line": e.line, "event": e.event, "message": e.message}
                        for e in exc.errors
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                **preview_data(result.preview),
                "created": result.ids,
                "calendar_revision": plant.calendar_revision,
            },
            status=status.HTTP_201_CREATED,
        )
