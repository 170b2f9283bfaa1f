"""Importing measurements from a file: upload, a preview of what would change, then confirm.

Nothing is written until the preview is confirmed. The rows read from the file wait in the
session, under a random token that the confirm form posts, and are planned again against the
database on confirm; the rules are ``goals.measurement_import``'s.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.measurement_import import (
    MAX_FILE_BYTES,
    Action,
    MeasurementPlan,
    MeasurementRow,
    measurement_file_read,
    measurements_import,
    measurements_plan,
)

SESSION_KEY = "measurement_imports"
# Previews kept per session: one for each tab a person may have open, and the session stays small.
PREVIEWS_KEPT = 3


class MeasurementFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file (UTF-8, separated by semicolons or commas) or an Excel workbook (.xlsx), at most "
            "5 MB. Its first row names the columns: indicator, year, value, and if needed reporting "
            "period, gender and comment (in English or Swedish)."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise ValidationError(
                gettext("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // 2**20}
            )
        self.rows = measurement_file_read(file=file)
        return file


@login_required
def measurement_import(request):
    """Upload a file and see what it would change (POST of a file), or import a preview (POST of its token)."""
    if not request.user.has_perm("goals.import_measurements"):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, request.POST["token"])
    form = MeasurementFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "goals/measurement_import.html", {"form": form})
    return _preview(request, measurements_plan(rows=form.rows), form.cleaned_data["file"].name)


def _confirm(request, token: str):
    staged = preview_take(session=request.session, token=token)
    if staged is None:
        expired = gettext("This preview has expired or has already been imported. Upload the file again.")
        return render(
            request, "goals/measurement_import.html", {"form": MeasurementFileForm(), "problem": expired}
        )
    file_name, rows = staged
    plan = measurements_plan(rows=rows)
    try:
        batch = measurements_import(plan=plan, by=request.user, file_name=file_name)
    except ValidationError as error:
        # The database changed since the preview: a new preview shows the rows gone bad, or else
        # (a value entered meanwhile) what the file would change now.
        return _preview(request, measurements_plan(rows=rows), file_name, errors=error.messages)
    messages.success(
        request,
        gettext("%(file)s was imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
        % {
            "file": batch.description,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
        },
    )
    return redirect("goals:import-measurements")


def _preview(request, plan: MeasurementPlan, file_name: str, errors=()):
    """What the file would change, with a confirm form; or its bad rows, with a new upload form."""
    token = None
    if plan.is_valid and plan.changes:
        token = preview_keep(
            session=request.session, rows=[planned.row for planned in plan.rows], file_name=file_name
        )
    context = {
        "plan": plan,
        "file_name": file_name,
        "token": token,
        # The rows' own problems are listed with their lines; other reasons are said once.
        "errors": [] if plan.bad_rows else errors,
        "changes": plan.changes,
        "unchanged": plan.count(Action.UNCHANGED),
        "form": MeasurementFileForm(),
    }
    return render(request, "goals/measurement_import_preview.html", context)


def preview_keep(*, session, rows: list[MeasurementRow], file_name: str) -> str:
    """Keep a preview's rows in the session until it is confirmed; the token that finds them again."""
    token = secrets.token_urlsafe(16)
    kept = session.get(SESSION_KEY, {})
    kept = dict(list(kept.items())[-(PREVIEWS_KEPT - 1) :])
    kept[token] = {"file_name": file_name, "rows": [row.as_json() for row in rows]}
    session[SESSION_KEY] = kept
    return token


def preview_take(*, session, token: str) -> tuple[str, list[MeasurementRow]] | None:
    """The file name and rows kept under ``token``, removed so a preview is imported once."""
    kept = session.get(SESSION_KEY, {})
    staged = kept.pop(token, None)
    session[SESSION_KEY] = kept
    if staged is None:
        return None
    try:
        return staged["file_name"], [MeasurementRow(*row) for row in staged["rows"]]
    except (KeyError, TypeError):  # kept by an older version of this page
        return None
