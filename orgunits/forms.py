from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.forms import MoveNodeForm, movenodeform_factory

from orgunits.models import Membership, OrgUnit, display_name
from orgunits.trees import CHILD_POSITIONS, CURRENT_PLACE


class TreePlacementForm(MoveNodeForm):
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


OrgUnitAdminForm = movenodeform_factory(OrgUnit, form=TreePlacementForm)


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
