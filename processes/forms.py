from django import forms

from orgunits.forms import VersionedModelForm
from orgunits.models import OrgUnit, display_name
from processes.models import Process, TargetGroup


class ProcessForm(VersionedModelForm):
    """What a process owner keeps up to date about their process."""

    class Meta:
        model = Process
        fields = ["name", "purpose", "owner", "owning_unit", "participants", "target_groups", "is_active"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "participants": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.active()
        self.fields["owning_unit"].queryset = units
        self.fields["participants"].queryset = units
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["owner"].label_from_instance = display_name
