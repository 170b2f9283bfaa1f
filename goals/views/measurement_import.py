"""Importing measurements from a file: upload, a preview of what would change, then confirm.

Nothing is written until the preview is confirmed. The rows read from the file wait in the
session, compressed, under a random token that the confirm form posts, and are planned again
against the database on confirm; the rules are ``goals.indicators.file_import``'s. A preview shows the
first changes and problems of a large file and counts them all. A row whose indicator's values the
user may not write (``goals.write_indicator_values``) is one of those problems, and its preview is
answered with a 403: the page lists the rows refused, and nothing is imported.
"""

import base64
import json
import secrets
import zlib
from collections.abc import Iterable, Iterator

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.indicators import file_import
from goals.indicators.file_import import (
    MAX_FILE_BYTES,
    MeasurementPlan,
    MeasurementRow,
    measurements_import,
    measurements_plan,
    measurements_plan_file,
)
from goals.indicators.upsert import Action

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
        return file


@login_required  # first: a visitor is sent to sign in, a signed-in user without the permission refused
@permission_required("goals.import_measurements", raise_exception=True)
def measurement_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what it would change (POST of a file), or import a preview (POST of its token)."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, request.POST["token"])
    form = MeasurementFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "goals/measurement_import.html", {"form": form})
    file = form.cleaned_data["file"]
    plan = measurements_plan_file(file=file, by=request.user)
    if plan.problems:
        # A file that cannot be read as a whole is refused on the upload form.
        form.add_error("file", list(plan.problems))
        return render(request, "goals/measurement_import.html", {"form": form})
    return _preview(request, plan, file.name)


def _confirm(request: HttpRequest, token: str) -> HttpResponse:
    staged = preview_take(session=request.session, token=token)
    if staged is None:
        expired = gettext("This preview has expired or has already been imported. Upload the file again.")
        return render(
            request, "goals/measurement_import.html", {"form": MeasurementFileForm(), "problem": expired}
        )
    file_name, rows = staged
    plan = measurements_plan(rows=rows, by=request.user, shown=file_import.SHOWN)
    try:
        batch = measurements_import(plan=plan, by=request.user, file_name=file_name)
    except ValidationError as error:
        # The database changed since the preview: a new preview shows the rows gone bad, or else
        # (a value entered meanwhile) what the file would change now.
        return _preview(
            request,
            measurements_plan(rows=rows, by=request.user, shown=file_import.SHOWN),
            file_name,
            errors=error.messages,
        )
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


def _preview(
    request: HttpRequest, plan: MeasurementPlan, file_name: str, errors: Iterable[str] = ()
) -> HttpResponse:
    """What the file would change, with a confirm form; or its bad rows, with a new upload form."""
    token = None
    if plan.is_valid and plan.change_count:
        token = preview_keep(session=request.session, rows=plan.source, file_name=file_name)
    context = {
        "plan": plan,
        "file_name": file_name,
        "token": token,
        # The rows' own problems are listed with their lines; other reasons are said once.
        "errors": [] if plan.problem_count else errors,
        "changes": plan.changes,
        "unchanged": plan.count(Action.UNCHANGED),
        "form": MeasurementFileForm(),
    }
    return render(
        request, "goals/measurement_import_preview.html", context, status=403 if plan.refused else 200
    )


def preview_keep(*, session, rows: Iterable[MeasurementRow], file_name: str) -> str:
    """Keep a preview's rows in the session until it is confirmed; the token that finds them again.

    The rows are kept as compressed JSON lines, a few bytes a row, so a large file's preview keeps
    the session (read on every request) small.
    """
    token = secrets.token_urlsafe(16)
    kept = session.get(SESSION_KEY, {})
    kept = dict(list(kept.items())[-(PREVIEWS_KEPT - 1) :])
    kept[token] = {"file_name": file_name, "packed_rows": _pack(rows)}
    session[SESSION_KEY] = kept
    return token


def preview_take(*, session, token: str) -> tuple[str, Iterable[MeasurementRow]] | None:
    """The file name and rows kept under ``token``, removed so a preview is imported once. The rows
    are read anew each time they are iterated, so they can be planned and then imported."""
    kept = session.get(SESSION_KEY, {})
    staged = kept.pop(token, None)
    session[SESSION_KEY] = kept
    if staged is None:
        return None
    try:
        return staged["file_name"], _StagedRows(base64.b64decode(staged["packed_rows"], validate=True))
    except (KeyError, TypeError, ValueError):  # kept by an older version of this page
        return None


def _pack(rows: Iterable[MeasurementRow]) -> str:
    deflate = zlib.compressobj(level=6)
    parts = [deflate.compress((json.dumps(row.as_json()) + "\n").encode()) for row in rows]
    parts.append(deflate.flush())
    return base64.b64encode(b"".join(parts)).decode("ascii")


class _StagedRows:
    """Rows packed by ``_pack``, unpacked a piece at a time each time they are iterated."""

    PIECE = 2**16

    def __init__(self, packed: bytes):
        self.packed = packed

    def __iter__(self) -> Iterator[MeasurementRow]:
        inflate = zlib.decompressobj()
        rest = b""
        for start in range(0, len(self.packed), self.PIECE):
            rest += inflate.decompress(self.packed[start : start + self.PIECE])
            *lines, rest = rest.split(b"\n")
            for line in lines:
                yield MeasurementRow(*json.loads(line))
