"""Follow-up: indicators and their targets, the measured values, the reporting periods of each year,
and each decided goal's follow-up in them.

Indicators, targets, values and reporting periods are public, like the decided goals they measure;
staff change them, and whoever manages or edits a unit imports values (``goals.import_measurements``)
for the indicators whose values are theirs to write (``goals.write_indicator_values``).
A follow-up is read as ``goals.follow_up.reporting.follow_ups_visible_to`` says (the public reads reviewed
ones only), reported by the goal's reporters (``goals.report_follow_up``) and reviewed by its
deciders other than whoever submitted it (``goals.review_follow_up``), through the services in
``goals.follow_up.services``.

Indicators, values, reporting periods and follow-ups are addressed by their id; an indicator in a
value or a target by its code. A list costs the same queries at any size.
"""

from __future__ import annotations

import rules
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api.fields import UserField
from api.filters import IdFilter, WordsFilter, YearFilter
from api.permissions import PUBLIC, reads, updates, writes
from api.schema import changes, summaries
from api.serializers import CheckedModelSerializer, VersionedSerializer
from api.viewsets import ReadViewSet, ReadWriteViewSet, RulesViewSet
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import assess, follow_ups_visible_to, with_readings
from goals.follow_up.services import follow_up_return, follow_up_review, follow_up_save, follow_up_submit
from goals.indicators.file_import import MAX_ROWS, MeasurementRow, measurements_import, measurements_plan
from goals.models import (
    FollowUp,
    Gender,
    Goal,
    Indicator,
    IndicatorSource,
    Measurement,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
    Target,
)
from goals.rules import reviews_follow_up


def value_field(**kwargs) -> serializers.DecimalField:
    """A measured value, a target or a reference, as the measurements store them."""
    return serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True, **kwargs)


# Indicators and targets -------------------------------------------------------------------------


class TargetSerializer(CheckedModelSerializer, VersionedSerializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.all(), help_text="The indicator's code."
    )

    class Meta:
        model = Target
        fields = ["id", "indicator", "year", "value", "version"]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["year", "value"]


class IndicatorSerializer(CheckedModelSerializer, VersionedSerializer):
    goals = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Goal.objects.all(),
        help_text="The ids of the goals it measures (those the caller may see).",
    )
    targets = IndicatorTargetSerializer(
        many=True, read_only=True, help_text="The target per year; changed through /targets/."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit_of_measure",
            "direction",
            "decimals",
            "source",
            "kolada_kpi",
            "baseline_year",
            "baseline_value",
            "goals",
            "targets",
            "version",
        ]


class IndicatorFilter(filters.FilterSet):
    source = filters.ChoiceFilter(choices=IndicatorSource.choices)
    kolada_kpi = filters.CharFilter(help_text="Only the indicators of this Kolada key figure (N00914).")
    goal = IdFilter(field_name="goals", help_text="Only the indicators measuring the goal with this id.")
    search = WordsFilter()

    class Meta:
        model = Indicator
        fields = ["source", "kolada_kpi", "goal"]


