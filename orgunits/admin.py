from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext, gettext_noop, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, MissingNodeOrderBy, PathOverflow

from orgunits.concurrency import Conflict
from orgunits.forms import OrgUnitAdminForm, VersionedModelForm
from orgunits.history import history_entries
from orgunits.kinds import quoted
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

    class Media:
        # Reopens the branches that were open before treebeard's reload after a drag and drop.
        js = ["admin/js/jquery.init.js", "js/admin-tree-state.js"]  # after the admin's django.jQuery

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
        """Drag and drop (treebeard's changelist script posts here, then reloads the page to show
        the message left): treebeard's own view, in the portal's words and languages, with a move
        that breaks a rule refused with the rule's message.

        The manager's ``move`` saves the moved node once, so that its history records the move;
        treebeard's view saved it a second time, which would record it twice.
        """
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = self.MoveForm(request.POST, model=self.model)
        if not form.is_valid():
            message = gettext("The move could not be read: drag the row again.")
            messages.error(request, message)
            return HttpResponseBadRequest(message)
        node, target, relation = (form.cleaned_data[name] for name in ("node", "target", "relation"))
        if not self.has_change_permission(request, node):
            messages.error(request, gettext("You may not move %(node)s.") % {"node": quoted(node)})
            raise PermissionDenied
        # Dropped on a row: the last of its children; between rows: before the row below.
        pos = "last-child" if relation == "child" else "left"
        try:
            self.model.objects.move(node, target, pos=pos)
        except ValidationError as error:
            problems = error.messages
        except InvalidMoveToDescendant:
            problems = [
                gettext("%(node)s cannot be moved under itself or under anything below it.")
                % {"node": quoted(node)}
            ]
        except (MissingNodeOrderBy, PathOverflow, InvalidPosition) as error:
            problems = [gettext("The move could not be made: %(reason)s") % {"reason": error}]
        else:
            done = (
                gettext("%(node)s now stands under %(target)s.")
                if relation == "child"
                else gettext("%(node)s now stands before %(target)s.")
            )
            messages.success(request, done % {"node": quoted(node), "target": quoted(target)})
            return HttpResponse("OK")
        for message in problems:
            messages.error(request, message)
        return HttpResponseBadRequest("; ".join(problems))

    class MoveForm(forms.Form):
        """What treebeard's script posts for a drop: the node, the row it was dropped on or
        before, and which of the two."""

        node = forms.ModelChoiceField(queryset=None)
        target = forms.ModelChoiceField(queryset=None)
        relation = forms.ChoiceField(choices=[("child", "child"), ("sibling", "sibling")])

        def __init__(self, *args, model, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["node"].queryset = self.fields["target"].queryset = model.objects.all()


# django-simple-history's admin texts (its templates and admin.py, version pinned in pyproject.toml),
# which it translates into no Swedish: marked here so that our catalogue carries them.
SIMPLE_HISTORY_TEXTS = (
    gettext_noop("View history: %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Object"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    ngettext_lazy("entry", "entries", 1),
)


class RecordedHistoryAdmin(SimpleHistoryAdmin):
    """The admin's History of a record that keeps its history (django-simple-history): each
    change with who made it, when, why (a move, a decision) and which fields it changed, the values
    as the portal's history pages show them (``orgunits.history``).

    The history is a record only. Bringing an old version back would skip what the change form
    does (the rules, the version check), so the revert is neither offered nor accepted.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Shown in the admin's language; the records themselves are not saved from this page.
        # Each record of the page against the one below it, as simple-history's own does.
        for entry in history_entries(self.model, list(historical_records)):
            entry.version.history_change_reason = entry.reason
            if entry.has_older:
                entry.version.history_delta_changes = [
                    {"field": change.label, "old": change.before, "new": change.after}
                    for change in entry.changes
                ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = VersionedModelForm  # a membership changed meanwhile is not overwritten
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(RecordedHistoryAdmin, VersionedAdmin):
    list_display = ["user", "org_unit", "role", "position"]
    list_filter = ["role", "position"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "org_unit__name"]
    autocomplete_fields = ["user", "org_unit"]
    list_select_related = ["user", "org_unit"]


@admin.register(OrgUnit)
class OrgUnitAdmin(RecordedHistoryAdmin, GuardedTreeAdmin):
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
