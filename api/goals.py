"""Goals, the planning periods and the decisions that approve goals.

A goal is read as the pages read it: everyone reads the decided goals, signed-in users all of them
(``Goal.objects.visible_to``). A goal is made and changed with the web form's rules: the caller may
add goals at the unit (``goals.add_goal_at_unit``) or edit the goal (``goals.edit_goal``); the
rules themselves (the lock, the dates, the processes served, the steering chain) are the services'
(``goal_save``, ``goal_revise``), whose refusals ``api.exceptions`` answers field by field (400) or,
for a goal whose status allows no edit, as a conflict (409). An approved goal's content changes
through a revision (``/goals/<id>/revision/``); the workflow's actions call the services of
``goals.chain.services``.

Goals, decisions and revisions are addressed by their id, periods by their year, units and
processes by their slug. A list costs the same queries at any size: the count, the page and the
goals' processes.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.fields import (
    ListedSlugRelatedField,
    ParentIdField,
    UnitField,
    UserField,
    prefetched_list,
    with_parent,
)
from api.filters import UnitFilter, WordsFilter, YearFilter
from api.permissions import PUBLIC, SIGNED_IN, reads, refusal, updates
from api.schema import summaries
from api.serializers import FieldsOnceSerializer, VersionedSerializer
from api.viewsets import ReadViewSet, ReadWriteViewSet, version_seen
from goals.chain.levels import Level
from goals.chain.services import (
    goal_approve,
    goal_delete,
    goal_return,
    goal_revise,
    goal_save,
    goal_submit,
    revision_discard,
)
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import with_latest_grade
from goals.models import Decision, Goal, Period, Revision
from orgunits.concurrency import Conflict
from orgunits.models import OrgUnit
from orgunits.trees import CURRENT_PLACE
from processes.models import Process

# Goals -----------------------------------------------------------------------------------------


def summarised(goals, user):
    """Goals as a chain or a cascade lists them (``GoalSummarySerializer``): those ``user`` may see,
    with their unit and period, the goal each breaks down and their latest grade, in one query."""
    goals = goals.visible_to(user).select_related("org_unit", "period")
    # The grade alone, as the API shows it: two subqueries fewer for the ORM to compile.
    return with_latest_grade(with_parent(goals, "pk"), user, with_its_report=False)


def readable(goals, user):
    """Goals as every endpoint reads them whole: as ``summarised``, with their owners."""
    return summarised(goals, user).select_related("owner")


class GoalParentField(ParentIdField):
    """The goal this one breaks down, by id; null for the top of the chain (a vision)."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs["queryset"] = Goal.objects.select_related("org_unit", "period")
        kwargs.setdefault("help_text", "The id of the goal it breaks down; null for a vision.")
        super().__init__(tree=Goal, **kwargs)


class GoalContentSerializer(VersionedSerializer):
    # What a goal and a proposed change to it both say: who owns it and which processes it serves.

    owner = UserField(
        allow_null=True,
        required=False,
        help_text=(
            "The goal owner's user name; null for none. A manager or an editor of the goal's unit or of a "
            "unit above or below it, for a political body's goal also its politicians and secretary "
            "(goals/chain/owners.py); anyone else is refused (400), but a goal keeps the owner it has."
        ),
    )
    processes = ListedSlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Process.objects.active().select_related("owning_unit").prefetch_related("participants"),
        help_text="The slugs of the processes the goal serves. The goal's unit, or a unit above it, "
        "must take part in each.",
    )


class GoalSummarySerializer(FieldsOnceSerializer):
    """A goal in a chain or a cascade: where it stands and how it went, without its processes."""

    unit = UnitField(source="org_unit", read_only=True, help_text="The slug of the goal's unit.")
    period = serializers.SlugRelatedField(slug_field="year", read_only=True, help_text="The goal's year.")
    parent = GoalParentField(read_only=True)
    latest_grade = serializers.ChoiceField(
        choices=Attainment.choices,
        read_only=True,
        allow_null=True,
        help_text="The grade of its latest follow-up that the caller may read.",
    )

    class Meta:
        model = Goal
        fields = ["id", "unit", "period", "level", "status", "title", "parent", "latest_grade"]


