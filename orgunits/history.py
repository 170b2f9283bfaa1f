"""A record's recorded history (django-simple-history) as a person reads it: each version with who
saved it, when, why, and what changed since the version before, every value as the pages show it
(a choice's label, the related record's name, a localized date, Ja/Nej) and a move in a tree as
what the node stood under before and after instead of its paths.

The portal's history pages (goals, units, processes) and the admin's History share it; it lives at
the bottom of the layers so that every app may use it.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject

from orgunits.trees import MOVED

# Why a change was made, as code records it (``history_change_reason``), and as the pages say it.
CHANGE_REASONS = {
    MOVED: _("moved in the tree"),
    "change approved": _("change approved"),
}

# Tree bookkeeping that changes with every move of a node or of a node above it: the move itself
# shows as the change of ``path``, said in words.
NOT_SHOWN = ("depth", "numchild")


class Change(NamedTuple):
    label: str
    before: str
    after: str


class Entry(NamedTuple):
    version: object  # a historical record (or, for a goal, a step of a change proposed to it)
    changes: list[Change] | None  # None: not a version of the record itself (a goal's proposal)
    has_older: bool  # False for the earliest recorded version: nothing to compare it with
    reason: str = ""  # why, in the reader's language, when the code recorded why


def history_of(record: models.Model, *related: str) -> list[Entry]:
    """Every recorded version of ``record``, newest first, each with what changed since the one
    before it: one query for the versions with their users and the ``related`` foreign keys the
    changes name, and one more only when a version moved the record in its tree."""
    versions = record.history.select_related("history_user", *related).order_by(
        "-history_date", "-history_id"
    )
    return history_entries(type(record), list(versions))


def history_entries(model: type[models.Model], versions: list) -> list[Entry]:
    """``versions`` (newest first) each against the one after it in the list; the last has none.
    Foreign keys the changes name should come with the versions (``select_related``)."""
    deltas = [
        (
            version,
            version.diff_against(older, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True).changes
            if older is not None
            else [],
            older is not None,
        )
        for version, older in zip(versions, [*versions[1:], None], strict=True)
    ]
    moves = [
        change for _version, changes, _has_older in deltas for change in changes if change.field == "path"
    ]
    parents = parent_names(model, [path for change in moves for path in (change.old, change.new)])
    return [
        Entry(
            version,
            [readable_change(model, change, parents) for change in changes],
            has_older,
            change_reason(version.history_change_reason),
        )
        for version, changes, has_older in deltas
    ]


def change_reason(recorded: str | None) -> str:
    return str(CHANGE_REASONS.get(recorded, recorded or ""))


def parent_names(model: type[models.Model], paths: Iterable[str]) -> dict[str, str]:
    """The names, as they are now, of the nodes the given tree paths stood under (one query, none
    without paths)."""
    parents = {str(path)[: -model.steplen] for path in paths if path}
    if not parents:
        return {}
    return {node.path: str(node) for node in model._default_manager.filter(path__in=parents)}


def placed_under(model: type[models.Model], path: str, parents: dict[str, str]) -> str:
    """What a node at ``path`` stood under: its parent's name, or the top of the tree."""
    return parents.get(str(path)[: -model.steplen], gettext("the top")) if path else ""


def readable_change(model: type[models.Model], change, parents: dict[str, str]) -> Change:
    """A change from ``diff_against`` (field name, old, new) as the history pages show it."""
    if change.field == "path":
        before, after = placed_under(model, change.old, parents), placed_under(model, change.new, parents)
        if before == after:  # moved among the nodes under the same one
            after = gettext("%(parent)s, in another place in the order") % {"parent": after}
        return Change(gettext("Placed under"), before, after)
    field = model._meta.get_field(change.field)
    return Change(capfirst(field.verbose_name), readable(field, change.old), readable(field, change.new))


def readable(field: models.Field, value) -> str:
    """A recorded value as the pages show it; empty when there was none (the pages show a dash)."""
    if value is None or value == "":
        return ""
    if isinstance(value, DeletedObject):
        # simple-history's stand-in for a related record it cannot find, also when there was none.
        if value.pk is None:
            return ""
        return gettext("a deleted %(kind)s") % {"kind": value.model._meta.verbose_name}
    if isinstance(value, models.Model):
        if value._meta.label == settings.AUTH_USER_MODEL:
            return value.get_full_name() or value.get_username()
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(shown, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | decimal.Decimal):
        return formats.localize(value)
    return str(value)
