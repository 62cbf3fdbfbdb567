"""Shapes of the calendar API's input and output. Validation of input only
(the models' own validators included): writes go through calendars.services,
called by the views."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.filters import StrictQuerySerializer
from calendars.dates import date_range_check
from calendars.kinds import ITEM_KINDS, ItemKind
from calendars.models import Plant, ProductionPlan, validate_calendar_date
from calendars.selectors import plants_visible_to

MAX_CALENDAR_DAYS = 800
MAX_FISCAL_DAYS = 3700  # about ten years of periods
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
    """A plant. Staff create plants (POST); its plant managers change its
    settings (PATCH). The code is fixed once created. Country, subdivision and
    holiday categories are checked against the holidays package, the fiscal
    fields against each other (calendars.models.Plant.clean): a bad value is a
    400 naming its field."""

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
            "fiscal_pattern",
            "fiscal_year_end_month",
            "fiscal_week_end_day",
            "close_last_days",
            "close_first_days",
        ]
        read_only_fields = ["calendar_revision"]
        extra_kwargs = {
            "fiscal_week_end_day": {
                "help_text": "0 (Monday) to 6 (Sunday): the 4-4-5, 4-5-4 and "
                "5-4-4 patterns only (null for months)."
            },
            "close_last_days": {
                "help_text": "Last working days of each fiscal period under a "
                "generated period-close blackout (soft; hard at the fiscal "
                "year's end). 0-20."
            },
            "close_first_days": {
                "help_text": "First working days of each fiscal period under "
                "the close blackout (soft). 0-20."
            },
        }

    def validate_holiday_categories(self, value):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise serializers.ValidationError("A list of category names.")
        return value

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # the code names the plant in every URL
            fields["code"].read_only = True
        return fields


class FiscalPeriodQuerySerializer(StrictQuerySerializer):
    start = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text="First day; default: today (plant-local).",
    )
    end = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text=f"Last day, inclusive; default: start + 364 days. At most "
        f"{MAX_FISCAL_DAYS} days from start to end.",
    )

    def validate(self, attrs):
        date_range_check(attrs.get("start"), attrs.get("end"), max_days=MAX_FISCAL_DAYS)
        return attrs


class FiscalPeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        help_text="Fiscal year, named by the calendar year it ends in."
    )
    quarter = serializers.IntegerField(help_text="1-4.")
    period = serializers.IntegerField(help_text="1-12.")
    start = serializers.DateField()
    end = serializers.DateField(help_text="Inclusive.")


class OccurrenceSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class HolidayAnchorSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Stable across years and languages; the `anchor` of a season, "
        "milestone or blackout."
    )
    name = serializers.CharField(help_text="In the request's language.")
    next_date = serializers.DateField(
        help_text="First day of its next occurrence (plant-local today or later)."
    )


class SuggestedSeasonSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="What POST takes to accept it.")
    name = serializers.CharField(help_text="In the request's language.")
    anchor = serializers.CharField()
    anchor_name = serializers.CharField(help_text="In the request's language.")
    days_before = serializers.IntegerField()
    days_after = serializers.IntegerField()
    severity = serializers.IntegerField()
    hard = serializers.BooleanField()
    why = serializers.CharField()
    occurrences = OccurrenceSerializer(many=True)
    exists = serializers.BooleanField(
        help_text="The plant already has a season with this anchor and name."
    )


class SuggestedSeasonsAcceptSerializer(serializers.Serializer):
    suggestions = serializers.ListField(
        child=serializers.CharField(max_length=100),
        allow_empty=False,
        max_length=20,
        help_text="Keys of the suggestions to create as anchored seasons.",
    )


def _occurrences_field(kind: ItemKind):
    def get_occurrences(self, item) -> list[dict]:
        return [{"start": a, "end": b} for a, b in item.horizon_occurrences()]

    field = extend_schema_field(OccurrenceSerializer(many=True))(
        serializers.SerializerMethodField(
            help_text="Its spans (start, end inclusive) from the plant's today "
            "to the end of the scoring horizon; one per year when anchored."
        )
    )
    return field, get_occurrences


def item_serializer(kind: ItemKind) -> type[serializers.ModelSerializer]:
    """The API shape of a calendar kind, from its entry in calendars.kinds: id,
    plant (a code; null for company-wide items where the kind has them), the
    edited fields, its computed dates read-only and, for kinds that may be
    anchored to a holiday, their occurrences within the horizon."""
    extra = ("occurrences",) if kind.anchorable else ()
    attrs: dict = {
        "plant": VisiblePlantField(
            allow_null=kind.company_wide,
            help_text="Plant code; null for a company-wide item (staff only)."
            if kind.company_wide
            else "Plant code.",
        ),
        **{name: serializers.DateField(read_only=True) for name in kind.computed_dates},
        "Meta": type(
            "Meta",
            (),
            {
                "model": kind.model,
                "fields": [
                    "id",
                    "plant",
                    *kind.fields,
                    *kind.computed_dates,
                    *extra,
                ],
            },
        ),
    }
    if kind.anchorable:
        attrs["occurrences"], attrs["get_occurrences"] = _occurrences_field(kind)
    return type(
        f"{kind.model.__name__}Serializer", (serializers.ModelSerializer,), attrs
    )


ITEM_SERIALIZERS = {key: item_serializer(kind) for key, kind in ITEM_KINDS.items()}


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
        help_text="CSV or Excel .xlsx with the columns date, load, "
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


class CalendarQuerySerializer(StrictQuerySerializer):
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
        date_range_check(
            attrs.get("start"), attrs.get("end"), max_days=MAX_CALENDAR_DAYS
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
    plan_rows_skipped = serializers.IntegerField(
        help_text="Stored plan rows for this day that are not finite or out of "
        "range and were left out (the day falls back to the plant's default "
        "utilisation); 0 normally."
    )
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


def _with_kind_columns(base: type[serializers.Serializer]) -> type:
    """The day's columns of every calendar kind (calendars.kinds), those not
    described above included."""
    extra: dict = {}
    for kind in ITEM_KINDS.values():
        if kind.level_column and kind.level_column not in base._declared_fields:
            extra[kind.level_column] = serializers.IntegerField()
        if kind.names_column and kind.names_column not in base._declared_fields:
            extra[kind.names_column] = serializers.ListField(
                child=serializers.CharField()
            )
    return type(base.__name__, (base,), extra) if extra else base


CalendarDaySerializer = _with_kind_columns(CalendarDaySerializer)