class GoalSerializer(GoalSummarySerializer, GoalContentSerializer):
    """A goal being read or changed. Its unit, level and period stay as they were made; a change of
    ``parent`` moves it in the chain."""

    parent = GoalParentField(required=False)
    join_processes = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Add the goal's unit as a participant in the chosen processes it does not take part in yet.",
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "unit",
            "period",
            "level",
            "status",
            "parent",
            *Goal.CONTENT_FIELDS,
            "progress",
            "processes",
            "join_processes",
            "return_comment",
            "latest_grade",
            "version",
        ]
        read_only_fields = ["level", "status", "return_comment"]

    def update(self, instance, validated_data):
        if instance.status == Status.APPROVED:
            # Not the lock rule (goal_save asks the workflow table) but where an approved goal's
            # change goes instead, as the web's edit page opens the revision form.
            raise Conflict(
                gettext(
                    "“%(goal)s” is approved: its content changes only through a decided revision. "
                    "Propose a change with POST /api/v1/goals/%(id)d/revision/."
                )
                % {"goal": instance.title, "id": instance.pk},
                code="status",
            )
        # A goal moves when ``parent`` is given; otherwise it stays where it stands.
        parent = validated_data.pop("parent", CURRENT_PLACE)
        processes = validated_data.pop("processes", None)
        if processes is None:
            processes = list(instance.processes.all())
        joining = validated_data.pop("join_processes", False)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_goal(instance, parent, processes, joining)

    def save_goal(self, goal: Goal, parent, processes, joining: bool) -> Goal:
        """``goal_save``, which asks every rule of the write; ``api.exceptions`` puts its refusals on
        their fields."""
        goal._history_user = self.context["request"].user
        return goal_save(goal=goal, parent=parent, processes=processes, join_processes=joining)


class NewGoalSerializer(GoalSerializer):
    unit = UnitField(
        source="org_unit",
        queryset=OrgUnit.objects.active(),
        help_text="The slug of the unit that sets the goal.",
    )
    period = serializers.SlugRelatedField(
        slug_field="year",
        queryset=Period.objects.all(),
        required=False,
        help_text="The goal's year; by default the year of the goal it breaks down.",
    )
    parent = GoalParentField(required=False, default=None)

    class Meta(GoalSerializer.Meta):
        read_only_fields = ["status", "return_comment"]

    def validate(self, attrs):
        if attrs.get("period") is None:
            if attrs.get("parent") is None:
                raise serializers.ValidationError(
                    {"period": [self.fields["period"].error_messages["required"]]}
                )
            attrs["period"] = attrs["parent"].period
        return attrs

    def create(self, validated_data):
        parent = validated_data.pop("parent")
        processes = validated_data.pop("processes", [])
        joining = validated_data.pop("join_processes")
        return self.save_goal(Goal(**validated_data), parent, processes, joining)


class RevisionSerializer(GoalContentSerializer):
    """A change proposed to an approved goal. The fields left out keep the open revision's content,
    or for a new revision the approved goal's."""

    goal = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The id of the goal.")
    proposed_by = UserField(
        read_only=True, allow_null=True, help_text="Who proposed the change; null for the system."
    )

    class Meta:
        model = Revision
        fields = [
            "id",
            "goal",
            "status",
            *Revision.CONTENT_FIELDS,
            "processes",
            "return_comment",
            "proposed_by",
            "version",
        ]
        read_only_fields = ["status", "return_comment"]
        validators = []  # one open revision per goal: goal_revise edits the open one


class GoalReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, help_text="Why the goal is sent back.")


class DecidedGoalsSerializer(serializers.Serializer):
    goals = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Goal.objects.select_related("org_unit"),
        help_text="The ids of the goals to approve: submitted goals, or approved goals with a submitted change.",
    )


class ApproveSerializer(DecidedGoalsSerializer):
    meeting_date = serializers.DateField()
    paragraph = serializers.CharField(max_length=30, help_text="The minute paragraph, for example § 187.")
    registry_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="For example KS 2025/00123."
    )
    minutes_url = serializers.URLField(required=False, allow_blank=True, default="")


class GoalSubtreeFilter(UnitFilter):
    def filter(self, queryset, value):
        return queryset if value is None else queryset.in_subtree_of(value)


class GoalFilter(filters.FilterSet):
    unit = GoalSubtreeFilter(
        help_text="Only the goals of the unit with this slug (or id) and of the units under it."
    )
    period = YearFilter(field_name="period__year", help_text="Only the goals of this year.")
    level = filters.MultipleChoiceFilter(choices=Level.choices, help_text="Only goals of these levels.")
    status = filters.MultipleChoiceFilter(choices=Status.choices, help_text="Only goals in these states.")
    process = filters.CharFilter(
        field_name="processes__slug", help_text="Only the goals serving the process with this slug."
    )
    search = WordsFilter(title="title")

    class Meta:
        model = Goal
        fields = ["unit", "period", "level", "status", "process"]


