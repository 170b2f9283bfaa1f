"""Filters that several collections share: a unit named in a query, words searched for."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from orgunits.models import OrgUnit
from search.queries import matching


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
