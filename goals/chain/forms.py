from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.chain.levels import GOAL_SETTING_KINDS, LEVEL_KINDS, POLITICALLY_DECIDED_LEVELS, Level
from goals.chain.models import Goal, Period, Revision
from goals.chain.owners import OwnerChoice, owner_choices
from goals.chain.placement import chain_problems, chosen_parent_problem, process_problems
from goals.chain.workflow import PUBLIC_STATUSES
from orgunits.forms import TreePlacementForm, VersionedModelForm
from orgunits.models import Organisations, OrgUnit, display_name
from orgunits.trees import subtree_of
from processes.models import Process


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal):
        label = f"{goal.get_level_display()}: {goal.title} ({goal.org_unit.name})"
        if goal.status in PUBLIC_STATUSES:
            return label
        # Offered only to be decided together with it (``placement.chosen_parent_problem``): say so.
        not_decided = gettext("not decided yet")
        return f"{label} – {goal.get_status_display().lower()}, {not_decided}"


class ProcessesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        queryset = Process.objects.active().select_related("owning_unit").prefetch_related("participants")
        super().__init__(queryset=queryset, required=False, label=_("Processes served"), **kwargs)

    def label_from_instance(self, process):
        return f"{process.name} ({process.get_kind_display().lower()})"


class ServesProcessesMixin:
    """The admin's process rule (``placement.process_problems``). The admin saves through
    treebeard's form rather than ``goal_save``, which asks the rule for the pages and the API, and
    the processes are a many-to-many field, which the model's own ``clean`` cannot see."""

    def clean(self):
        cleaned_data = super().clean()
        goal = Goal(level=cleaned_data.get("level"), org_unit=cleaned_data.get("org_unit"))
        if goal.level and goal.org_unit_id:
            for problem in process_problems(goal, cleaned_data.get("processes") or []):
                self.add_error("processes", problem)
        return cleaned_data


# The widgets of the content a goal and a revision share (``GoalContent``).
CONTENT_WIDGETS = {
    "start_date": forms.DateInput(attrs={"type": "date"}),
    "due_date": forms.DateInput(attrs={"type": "date"}),
    "description": forms.Textarea(attrs={"rows": 4}),
}


def _offer_dates(fields, period: Period | None) -> None:
    """Let the date pickers offer the dates an activity of ``period`` may have
    (``placement.activity_date_problems``, which the model asks of whatever is sent)."""
    if period is None:
        return
    bounds = {
        "start_date": (date(period.term_start, 1, 1), date(period.year, 12, 31)),
        "due_date": (date(period.year, 1, 1), date(period.term_end, 12, 31)),
    }
    for name, (first, last) in bounds.items():
        if name in fields:
            fields[name].widget.attrs |= {"min": first.isoformat(), "max": last.isoformat()}


def _offer_owners(fields, choices: list[OwnerChoice], *, kept=None) -> None:
    """Offer the people who may own the goal (``owners.owner_choices``), grouped by their unit, and
    ``kept``, the owner the goal has now, whoever that is; the goal services refuse anyone else. The
    select is searchable (``data-searchable``, js/searchable-select.js) for long lists."""
    groups: dict[str, list[tuple[int, str]]] = {}
    if kept is not None and all(choice.user != kept for choice in choices):
        groups[gettext("The goal's owner now")] = [(kept.pk, display_name(kept))]
    for choice in choices:
        label = f"{display_name(choice.user)} ({choice.role_label})"
        groups.setdefault(choice.unit.name, []).append((choice.user.pk, label))
    field = fields["owner"]
    field.queryset = field.queryset.model._default_manager.filter(
        pk__in=[pk for options in groups.values() for pk, _label in options]
    )
    field.choices = [("", "---------"), *groups.items()]  # after the queryset, which resets them
    field.widget.attrs |= {"data-searchable": "true", "data-no-results": gettext("No one by that name.")}
    field.help_text = _(
        "The managers and editors of the goal's unit and of the units above and below it; for a "
        "political body's goal also its politicians and secretary."
    )
    for name in ("start_date", "due_date", "progress"):
        if name in fields:
            fields[name].help_text = _("Activities only.")


def _with_levels(unit: OrgUnit, levels: list[Level]) -> str:
    return f"{unit.name} ({', '.join(level.label.lower() for level in levels)})"