@summaries(
    list="The indicators, by name, each with its targets",
    create="Add an indicator (staff)",
    **changes("an indicator", by="staff"),
)
class IndicatorViewSet(ReadWriteViewSet):
    """What measures the goals: public, like the decided goals; staff change them."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        # The goals it measures that the caller may see (an anonymous visitor: the decided ones).
        goals = Goal.objects.visible_to(self.request.user).only("pk")
        return Indicator.objects.prefetch_related(
            Prefetch("targets", Target.objects.order_by("year")), Prefetch("goals", goals)
        )


class IndicatorYearFilter(filters.FilterSet):
    """Targets or values: of one indicator, of one year."""

    indicator = filters.CharFilter(
        field_name="indicator__code", help_text="Only the indicator with this code."
    )
    year = YearFilter()


class TargetFilter(IndicatorYearFilter):
    class Meta:
        model = Target
        fields = ["indicator", "year"]


@summaries(
    create="Set an indicator's target for a year (staff)",
    **changes("a target", by="staff"),
    destroy="Remove a target (staff)",
)
class TargetViewSet(ReadWriteViewSet, mixins.DestroyModelMixin):
    """The value each indicator should reach each year: public; staff set them."""

    action_rules = {**reads(PUBLIC), **writes(rules.is_staff), "destroy": rules.is_staff}
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return Target.objects.select_related("indicator").order_by("indicator__code", "year")


# Measurements -----------------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The indicator's code."
    )
    reporting_period = serializers.SlugRelatedField(
        slug_field="kind",
        read_only=True,
        allow_null=True,
        help_text="The reporting period of the year (t1, interim, annual); null for the whole year's value.",
    )

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "year",
            "reporting_period",
            "gender",
            "value",
            "comment",
            "source",
            "entered_at",
        ]


class BulkRowSerializer(serializers.Serializer):
    """One value to add or change, as a row of an import file."""

    indicator = serializers.CharField(help_text="The indicator's code.")
    year = serializers.CharField(help_text="The year, 2000 to 2100.")
    reporting_period = serializers.ChoiceField(
        choices=ReportingPeriodKind.choices,
        allow_null=True,
        required=False,
        help_text="The reporting period of the year; null (or left out) for the whole year's value.",
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default=Gender.TOTAL)
    value = serializers.CharField(help_text="The value: a number, with a decimal point or comma.")
    comment = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="Left out or null: the comment already entered stays as it is.",
    )


class BulkSerializer(serializers.Serializer):
    rows = BulkRowSerializer(many=True, allow_empty=False, max_length=MAX_ROWS)
    dry_run = serializers.BooleanField(
        default=False, help_text="Plan the rows and say what they would do, without writing anything."
    )

    def rows_to_import(self) -> list[MeasurementRow]:
        return [
            MeasurementRow(
                line=index,
                indicator=row["indicator"],
                year=row["year"],
                value=row["value"],
                reporting_period=row.get("reporting_period") or "",
                gender=row["gender"],
                comment=row.get("comment"),
            )
            for index, row in enumerate(self.validated_data["rows"])
        ]


class PlannedRowSerializer(serializers.Serializer):
    index = serializers.IntegerField(source="line")
    action = serializers.ChoiceField(choices=["new", "changed", "unchanged"])
    before = value_field(coerce_to_string=True)
    after = value_field()


class BulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rows = PlannedRowSerializer(many=True, help_text="What each row does (a dry run), or did.")


class MeasurementFilter(IndicatorYearFilter):
    reporting_period = filters.ChoiceFilter(
        choices=[*ReportingPeriodKind.choices, ("year", "year")],
        method="filter_reporting_period",
        help_text="Only the values of this reporting period; year for the whole years' own values.",
    )
    gender = filters.ChoiceFilter(choices=Gender.choices)

    class Meta:
        model = Measurement
        fields = ["indicator", "year", "reporting_period", "gender"]

    def filter_reporting_period(self, queryset, name, value):
        if value == "year":
            return queryset.filter(reporting_period__isnull=True)
        return queryset.filter(reporting_period__kind=value)


@summaries(list="The measured values, the published figures")
class MeasurementViewSet(RulesViewSet, mixins.ListModelMixin):
    """The values measured: public; whoever may import measurements adds and changes them in bulk,
    for the indicators whose values they may write."""

    action_rules = {"list": PUBLIC, "bulk": "goals.import_measurements"}
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter

    def get_queryset(self):
        return Measurement.objects.select_related("indicator", "reporting_period").order_by(
            "indicator__code", "year", F("reporting_period__ends").asc(nulls_first=True), "gender"
        )

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Add or change many values at once, all or nothing, as an import file does.

        Each row is checked as a row of an import file. When any row names an indicator whose values
        the caller may not write (only those responsible for the goals it measures may, and staff),
        nothing is written and the reply is a 403 naming those indicators. Otherwise, when any row
        is bad nothing is written and the reply (a 400) lists each bad row's reasons under
        ``rows.<index>``. Sending the same rows again changes nothing. With ``dry_run`` the reply
        says what each row would do, and nothing is written.
        """
        bulk = BulkSerializer(data=request.data)
        bulk.is_valid(raise_exception=True)
        plan = measurements_plan(rows=bulk.rows_to_import(), by=request.user)
        if plan.refused:
            raise PermissionDenied(
                gettext("You may not enter values for these indicators: %(codes)s.")
                % {"codes": ", ".join(plan.refused)}
            )
        bad = {}
        for line, problem in plan.bad_rows:
            bad.setdefault(str(line), []).append(problem)
        if bad:
            raise serializers.ValidationError({"rows": bad})
        dry_run = bulk.validated_data["dry_run"]
        if dry_run:
            counts = {
                "created": plan.count("new"),
                "updated": plan.count("changed"),
                "unchanged": plan.count("unchanged"),
            }
        else:
            record = measurements_import(plan=plan, by=request.user, file_name="API")
            counts = {"created": record.created, "updated": record.updated, "unchanged": record.unchanged}
        result = {"dry_run": dry_run, **counts, "rows": plan.rows}
        return Response(BulkResultSerializer(result).data, status=status.HTTP_200_OK)


