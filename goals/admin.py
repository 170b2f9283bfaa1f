from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from treebeard.forms import movenodeform_factory

from goals.forms import GoalPlacementForm
from goals.models import Decision, Goal, Period
from goals.services import goal_carry_over, period_close
from orgunits.admin import GuardedTreeAdmin


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "term_label", "is_closed"]
    readonly_fields = ["is_closed"]  # closed by the action, which archives the year's goals too
    actions = ["carry_over", "close"]

    @admin.action(description=_("Close the selected years and archive their decided goals"))
    def close(self, request, queryset):
        for period in queryset.order_by("year"):
            try:
                archived = period_close(period=period, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            message = ngettext(
                "%(year)d is closed; %(count)d goal archived.",
                "%(year)d is closed; %(count)d goals archived.",
                archived,
            )
            self.message_user(request, message % {"year": period.year, "count": archived}, messages.SUCCESS)

    @admin.action(description=_("Carry the goals over to the next year"))
    def carry_over(self, request, queryset):
        for period in queryset.order_by("year"):
            try:
                # A refused carry-over leaves no empty next year behind.
                with transaction.atomic():
                    next_period, _created = Period.objects.get_or_create(year=period.year + 1)
                    result = goal_carry_over(from_period=period, to_period=next_period)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                continue
            done = ngettext(
                "%(count)d goal carried over to %(year)d.",
                "%(count)d goals carried over to %(year)d.",
                result.copied,
            )
            self.message_user(
                request, done % {"count": result.copied, "year": next_period.year}, messages.SUCCESS
            )
            if result.skipped:
                left = ngettext(
                    "%(count)d goal of %(year)d was left behind: its unit, or the unit of a goal above it, is dissolved.",
                    "%(count)d goals of %(year)d were left behind: their unit, or the unit of a goal above them, is dissolved.",
                    result.skipped,
                )
                self.message_user(
                    request, left % {"count": result.skipped, "year": period.year}, messages.WARNING
                )


@admin.register(Goal)
class GoalAdmin(GuardedTreeAdmin):
    form = movenodeform_factory(Goal, form=GoalPlacementForm)
    list_display = ["title", "level", "org_unit", "period", "status"]
    list_filter = ["period", "level", "status"]
    search_fields = ["title", "org_unit__name"]
    autocomplete_fields = ["owner"]
    # The status changes only through the workflow (submit, approve, send back), never by hand.
    readonly_fields = ["chain", "status", "return_comment"]
    list_select_related = ["org_unit", "period"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("org_unit", "period")

    def get_readonly_fields(self, request, obj=None):
        # What a decision approved changes only through a revision decided in turn (goal page).
        if obj is not None and obj.is_locked:
            return [*self.readonly_fields, *Goal.CONTENT_FIELDS, "processes"]
        return self.readonly_fields

    @admin.display(description=_("Steering chain"))
    def chain(self, goal):
        """The goals this one breaks down, from the vision down, each with its unit."""
        if goal.pk is None:
            return "–"
        line = [*Goal.objects.get_ancestors(goal).select_related("org_unit"), goal]
        return format_html_join(" → ", "{} ({})", ((item.title, item.org_unit.name) for item in line))


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Decisions are recorded through the approval workflow; here they are only looked up."""

    list_display = ["__str__", "deciding_unit", "meeting_date", "registry_number", "recorded_by"]
    list_filter = ["deciding_unit__kind"]
    search_fields = ["paragraph", "registry_number", "deciding_unit__name"]
    list_select_related = ["deciding_unit", "recorded_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
