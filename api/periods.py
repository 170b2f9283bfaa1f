"""The planning years: public to read; staff open the next year and close a year, as the admin does.

A year is addressed by its number. Opening one adds its reporting periods with their usual dates
(``goals.receivers``), so that its goals can be followed up at once; closing one archives its
decided goals (``goals.chain.services.period_close``, the admin action's service).
"""

from __future__ import annotations

import rules
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import PUBLIC, reads
from api.schema import summaries
from api.viewsets import ReadViewSet
from goals.chain.services import period_add, period_close
from goals.models import Period


class PeriodSerializer(serializers.ModelSerializer):
    term = serializers.CharField(
        source="term_label", read_only=True, help_text="The term of office the year belongs to."
    )

    class Meta:
        model = Period
        fields = ["year", "is_closed", "term"]


class NewPeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=2000,
        max_value=2100,
        help_text="The year to open; by default the one after the latest year (this year when there is none).",
    )


class ClosedPeriodSerializer(PeriodSerializer):
    archived = serializers.IntegerField(read_only=True, help_text="How many decided goals were archived.")

    class Meta(PeriodSerializer.Meta):
        fields = [*PeriodSerializer.Meta.fields, "archived"]


@summaries(list="The planning years", create="Open a year, with its reporting periods (staff)")
class PeriodViewSet(ReadViewSet):
    """The years goals are planned, decided and followed up in: public; staff open and close them."""

    action_rules = {**reads(PUBLIC), "create": rules.is_staff, "close": rules.is_staff}
    serializer_class = PeriodSerializer
    lookup_field = "year"

    def get_queryset(self):
        return Period.objects.all()

    def get_serializer_class(self):
        return NewPeriodSerializer if self.action == "create" else PeriodSerializer

    @extend_schema(request=NewPeriodSerializer, responses={201: PeriodSerializer})
    def create(self, request, *args, **kwargs):
        """Open a year (staff), by default the one after the latest, with its reporting periods.

        Refused (409) when the year exists already."""
        opening = NewPeriodSerializer(data=request.data)
        opening.is_valid(raise_exception=True)
        period = period_add(year=opening.validated_data.get("year"))
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ClosedPeriodSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, year=None):
        """Close the year (staff): its decided goals are archived, kept as the record of what was
        decided; goals never decided stay as they are. Refused (409) when it is closed already."""
        period = self.get_object()
        period.archived = period_close(period=period, by=request.user)
        return Response(ClosedPeriodSerializer(period).data)