# Reporting periods ------------------------------------------------------------------------------


class ReportingPeriodSerializer(CheckedModelSerializer):
    year = serializers.IntegerField(source="period.year", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "year", "kind", "starts", "ends", "deadline", "is_open"]
        read_only_fields = ["kind"]


class ReportingPeriodFilter(filters.FilterSet):
    year = YearFilter(field_name="period__year")

    class Meta:
        model = ReportingPeriod
        fields = ["year"]


@summaries(
    list="The reporting periods, year by year",
    update="Change a reporting period's dates or open it (staff)",
    partial_update="Change some of a reporting period's fields (staff)",
)
class ReportingPeriodViewSet(ReadViewSet, mixins.UpdateModelMixin):
    """The parts of each year that goals are followed up for: public; staff set their dates and open or close them."""

    action_rules = {**reads(PUBLIC), **updates(rules.is_staff)}
    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilter

    def get_queryset(self):
        return ReportingPeriod.objects.select_related("period")


# Follow-ups -------------------------------------------------------------------------------------


class FollowUpSerializer(VersionedSerializer):
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.all(), help_text="The goal's id.")
    reporting_period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.select_related("period"), help_text="The reporting period's id."
    )
    year = serializers.IntegerField(source="reporting_period.period.year", read_only=True)
    reported_by = UserField(
        read_only=True, allow_null=True, help_text="Who last saved it; null for the system."
    )
    submitted_by = UserField(
        read_only=True,
        allow_null=True,
        help_text="Who last sent it for review; someone else who decides the goal reviews it.",
    )
    reviewed_by = UserField(
        read_only=True, allow_null=True, help_text="Who reviewed it; null until reviewed."
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "goal",
            "reporting_period",
            "year",
            "attainment",
            "commentary",
            "next_steps",
            "status",
            "return_comment",
            "reported_by",
            "submitted_by",
            "reviewed_by",
            "reviewed_at",
            "version",
        ]
        read_only_fields = ["status", "return_comment", "reviewed_at"]
        validators = []  # one per goal and period: follow_up_save says who reported first (409)

    def create(self, validated_data):
        # A first report: one that someone else made meanwhile is not overwritten (409).
        return follow_up_save(by=self.context["request"].user, version=None, **validated_data)

    def update(self, instance, validated_data):
        report = {name: getattr(instance, name) for name in ("attainment", "commentary", "next_steps")}
        report |= {name: value for name, value in validated_data.items() if name in report}
        return follow_up_save(
            goal=instance.goal,
            reporting_period=instance.reporting_period,
            by=self.context["request"].user,
            version=instance.version,
            **report,
        )


class ChangedFollowUpSerializer(FollowUpSerializer):
    """A follow-up being reported on: its goal and reporting period stay."""

    goal = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The goal's id.")
    reporting_period = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The reporting period's id."
    )


class IndicatorResultSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code", help_text="The indicator's code.")
    value = value_field(source="reading.value")
    target = value_field(source="reading.target")
    reference = value_field(source="reading.reference")
    grade = serializers.ChoiceField(choices=Attainment.choices)


class GradeCountSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Attainment.choices)
    count = serializers.IntegerField()

    def to_representation(self, instance):
        grade, count = instance
        return {"grade": grade, "count": count}


