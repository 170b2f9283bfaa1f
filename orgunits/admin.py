from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from treebeard.admin import TreeAdmin

from orgunits.concurrency import Conflict
from orgunits.forms import OrgUnitAdminForm, VersionedModelForm
from orgunits.models import Membership, OrgUnit
from orgunits.services import orgunit_dissolve, orgunit_restore


class VersionedAdmin(admin.ModelAdmin):
    """The admin of a ``Versioned`` record: its change form carries the version it was read at
    (``VersionedModelForm``), and a save made from an older version comes back with who saved
    meanwhile and what, instead of overwriting it."""

    form = VersionedModelForm

    def save_form(self, request, form, change):
        # Before the form saves anything (treebeard's form saves as it is asked for its object).
        if change:
            form.instance.lock_for_edit(form.cleaned_data.get("seen_version"))
        return super().save_form(request, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Conflict as error:  # saved by someone in the instant between the form's check and now
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class GuardedTreeAdmin(VersionedAdmin, TreeAdmin):
    """Treebeard's admin for a tree whose rules refuse some moves, and whose branches hold history."""

    def has_delete_permission(self, request, obj=None):
        # Treebeard deletes a node's whole branch, which the confirmation page would not list.
        # Only a leaf made by mistake is deleted here.
        if obj is not None and obj.numchild:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would take whole branches along unseen, as above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def move_node(self, request):
        # Drag and drop: a move that breaks a rule is refused with the rule's message,
        # which treebeard's script shows after it reloads the page.
        try:
            return super().move_node(request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseBadRequest("; ".join(error.messages))


class MembershipInline(admin.TabularInline):
    model = Membership
    form = VersionedModelForm  # a membership changed meanwhile is not overwritten
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin):
    list_display = ["user", "org_unit", "role", "position"]
    list_filter = ["role", "position"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "org_unit__name"]
    autocomplete_fields = ["user", "org_unit"]
    list_select_related = ["user", "org_unit"]


@admin.register(OrgUnit)
class OrgUnitAdmin(GuardedTreeAdmin):
    form = OrgUnitAdminForm
    inlines = [MembershipInline]
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["also_serves"]
    actions = ["dissolve", "restore"]

    @admin.action(description=_("Dissolve the selected units"))
    def dissolve(self, request, queryset):
        # Deepest first, so that a whole branch can be dissolved in one go.
        done = self._apply_to_each(request, queryset.order_by("-depth", "path"), orgunit_dissolve)
        if done:
            message = ngettext("%(count)d unit dissolved.", "%(count)d units dissolved.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Restore the selected units"))
    def restore(self, request, queryset):
        # Shallowest first, so that a whole branch can be restored in one go.
        done = self._apply_to_each(request, queryset.order_by("depth", "path"), orgunit_restore)
        if done:
            message = ngettext("%(count)d unit restored.", "%(count)d units restored.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _apply_to_each(self, request, units, action) -> int:
        """Run a service on each unit; report each refusal with its reason. Returns how many succeeded."""
        done = 0
        for unit in units:
            try:
                action(unit=unit)
                done += 1
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
        return done
