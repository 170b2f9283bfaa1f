from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from treebeard.forms import movenodeform_factory

from goals.models import Goal, Period
from orgunits.admin import GuardedTreeAdmin
from orgunits.forms import TreePlacementForm


class GoalPlacementForm(TreePlacementForm):
    top_label = _("(the top of the chain: a vision)")


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "term_label"]


@admin.register(Goal)
class GoalAdmin(GuardedTreeAdmin):
    form = movenodeform_factory(Goal, form=GoalPlacementForm)
    list_display = ["title", "level", "org_unit", "period"]
    list_filter = ["period", "level"]
    search_fields = ["title", "org_unit__name"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["chain"]
    list_select_related = ["org_unit", "period"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("org_unit", "period")

    @admin.display(description=_("Steering chain"))
    def chain(self, goal):
        """The goals this one breaks down, from the vision down, each with its unit."""
        if goal.pk is None:
            return "–"
        line = [*Goal.objects.get_ancestors(goal).select_related("org_unit"), goal]
        return format_html_join(" → ", "{} ({})", ((item.title, item.org_unit.name) for item in line))