class GoalPlacementForm(ServesProcessesMixin, TreePlacementForm):
    """The admin's goal form: treebeard's placement, the chain rules and the process rules."""

    top_label = _("(the top of the chain: a vision)")
    processes = ProcessesField()


class GoalForm(VersionedModelForm):
    """Create or edit a goal in one period. Only the parents the steering-chain rules allow are offered.

    A new goal is made either at a given unit (``unit``: the parent is chosen among that unit's
    possible parents) or by breaking down a given goal (``parent``: the unit is chosen among
    ``units``, the parent's part of the organisation that the user may add to). The rules
    themselves run in the model (``Goal.clean``) and in ``goal_save``, whose refusals the view puts
    on their fields (``form.add_error(None, error)``): the processes served are checked there only.
    """

    parent = ParentChoiceField(queryset=Goal.objects.none(), label=_("Breaks down"), required=False)
    processes = ProcessesField(
        help_text=_("The goal's unit, or a unit above it, must take part in each process the goal serves.")
    )
    join_processes = forms.BooleanField(
        required=False,
        label=_("Add the unit as a participant in the chosen processes it does not take part in yet"),
    )

    class Meta:
        model = Goal
        fields = ["org_unit", "level", "parent", *Goal.CONTENT_FIELDS, "progress", "processes"]
        widgets = CONTENT_WIDGETS

    def __init__(
        self,
        *args,
        period,
        unit: OrgUnit | None = None,
        parent: Goal | None = None,
        places: dict[OrgUnit, list[Level]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.instance.period = period
        editing = self.instance.pk is not None
        if editing:
            unit = self.instance.org_unit
            parent = Goal.objects.get_parent(self.instance)
            self.initial["parent"] = parent
        fields = self.fields
        _offer_dates(fields, period)

        if unit is not None:
            fields["org_unit"].queryset = OrgUnit.objects.filter(pk=unit.pk)
            fields["org_unit"].initial = unit
            fields["org_unit"].disabled = True
            levels = [level for level in Level if unit.kind in LEVEL_KINDS[level]]
            fields["parent"].queryset = self._possible_parents(unit, period, levels)
        else:
            # Only the units and levels the chain rules accept under the parent
            # (``break_down.places_to_break_down``); the model asks the same rules of the pair chosen.
            fields["org_unit"].queryset = OrgUnit.objects.filter(pk__in=[place.pk for place in places])
            fields["org_unit"].queryset = fields["org_unit"].queryset.order_by("path")
            levels = [level for level in Level if any(level in accepted for accepted in places.values())]
            if len(levels) > 1:
                fields["org_unit"].label_from_instance = lambda place: _with_levels(place, places[place])
                fields["org_unit"].help_text = _(
                    "Each unit is shown with the levels its goals may have here."
                )
        if parent is not None and unit is None:
            fields["parent"].queryset = Goal.objects.filter(pk=parent.pk).select_related("org_unit")
            fields["parent"].initial = parent
        if editing:
            levels = [Level(self.instance.level)]
            fields["level"].disabled = True
        fields["level"].choices = [(level.value, level.label) for level in levels]
        fields["parent"].required = Level.VISION not in levels
        if unit is not None:
            political = any(level in POLITICALLY_DECIDED_LEVELS for level in levels)
            owners = owner_choices(unit, political=political)
        else:  # the unit is chosen among the parent's part: its people, asked again of the unit chosen
            owners = owner_choices(parent.org_unit, political=False, serving=parent.level == Level.BODY)
        _offer_owners(fields, owners, kept=self.instance.owner if self.instance.owner_id else None)

    def _possible_parents(self, unit: OrgUnit, period, levels: list[Level]):
        """Goals of the period at the unit or above it, and body goals of the committees its
        administration also serves, that a goal of one of ``levels`` may break down."""
        prefixes = unit.ancestor_paths(include_self=True)
        served = Q(level=Level.BODY, org_unit__also_served_by__path__in=prefixes)
        candidates = (
            Goal.objects.filter(Q(org_unit__path__in=prefixes) | served, period=period)
            .select_related("org_unit", "period")
            .distinct()
        )
        current_parent = None
        if self.instance.pk is not None:
            candidates = candidates.exclude(subtree_of(self.instance))
            current_parent = self.instance.parent_path
        candidates = list(candidates)
        prospective = [Goal(level=level, org_unit=unit, period=period) for level in levels]
        if any(candidate.status not in PUBLIC_STATUSES for candidate in candidates):
            # Who decides each goal, from the organisations read once, for the rule on parents not
            # yet decided, instead of a query per goal.
            organisations = Organisations()
            for goal in [*candidates, *prospective]:
                goal.deciding_unit = goal.deciding_unit_among(organisations)
        allowed = [
            candidate.pk
            for candidate in candidates
            if any(
                not chain_problems(goal, parent=candidate)
                # An edited goal keeps the parent it has, decided or not; it chooses a new one only.
                and (candidate.path == current_parent or not chosen_parent_problem(goal, parent=candidate))
                for goal in prospective
            )
        ]
        return Goal.objects.filter(pk__in=allowed).select_related("org_unit").order_by("depth", "path")

    def clean(self):
        cleaned_data = super().clean()
        self.instance.destination = cleaned_data.get("parent")
        return cleaned_data


class RevisionForm(VersionedModelForm):
    """Propose a change to an approved goal's content. A new revision starts from the goal's
    approved content; an open one is edited further. ``goal_revise`` asks the rules of the dates
    and the processes served; the view puts its refusals on their fields."""

    processes = ProcessesField(
        help_text=_("The goal's unit, or a unit above it, must take part in each process the goal serves.")
    )

    class Meta:
        model = Revision
        fields = [*Revision.CONTENT_FIELDS, "processes"]
        widgets = CONTENT_WIDGETS

    def __init__(self, *args, goal: Goal, **kwargs):
        revision = goal.open_revision()
        if revision is None:
            revision = Revision(goal=goal, **{name: getattr(goal, name) for name in Revision.CONTENT_FIELDS})
            kwargs.setdefault("initial", {})["processes"] = list(goal.processes.all())
        super().__init__(*args, instance=revision, **kwargs)
        political = goal.level in POLITICALLY_DECIDED_LEVELS
        _offer_owners(
            self.fields,
            owner_choices(goal.org_unit, political=political),
            kept=goal.owner if goal.owner_id else None,
        )
        if not goal.is_activity:
            del self.fields["start_date"], self.fields["due_date"]
        _offer_dates(self.fields, goal.period)


class PeriodChoiceForm(forms.Form):
    period = forms.ModelChoiceField(queryset=Period.objects.all())
    next = forms.CharField(required=False)


class MyUnitChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.active())


class NewGoalPlace(forms.Form):
    """Where a new goal goes: at a unit (``?unit=slug``) or breaking down a goal (``?parent=pk``)."""

    parent = forms.ModelChoiceField(
        queryset=Goal.objects.select_related("org_unit", "period"), required=False
    )
    # A unit that sets goals of some level: none are set at the auditors.
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.active().filter(kind__in=GOAL_SETTING_KINDS),
        to_field_name="slug",
        required=False,
    )