class DecisionSerializer(serializers.ModelSerializer):
    deciding_unit = UnitField(read_only=True, help_text="The slug of the deciding body or unit.")
    delegated_by = UnitField(
        read_only=True,
        allow_null=True,
        help_text=(
            "The slug of the political body on whose behalf a manager decided by delegation "
            "(operational goals and activities); null for a body's own decision."
        ),
    )
    goals = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The ids of the goals it approved (those the caller may see)."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "deciding_unit",
            "delegated_by",
            "meeting_date",
            "paragraph",
            "registry_number",
            "minutes_url",
            "goals",
            "recorded_at",
        ]


GOAL_LIST = extend_schema(responses=GoalSummarySerializer(many=True))
# The chain and the cascade are one query each: neither paginated nor filtered.
ONE_QUERY = {"pagination_class": None, "filter_backends": []}


@summaries(
    list="The goals the caller may see, in chain order",
    create="Add a goal (the unit's managers and editors)",
    update="Change a draft or a goal sent back (its managers and editors)",
    partial_update="Change some of a draft's fields (its managers and editors)",
    destroy="Delete a draft that nothing stands on (its managers and editors)",
)
class GoalViewSet(ReadWriteViewSet):
    """The steering chain: anyone reads the decided goals, signed-in users all of them; the unit's
    managers and editors make and change goals and submit them, the deciders approve or send back."""

    action_rules = {
        **reads(PUBLIC),
        "chain": PUBLIC,
        "cascade": PUBLIC,
        "create": "goals.add_goal_at_unit",
        **updates("goals.edit_goal"),
        # Whoever may edit a draft may delete it; the service refuses a goal that is not a draft.
        "destroy": "goals.edit_goal",
        "revision": "goals.edit_goal",
        "discard_revision": "goals.edit_goal",
        # A proposed change is work in progress: signed-in users read it, as on the goal page.
        "read_revision": SIGNED_IN,
        "submit": "goals.submit_goal",
        "return_": "goals.decide_goal",
        # Asked goal by goal in the action: every goal must be one the caller decides.
        "approve": SIGNED_IN,
    }
    filterset_class = GoalFilter

    def get_queryset(self):
        if self.action in ("chain", "cascade"):
            # The goal named is read for its place in the chain and its version (the ETag) alone;
            # what the answer shows is read with the goals it lists (``summarised``).
            return Goal.objects.visible_to(self.request.user)
        # Year, then chain order, by the goal's copy of its year: read from the (year, path) index.
        goals = readable(Goal.objects.order_by("year", "path"), self.request.user)
        if self.action in ("list", "retrieve"):
            # What a read shows of the processes: a plain list per goal (``ListedManyRelatedField``).
            return goals.prefetch_related(Prefetch("processes", to_attr=prefetched_list("processes")))
        return goals.prefetch_related("processes")

    def get_serializer_class(self):
        if self.action == "create":
            return NewGoalSerializer
        if self.action in ("chain", "cascade"):
            return GoalSummarySerializer
        return GoalSerializer

    def rule_object(self, goal):
        # A new goal is asked about where it is made: may the caller add goals at its unit?
        return goal.org_unit if self.action == "create" else goal

    def goal(self, goal: Goal, code: int = status.HTTP_200_OK) -> Response:
        """The goal as it is now."""
        fresh = self.get_queryset().get(pk=goal.pk)
        return Response(GoalSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.goal(serializer.instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self.goal(serializer.instance)

    def destroy(self, request, *args, **kwargs):
        """Delete a draft or a goal sent back, with no goals under it, no decision naming it and no
        follow-ups (its managers and editors). Refused (409, saying why) for any other goal: a
        decided goal stays as the record of what was decided, and is archived with its year."""
        goal = self.get_object()
        goal_delete(goal=goal, by=request.user, version=version_seen(request, goal))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def summaries(self, goals) -> Response:
        return Response(GoalSummarySerializer(goals, many=True, context=self.get_serializer_context()).data)

    @GOAL_LIST
    @action(detail=True, **ONE_QUERY)
    def chain(self, request, pk=None):
        """The goals this one breaks down, from the vision down."""
        goal = self.get_object()
        return self.summaries(summarised(Goal.objects.get_ancestors(goal).order_by("path"), request.user))

    @GOAL_LIST
    @action(detail=True, **ONE_QUERY)
    def cascade(self, request, pk=None):
        """The goals below this one that the caller may see, in chain order."""
        goal = self.get_object()
        return self.summaries(summarised(Goal.objects.get_descendants(goal).order_by("path"), request.user))

    @extend_schema(request=RevisionSerializer, responses=RevisionSerializer)
    @action(detail=True, methods=["post"])
    def revision(self, request, pk=None):
        """Propose a change to an approved goal, or go on editing the proposed one (its managers and
        editors). Everyone sees the approved goal until a decision approves the change."""
        goal = self.get_object()
        proposal = RevisionSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        proposal.is_valid(raise_exception=True)
        data = proposal.validated_data
        current = goal.open_revision() or goal
        content = {name: data.get(name, getattr(current, name)) for name in Revision.CONTENT_FIELDS}
        processes = data["processes"] if "processes" in data else list(current.processes.all())
        with transaction.atomic():
            revision = goal_revise(
                goal=goal,
                by=request.user,
                content=content,
                processes=processes,
                version=version_seen(request, goal.open_revision()),
            )
        self.object_read = revision
        return Response(RevisionSerializer(revision, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=RevisionSerializer)
    @revision.mapping.get
    def read_revision(self, request, pk=None):
        """The change proposed to an approved goal, while it is open (signed-in users)."""
        revision = self.get_object().open_revision()
        if revision is None:
            raise exceptions.NotFound(gettext("No change is proposed to this goal."))
        self.object_read = revision  # the ETag a change to it names
        return Response(RevisionSerializer(revision, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={204: None})
    @revision.mapping.delete
    def discard_revision(self, request, pk=None):
        """Drop the change proposed to the goal, unless it waits for its decision; the goal stays as
        it was approved (its managers and editors)."""
        revision = self.get_object().open_revision()
        if revision is None:
            raise exceptions.NotFound(gettext("No change is proposed to this goal."))
        with transaction.atomic():
            revision_discard(revision=revision, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=GoalSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft, a goal sent back or an approved goal's proposed change to whoever decides
        it (its managers and editors)."""
        with transaction.atomic():
            goal = goal_submit(goal=self.get_object(), by=request.user)
        return self.goal(goal)

    @extend_schema(request=GoalReturnSerializer, responses=GoalSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send a submitted goal, or an approved goal's submitted change, back for rework, saying why
        (its deciders)."""
        goal = self.get_object()
        sent_back = GoalReturnSerializer(data=request.data)
        sent_back.is_valid(raise_exception=True)
        with transaction.atomic():
            goal_return(goal=goal, by=request.user, comment=sent_back.validated_data["comment"])
        return self.goal(goal)

    @extend_schema(request=ApproveSerializer, responses={201: DecisionSerializer})
    @action(detail=False, methods=["post"])
    def approve(self, request):
        """Approve submitted goals, and the submitted changes of approved goals, under one decision
        of the body or unit that decides them all (the goals' deciders).

        Refused (403) unless the caller decides every goal; refused (400, nothing written) when a
        goal waits for no decision or the goals have different deciders.
        """
        chosen = DecidedGoalsSerializer(data=request.data)
        chosen.is_valid(raise_exception=True)
        goals = chosen.validated_data["goals"]
        if not all(request.user.has_perm("goals.decide_goal", goal) for goal in goals):
            self.permission_denied(request, message=refusal("goals.decide_goal"))
        approval = ApproveSerializer(data=request.data)
        approval.is_valid(raise_exception=True)
        data = approval.validated_data
        decision = goal_approve(
            goals=goals,
            by=request.user,
            meeting_date=data["meeting_date"],
            paragraph=data["paragraph"],
            registry_number=data["registry_number"],
            minutes_url=data["minutes_url"],
        )
        decision = decisions_visible_to(request.user).get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


# Decisions -------------------------------------------------------------------------------------


def decisions_visible_to(user):
    """The decisions that approved a goal the user may see (all of them approve decided goals, so
    the public reads them as the goal page shows them), each with those goals."""
    goals = Goal.objects.visible_to(user)
    return (
        Decision.objects.filter(Exists(goals.filter(decisions=OuterRef("pk"))))
        .select_related("deciding_unit", "delegated_by")
        .prefetch_related(Prefetch("goals", goals.only("pk").order_by("path")))
    )


class DecisionFilter(filters.FilterSet):
    unit = filters.CharFilter(
        field_name="deciding_unit__slug", help_text="Only the decisions of the body or unit with this slug."
    )
    year = YearFilter(
        field_name="meeting_date",
        lookup_expr="year",
        help_text="Only the decisions of meetings in this year.",
    )

    class Meta:
        model = Decision
        fields = ["unit", "year"]


@summaries(list="The decisions that approved goals, latest first")
class DecisionViewSet(ReadViewSet):
    """The decisions that approved goals: public documents, as the goal page shows them."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return decisions_visible_to(self.request.user)
