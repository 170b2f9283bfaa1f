"""The follow-up page's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from orgunits.forms import VersionedModelForm


class FollowUpForm(VersionedModelForm):
    """A goal's grade in a reporting period, why, and what comes next."""

    # Radio buttons without the empty choice a model field's select would offer.
    attainment = forms.ChoiceField(choices=Attainment.choices, widget=forms.RadioSelect, label=_("Grade"))

    class Meta:
        model = FollowUp
        fields = ["attainment", "commentary", "next_steps"]
        widgets = {
            "commentary": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class FollowUpReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Why the follow-up is sent back"),
        help_text=_("Needed only to send the follow-up back."),
        required=False,
    )