class DecisionForm(forms.Form):
    """Approve or send back, in one go, goals that one body or unit decides."""

    APPROVE, RETURN = "approve", "return"

    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Goals")
    )
    meeting_date = forms.DateField(
        required=False, label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    paragraph = forms.CharField(
        required=False, max_length=30, label=_("Minute paragraph"), help_text=_("For example § 187.")
    )
    registry_number = forms.CharField(
        required=False, max_length=50, label=_("Registry number"), help_text=_("For example KS 2025/00123.")
    )
    minutes_url = forms.URLField(required=False, label=_("Link to the minutes"), assume_scheme="https")
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Why the goals are sent back"),
        help_text=_("Needed only to send goals back."),
    )
    action = forms.ChoiceField(choices=[(APPROVE, APPROVE), (RETURN, RETURN)], widget=forms.HiddenInput)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals
        # The date picker offers no meeting still to come (``placement.meeting_date_problems``).
        self.fields["meeting_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["goals"].label_from_instance = lambda goal: f"{goal.title} ({goal.org_unit.name})"

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == self.APPROVE:
            for name in ("meeting_date", "paragraph"):
                if not cleaned_data.get(name):
                    self.add_error(name, gettext("A decision needs its meeting date and minute paragraph."))
        elif cleaned_data.get("action") == self.RETURN and not (cleaned_data.get("comment") or "").strip():
            self.add_error("comment", gettext("Say why the goals are sent back."))
        return cleaned_data
