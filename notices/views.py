from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from notices.forms import NoticePreferencesForm
from notices.models import NoticePreferences


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own choice of notices: there is no one else's to ask for, so the only
    permission is being signed in."""
    if request.method == "POST":
        # Made on the first save; get_or_create survives two first saves at once.
        instance, _created = NoticePreferences.objects.get_or_create(user=request.user)
    else:
        instance = NoticePreferences.objects.filter(user=request.user).first() or NoticePreferences(
            user=request.user
        )
    form = NoticePreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # saved from another page meanwhile
            form.refused(error, NoticePreferences.objects.get(pk=instance.pk))
        else:
            messages.success(request, gettext("Your choice of notices is saved."))
            return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})
