"""The chain's health (``/api/v1/chain-health/``): the same findings as the page for the same caller,
counted per kind and per organisation, the findings themselves a page at a time.

The counts cover every finding; the findings come in pages like every list of the API (``?page=``,
``?page_size=``), so that a whole group's thousands of findings are not one answer.
"""

from __future__ import annotations

import hashlib
from functools import partial

from django.utils.timezone import localdate
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from api.permissions import PUBLIC
from api.schema import summaries
from api.viewsets import RulesViewSet
from goals.chain.chosen_period import selected_period
from goals.chain.models import Period
from goals.health.findings import ChainHealth, chain_health
from goals.health.kinds import FindingKind
from orgunits import page_cache
from orgunits.models import OrgUnit


class ChainHealthQuerySerializer(serializers.Serializer):
    period = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        help_text="The year; without it, the year the caller looks at on the pages.",
    )
    unit = serializers.CharField(
        required=False,
        help_text="A unit's slug or id: its part of the group. Without it, the whole group.",
    )

    def validate_unit(self, value: str) -> OrgUnit:
        units = OrgUnit.objects.all()
        unit = units.filter(slug=value).first() or (
            units.filter(pk=value).first() if value.isascii() and value.isdigit() else None
        )
        if unit is None:
            raise serializers.ValidationError(
                gettext("No organisation unit has the slug or id “%(value)s”.") % {"value": value}
            )
        return unit


class KindCountSerializer(serializers.Serializer):
    """A kind of finding shown to the caller, and how many findings of it there are."""

    kind = serializers.ChoiceField(source="kind.code", choices=FindingKind.choices)
    title = serializers.CharField(source="kind.title")
    public = serializers.BooleanField(
        source="kind.public", help_text="Whether anonymous callers see this kind (about decided goals)."
    )
    threshold_days = serializers.IntegerField(
        source="kind.threshold_days",
        allow_null=True,
        help_text="How many days a thing may wait before it is a finding, for kinds about waiting.",
    )
    count = serializers.IntegerField()


class OrganisationCountSerializer(serializers.Serializer):
    """An organisation with findings, and how many of each kind (every kind shown, zeros included)."""

    organisation = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="The number of findings of each kind, by the kind's code."
    )
    total = serializers.IntegerField()


class FindingSerializer(serializers.Serializer):
    """One thing wrong with the chain, and where it is mended."""

    kind = serializers.ChoiceField(source="kind.code", choices=FindingKind.choices)
    title = serializers.CharField(source="kind.title", help_text="The kind's title.")
    subject = serializers.CharField(help_text="The goal, indicator, unit or process the finding is about.")
    url = serializers.SerializerMethodField(help_text="The page where the finding is mended.")
    unit = serializers.CharField(source="unit.slug", help_text="The unit the finding is about.")
    organisation = serializers.CharField(
        source="organisation.slug",
        help_text="The administration, company, federation or political body it is counted under.",
    )
    detail = serializers.CharField()
    date = serializers.DateField(
        allow_null=True,
        help_text="For a finding about time: the deadline passed, or the day the thing began to wait.",
    )

    def get_url(self, finding) -> str:
        return self.context["request"].build_absolute_uri(finding.url)


@extend_schema_serializer(many=False)
class ChainHealthSerializer(serializers.Serializer):
    """The findings of a year in a part of the group: counted per kind and per organisation (every
    finding), and listed a page at a time (``results``), ordered by kind, then by organisation."""

    period = serializers.IntegerField(source="health.period.year", help_text="The year.")
    unit = serializers.CharField(
        source="health.unit.slug", allow_null=True, help_text="The part of the group; null: the whole group."
    )
    kinds = KindCountSerializer(many=True, help_text="Every kind shown to the caller, in the page's order.")
    organisations = OrganisationCountSerializer(many=True, help_text="The organisations with findings.")
    count = serializers.IntegerField(help_text="All the findings, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FindingSerializer(many=True)


PARAMETERS = [
    OpenApiParameter(
        "period", OpenApiTypes.INT, description=ChainHealthQuerySerializer().fields["period"].help_text
    ),
    OpenApiParameter(
        "unit", OpenApiTypes.STR, description=ChainHealthQuerySerializer().fields["unit"].help_text
    ),
]


@summaries(list="Where the year's steering chain is broken")
class ChainHealthViewSet(RulesViewSet):
    """The chain's health, as on the page ``/goals/health/``: anyone reads it; anonymous callers get
    the kinds about decided goals, signed-in callers every kind."""

    action_rules = {"list": PUBLIC}
    serializer_class = ChainHealthSerializer
    filter_backends = []  # the query's two parameters are ChainHealthQuerySerializer's

    @extend_schema(parameters=PARAMETERS)
    def list(self, request):
        asked = ChainHealthQuerySerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        period = self.period(asked.validated_data.get("period"))
        unit = asked.validated_data.get("unit")
        # The answer from the shared cache of whole-group pages, as a plain dict: a whole group's
        # findings are thousands of objects, slower to load from the cache than the page asked for.
        # Keyed by the address asked (its links are absolute and carry every parameter), hashed to
        # fit the cache's key, and the year and part of the group it resolved to.
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        parts = ("chain-health-api", period.pk, unit.pk if unit else None, localdate().isoformat(), address)
        answer = page_cache.cached(parts, partial(self.answer, period, unit), user=request.user)
        return Response(answer)

    def answer(self, period: Period, unit: OrgUnit | None) -> dict:
        """The counts and the page of findings asked for, serialised."""
        health = chain_health(period=period, user=self.request.user, unit=unit)
        page = self.paginate_queryset(health.findings)
        return ChainHealthSerializer(
            {
                "health": health,
                "kinds": _kind_counts(health),
                "organisations": _organisation_counts(health),
                "count": health.count,
                "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link(),
                "results": page,
            },
            context=self.get_serializer_context(),
        ).data

    def period(self, year: int | None) -> Period:
        """The year asked for, else the one the caller looks at on the pages; a 404 when the portal
        holds no such year (or none at all)."""
        if year is None:
            period = selected_period(self.request)
            if period is None:
                raise exceptions.NotFound(gettext("The portal holds no year of goals yet."))
            return period
        period = Period.objects.filter(year=year).first()
        if period is None:
            raise exceptions.NotFound(
                gettext("The portal holds no goals for the year %(year)s.") % {"year": year}
            )
        return period


def _kind_counts(health: ChainHealth) -> list[dict]:
    per_kind = health.count_per_kind
    return [{"kind": kind, "count": per_kind[kind.code]} for kind in health.kinds]


def _organisation_counts(health: ChainHealth) -> list[dict]:
    return [
        {
            "organisation": row.organisation,
            "counts": {kind.code: count for kind, count in zip(health.kinds, row.counts, strict=True)},
            "total": row.total,
        }
        for row in health.by_organisation
    ]
