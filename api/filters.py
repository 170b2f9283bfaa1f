"""Filters that several collections share: an id or a year named in a query, a unit, words searched for.

Every id and whole-number filter of the API is an ``IdFilter`` or a ``YearFilter``: a value that is
not a whole number in range is a 400 that says what is asked for, before any query (SQLite cannot
even take a number above its 64-bit INTEGER as a parameter).
"""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext, gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from orgunits.models import OrgUnit
from search.queries import matching

# The largest number both databases store in an id (PostgreSQL's bigint, SQLite's INTEGER).
ID_MAX = 2**63 - 1
# The years a date can have.
YEAR_MAX = 9999


class WholeNumberField(forms.IntegerField):
    """A whole number from ``min_value`` to ``max_value``; anything else (``0.5``, ``null``, a number
    out of range) is refused with one message, ``message``, that names the range."""

    message = gettext_lazy("Enter a whole number from %(min)s to %(max)s.")

    def __init__(self, *, min_value: int, max_value: int, message=None, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.message = message or self.message

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if any(each.code == "required" for each in error.error_list):
                raise
            raise forms.ValidationError(
                self.message, code="invalid", params={"min": self.min_value, "max": self.max_value}
            ) from error


class BoundedWholeNumberFilter(filters.NumberFilter):
    """A whole number from ``lowest`` to ``highest``, else a 400 that says so (``message``), never a
    failed query (SQLite's INTEGER holds no more than 2**63 - 1)."""

    field_class = WholeNumberField
    lowest = 1
    highest: int
    message: str

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", self.lowest)
        kwargs.setdefault("max_value", self.highest)
        kwargs.setdefault("message", self.message)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX})
class IdFilter(BoundedWholeNumberFilter):
    """A record named by its id."""

    highest = ID_MAX
    message = gettext_lazy("An id is a whole number from %(min)s to %(max)s.")


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": YEAR_MAX})
class YearFilter(BoundedWholeNumberFilter):
    """A year (a decimal such as 2025.5 is a 400)."""

    highest = YEAR_MAX
    message = gettext_lazy("A year is a whole number from %(min)s to %(max)s.")


class UnitReferenceField(forms.Field):
    """A unit named by its slug or, failing that, its id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # Asked before the database, which refuses a NUL character in a query.
        ProhibitNullCharactersValidator()(value)
        units = OrgUnit.objects.only("path")
        unit = units.filter(slug=value).first() or (
            units.filter(pk=value).first() if value.isascii() and value.isdigit() else None
        )
        if unit is None:
            # The value goes in as a parameter, not into the message: the message is formatted once
            # more with its parameters (a "%" in the value would break it).
            raise forms.ValidationError(
                gettext("No organisation unit has the slug or id “%(value)s”."),
                code="invalid_choice",
                params={"value": value},
            )
        return unit


@extend_schema_field(OpenApiTypes.STR)
class UnitFilter(filters.Filter):
    """A filter that names a unit by its slug or id (a 400 when no unit has it); a subclass's
    ``filter`` says what the unit keeps, and keeps everything when the value is None."""

    field_class = UnitReferenceField


class WordsFilter(filters.CharFilter):
    """``?search=``: the rows matching the words, best first, as the search page finds them
    (``search.queries.matching``: Swedish full-text search on PostgreSQL, a contains-match on
    SQLite). ``title`` and ``description`` name the model's fields searched, the title weighing more."""

    def __init__(self, *, title: str = "name", description: str = "description", **kwargs):
        kwargs.setdefault(
            "help_text",
            "Only the rows matching these words (in the name or title, and the description), the best "
            "matches first; the last word also matches as the beginning of a longer word.",
        )
        super().__init__(**kwargs)
        self.title, self.description = title, description

    def filter(self, qs, value):
        return matching(qs, value or "", title=self.title, description=self.description)
