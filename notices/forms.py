from django import forms

from notices.models import NoticePreferences
from orgunits.forms import VersionedModelForm


class NoticePreferencesForm(VersionedModelForm):
    class Meta:
        model = NoticePreferences
        fields = ["delivery", "reminders", "language"]
        widgets = {"delivery": forms.RadioSelect}
