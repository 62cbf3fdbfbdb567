"""Shapes of the calendar API's input and output. Validation of input only
(the models' own validators included): writes go through calendars.services,
called by the views."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
    validate_calendar_date,
)
from calendars.selectors import plants_visible_to

MAX_CALENDAR_DAYS = 800
MAX_DB_INT = 2**31 - 1


@extend_schema_field({"type": "string", "description": "Plant code."})
class VisiblePlantField(serializers.SlugRelatedField):
    """A plant by code, among the plants the requesting user sees: any other
    code is reported as not existing (400), whether it exists or not."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return plants_visible_to(user) if user else Plant.objects.none()


# --- plants and their calendars -------------------------------------------


class PlantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plant
        fields = [
            "code",
            "name",
            "timezone",
            "country",
            "subdivision",
            "calendar_revision",
            "holiday_categories",
            "weekend_days",
            "default_utilisation",
        ]
        read_only_fields = fields


class PeakSeasonSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(
        allow_null=True,
        help_text="Plant code; null for a company-wide season (staff only).",
    )

    class Meta:
        model = PeakSeason
        fields = [
            "id",
            "plant",
            "name",
            "start",
            "end",
            "recurring_yearly",
            "severity",
            "hard",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")
    buffered_start = serializers.DateField(
        read_only=True, help_text="Start minus the freeze buffer before."
    )
    buffered_end = serializers.DateField(
        read_only=True, help_text="End plus the freeze buffer after."
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "plant",
            "name",
            "kind",
            "start",
            "end",
            "criticality",
            "freeze_before_days",
            "freeze_after_days",
            "hard",
            "buffered_start",
            "buffered_end",
        ]


class BlackoutSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")

    class Meta:
        model = Blackout
        fields = [
            "id",
            "plant",
            "name",
            "kind",
            "start",
            "end",
            "rrule",
            "duration_days",
            "hard",
        ]


class CalendarExceptionSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")

    class Meta:
        model = CalendarException
        fields = ["id", "plant", "name", "kind", "start", "end"]


class ProductionPlanSerializer(serializers.ModelSerializer):
    plant = serializers.SlugRelatedField(slug_field="code", read_only=True)
    imported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ProductionPlan
        fields = [
            "plant",
            "version",
            "granularity",
            "source_name",
            "imported_by",
            "imported_at",
            "period_start",
            "period_end",
            "row_count",
            "active",
        ]
        read_only_fields = fields


class ProductionPlanCreatedSerializer(ProductionPlanSerializer):
    superseded_versions = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Older plan versions lying wholly within this one, now inactive.",
    )

    class Meta(ProductionPlanSerializer.Meta):
        fields = [*ProductionPlanSerializer.Meta.fields, "superseded_versions"]
        read_only_fields = fields


class ProductionPlanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) or Excel .xlsx with the columns date, load, "
        "capacity and optionally work_centre; header in row 1."
    )
    granularity = serializers.ChoiceField(choices=ProductionPlan.Granularity.choices)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="File row (header = 1); null: the whole file."
    )
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    """A file that cannot be imported: {"errors": [...]}, every problem with
    its row and column. A missing file or granularity is reported like any
    invalid field instead: {"file": ["…"]}."""

    errors = ImportErrorSerializer(many=True, required=False)


class CalendarQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text="First day (plant-local); default: today.",
    )
    end = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text=f"Last day, inclusive; default: start + 89 days. At most "
        f"{MAX_CALENDAR_DAYS} days from start to end.",
    )

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end:
            if end < start:
                raise serializers.ValidationError(
                    {"end": "The end is before the start."}
                )
            if (end - start).days + 1 > MAX_CALENDAR_DAYS:
                raise serializers.ValidationError(
                    {"end": f"Ask for at most {MAX_CALENDAR_DAYS} days at a time."}
                )
        return attrs


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working = serializers.BooleanField()
    reason = serializers.CharField(
        help_text="Holiday name, weekend, closure, make-up day…; empty on an "
        "ordinary working day."
    )
    provisional = serializers.BooleanField(
        help_text="The official holiday arrangement of that year is not published."
    )
    absence = serializers.BooleanField(help_text="Holiday or closure: staff away.")
    utilisation = serializers.FloatField(help_text="Planned load / capacity.")
    peak_severity = serializers.IntegerField(help_text="0 (none) to 5.")
    seasons = serializers.ListField(child=serializers.CharField())
    milestone_pressure = serializers.IntegerField(
        help_text="Highest criticality (0-5) of the milestones whose buffered "
        "span covers the day."
    )
    milestones = serializers.ListField(
        child=serializers.CharField(), help_text="Including their freeze buffers."
    )
    blackouts = serializers.ListField(child=serializers.CharField())
    forbidden = serializers.BooleanField(
        help_text="A hard season, milestone or blackout forbids cutover/hypercare."
    )
    forbidden_reason = serializers.CharField()
