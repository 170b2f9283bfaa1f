from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.forms import movenodeform_factory

from orgunits.admin import GuardedTreeAdmin, RecordedHistoryAdmin, VersionedAdmin
from orgunits.forms import TreePlacementForm
from processes.models import Process, TargetGroup


class TargetGroupPlacementForm(TreePlacementForm):
    top_label = _("(a main target group)")


@admin.register(TargetGroup)
class TargetGroupAdmin(GuardedTreeAdmin):
    form = movenodeform_factory(TargetGroup, form=TargetGroupPlacementForm)
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Process)
class ProcessAdmin(RecordedHistoryAdmin, VersionedAdmin):
    list_display = ["name", "kind", "owning_unit", "owner", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "purpose"]
    list_select_related = ["owning_unit", "owner"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["participants", "target_groups"]
