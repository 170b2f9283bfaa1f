from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.forms import MoveNodeForm, movenodeform_factory

from orgunits.concurrency import Conflict
from orgunits.models import Membership, OrgUnit, display_name
from orgunits.services import orgunit_set_serving
from orgunits.trees import CHILD_POSITIONS, CURRENT_PLACE


class VersionedModelForm(forms.ModelForm):
    """A form for a ``Versioned`` record: it carries the version it was read at (``seen_version``:
    the model's own ``version`` is no form field), and is refused, checking it and again on saving
    under the row's lock (``Versioned.lock_for_edit``), when someone has saved the record since. A
    service that saves the record itself is given ``cleaned_data["seen_version"]`` instead.

    After such a refusal, ``refused`` keeps the person's text in the form, shows what is saved now
    beside it and moves the version on to the one saved now, so that saving again, after
    comparing, is a deliberate choice.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_version")
        if seen is not None and not self.instance._state.adding:
            current = type(self.instance)._base_manager.get(pk=self.instance.pk)
            if current.version != seen:
                self.refused(current.stale_conflict(), current)
        return cleaned_data

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            self.instance.lock_for_edit(self.cleaned_data.get("seen_version"))
            return super().save()

    def refused(self, error: Conflict, current) -> None:
        """Show ``error`` on the form; after a stale save, show beside each field what ``current``
        (the record as saved now) holds where it differs from what the person typed, and offer
        its version to save over."""
        self.add_error(None, error)
        if error.code != "stale" or current is None:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = current.version
        for name, field in self.fields.items():
            if name not in self.cleaned_data or name not in {f.name for f in current._meta.get_fields()}:
                continue
            saved, typed = _shown(current, name), _shown(current, name, self.cleaned_data[name])
            if saved != typed:
                note = gettext("Saved now: %(value)s") % {"value": saved or gettext("(empty)")}
                # The bound field, made when the form was checked, holds its own copy of the text.
                field.help_text = self[name].help_text = f"{field.help_text} {note}".strip()


def _shown(record, name: str, value=None) -> str:
    """A field's value as a person reads it: the saved one of ``record``, or ``value`` in its place."""
    model_field = record._meta.get_field(name)
    if model_field.many_to_many:
        items = getattr(record, name).all() if value is None else value
        return ", ".join(sorted(str(item) for item in items))
    if value is None:
        value = getattr(record, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value or ""))
    return "" if value is None else str(value)


class TreePlacementForm(VersionedModelForm, MoveNodeForm):
    """Treebeard's move form for a guarded tree, with the rules checked for the place the node is going to.

    The checks run in the model (``GuardedNode.clean``), so a refused placement is a form error
    with the rule's message, and nothing is written.
    """

    top_label = _("(the top of the organisation)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Treebeard ships no Swedish; these say the same in the portal's own words.
        position, reference = self.fields["treebeard_position"], self.fields["treebeard_ref_node"]
        position.label = _("Placement")
        position.choices = [("first-child", _("First under")), ("left", _("Before")), ("right", _("After"))]
        reference.label = _("Relative to")
        reference.empty_label = self.top_label

    def clean(self):
        cleaned_data = super().clean()
        position_changed = {"treebeard_ref_node", "treebeard_position"} & set(self.changed_data)
        if self.instance._state.adding or position_changed:
            self.instance.destination = self._destination(
                cleaned_data.get("treebeard_ref_node"), cleaned_data.get("treebeard_position")
            )
        else:
            self.instance.destination = CURRENT_PLACE
        return cleaned_data

    def _destination(self, reference, position):
        if reference is None:
            return None
        return reference if position in CHILD_POSITIONS else self._meta.model.objects.get_parent(reference)

    def save(self, commit=True):
        if not self.instance._state.adding:
            return super().save(commit=commit)
        # Treebeard adds a new node as the reference's child and then moves it, which would check
        # the rules against a place the node never goes to. Place it where it is going directly.
        reference = self.cleaned_data.pop("treebeard_ref_node", None)
        position = self.cleaned_data.pop("treebeard_position")
        manager = self._meta.model.objects
        if reference is None:
            self.instance = manager.add_root(instance=self.instance)
        elif position in CHILD_POSITIONS:
            self.instance = manager.add_child(reference, instance=self.instance)
            manager.move(self.instance, reference, pos=position)
        else:
            self.instance = manager.add_sibling(reference, position, instance=self.instance)
        self.instance.refresh_from_db()
        return forms.ModelForm.save(self, commit=commit)


class OrgUnitPlacementForm(TreePlacementForm):
    """A unit's admin form: its place in the tree, and the bodies it also serves, both by the rules."""

    def clean(self):
        cleaned_data = super().clean()
        bodies = cleaned_data.get("also_serves")
        if "also_serves" in self.changed_data and bodies is not None:
            # The unit as the form would leave it (its kind may change too), where it stands now.
            unit = OrgUnit(
                pk=self.instance.pk,
                name=cleaned_data.get("name") or self.instance.name,
                kind=cleaned_data.get("kind") or self.instance.kind,
                path=self.instance.path,
            )
            for problem in unit.serving_problems(bodies):
                self.add_error("also_serves", problem)
        return cleaned_data

    def _save_m2m(self):
        # The bodies served are written by their service, which checks the rule again under the
        # organisation's lock; the other many-to-many fields as Django writes them.
        bodies = self.cleaned_data.pop("also_serves", None)
        try:
            super()._save_m2m()
        finally:
            if bodies is not None:
                self.cleaned_data["also_serves"] = bodies
        if bodies is not None and "also_serves" in self.changed_data:
            orgunit_set_serving(unit=self.instance, bodies=bodies)


OrgUnitAdminForm = movenodeform_factory(OrgUnit, form=OrgUnitPlacementForm)


class MembershipForm(forms.ModelForm):
    """Adding a person to a unit, on the unit's members page."""

    class Meta:
        model = Membership
        fields = ["user", "role", "position"]

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.org_unit = unit
        users = self.fields["user"]
        users.queryset = users.queryset.filter(is_active=True).order_by("first_name", "last_name", "username")
        users.label_from_instance = lambda user: f"{display_name(user)} ({user.get_username()})"

    def clean(self):
        cleaned_data = super().clean()
        user, role = cleaned_data.get("user"), cleaned_data.get("role")
        # The unit is not a field of the form, so the model's own unique check does not see it.
        if user and role and self.instance.org_unit.memberships.filter(user=user, role=role).exists():
            raise forms.ValidationError(
                gettext("%(user)s already has that role here.") % {"user": display_name(user)}
            )
        return cleaned_data