class AssessedFollowUpSerializer(FollowUpSerializer):
    """A follow-up with what the goal's indicators suggest and the roll-up of the goals below."""

    suggested = serializers.ChoiceField(
        source="assessment.suggested",
        choices=Attainment.choices,
        read_only=True,
        help_text="The grade the goal's indicators suggest.",
    )
    roll_up = serializers.ChoiceField(
        source="assessment.roll_up",
        choices=Attainment.choices,
        read_only=True,
        help_text="The grades reported for the goals that break this one down, combined.",
    )
    below = GradeCountSerializer(
        source="assessment.below",
        many=True,
        read_only=True,
        help_text="How many goals below have each grade.",
    )
    indicators = IndicatorResultSerializer(source="assessment.indicators", many=True, read_only=True)

    class Meta(FollowUpSerializer.Meta):
        fields = [*FollowUpSerializer.Meta.fields, "suggested", "roll_up", "below", "indicators"]


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="Why the follow-up is sent back.")


class FollowUpFilter(filters.FilterSet):
    goal = IdFilter(help_text="Only the follow-ups of the goal with this id.")
    reporting_period = IdFilter(help_text="Only the follow-ups of the reporting period with this id.")
    year = YearFilter(field_name="reporting_period__period__year")
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = FollowUp
        fields = ["goal", "reporting_period", "year", "status"]


@summaries(
    list="The follow-ups the caller may read",
    retrieve="A follow-up, with the suggested grade and the roll-up",
    create="Report a goal's follow-up in a reporting period (its reporters)",
    update="Go on reporting a follow-up (its reporters)",
    partial_update="Change some of a follow-up's report (its reporters)",
)
class FollowUpViewSet(ReadWriteViewSet):
    """Each decided goal's grade, commentary and next steps in a reporting period.

    Anyone reads the reviewed ones, signed-in users all; the goal's reporters report and submit,
    its deciders review or send back.
    """

    action_rules = {
        **reads(PUBLIC),
        **writes("goals.report_follow_up"),
        "submit": "goals.report_follow_up",
        # Asked as the predicate, which a superuser does not pass by default (separation of duties).
        "review": reviews_follow_up,
        "return_": reviews_follow_up,
    }
    filterset_class = FollowUpFilter

    def get_queryset(self):
        return follow_ups_visible_to(self.request.user).select_related(
            "goal__org_unit", "reporting_period__period", "reported_by", "submitted_by", "reviewed_by"
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ChangedFollowUpSerializer
        if self.action == "create":
            return FollowUpSerializer
        return AssessedFollowUpSerializer if self.detail else FollowUpSerializer

    def rule_object(self, follow_up):
        # Who reports is a rule of the goal; who reviews, of the follow-up: not whoever submitted it.
        return follow_up if self.action in ("review", "return_") else follow_up.goal

    def assessed(self, follow_up: FollowUp) -> Response:
        """The follow-up as it is now, with what its indicators suggest and the roll-up."""
        follow_up = self.get_queryset().get(pk=follow_up.pk)
        goal = with_readings(Goal.objects.filter(pk=follow_up.goal_id)).get()
        [follow_up.assessment] = assess([goal], follow_up.reporting_period, self.request.user)
        return Response(AssessedFollowUpSerializer(follow_up, context=self.get_serializer_context()).data)

    def retrieve(self, request, *args, **kwargs):
        return self.assessed(self.get_object())

    def step(self, service) -> Response:
        """Take a workflow step that needs nothing but the caller (``follow_up_submit``,
        ``follow_up_review``) and answer with the follow-up as it now is."""
        with transaction.atomic():
            follow_up = service(follow_up=self.get_object(), by=self.request.user)
        return self.assessed(follow_up)

    @extend_schema(request=None, responses=AssessedFollowUpSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the follow-up to the people who decide its goal, for review (its reporters)."""
        return self.step(follow_up_submit)

    @extend_schema(request=None, responses=AssessedFollowUpSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept a submitted follow-up; it becomes public (the goal's deciders)."""
        return self.step(follow_up_review)

    @extend_schema(request=ReturnSerializer, responses=AssessedFollowUpSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send a submitted follow-up back to its reporters, saying why (the goal's deciders)."""
        follow_up = self.get_object()
        sent_back = ReturnSerializer(data=request.data)
        sent_back.is_valid(raise_exception=True)
        with transaction.atomic():
            follow_up_return(
                follow_up=follow_up, by=request.user, comment=sent_back.validated_data["comment"]
            )
        return self.assessed(follow_up)
