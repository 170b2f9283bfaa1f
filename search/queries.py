"""Finding goals, units, processes, target groups and indicators by their words.

One query per kind of hit, whatever the data's size: each kind's matches are ranked in the database
and only the best ``HITS_PER_KIND`` come back. On PostgreSQL the words are matched with full-text
search in the Swedish configuration (so "skolor" finds "skola"), the last word also as a prefix (the
word being typed), titles weighing more than descriptions; the GIN indexes of the goals' migration
0015 serve it. On SQLite, a plain contains-match of every word in the title or the description.

The API's lists use ``matching`` for their ``?search=``; the search page uses ``search``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    GeneratedField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from goals.chain.full_text import SwedishSearchWords
from goals.models import Goal, Indicator
from orgunits.models import OrgUnit
from processes.models import Process, TargetGroup

# Each kind's best matches shown at most; a search that finds more asks for a narrower one.
HITS_PER_KIND = 100
# How long a description's excerpt is, in words.
EXCERPT_WORDS = 30
# SearchHeadline marks matched words with these control characters; any stored in the text itself are
# removed before (``_without_markers``), so after escaping each marker pair safely becomes <mark>.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+")


class Kind:
    GOAL = "goal"
    UNIT = "unit"
    PROCESS = "process"
    TARGET_GROUP = "target_group"
    INDICATOR = "indicator"

    # The order in which the page groups the kinds, and their headings.
    CHOICES = (
        (GOAL, _("Goals")),
        (UNIT, _("Organisation units")),
        (PROCESS, _("Processes")),
        (TARGET_GROUP, _("Target groups")),
        (INDICATOR, _("Indicators")),
    )
    # Filters that only goals have (year, level, status) leave the other kinds out.
    GOAL_ONLY_FILTERS = ("year", "level", "status")


# The fields each kind's hit shows (search/search.html), and no more: a search builds up to a hundred
# rows of each kind, and building whole models (a goal with its unit and its period) was a good part
# of the page. A goal's unit shows by name only (``unit_name``); its year is its own copy.
HIT_FIELDS = {
    Kind.GOAL: ("title", "description", "level", "status", "year"),
    Kind.UNIT: ("name", "description", "kind", "slug"),
    Kind.PROCESS: ("name", "purpose", "kind", "slug"),
    Kind.TARGET_GROUP: ("name", "description", "slug"),
    Kind.INDICATOR: ("name", "description", "code"),
}


@dataclass(frozen=True)
class Hit:
    kind: str
    obj: object
    title: SafeString
    excerpt: SafeString
    rank: float

    @property
    def kind_label(self) -> str:
        return dict(Kind.CHOICES)[self.kind]


def words_of(text: str) -> list[str]:
    """The words of a search, lower-cased; punctuation and operators are dropped, never passed on."""
    return [word.lower() for word in _WORD.findall(text or "")]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _tsquery(words: list[str], *, prefix: bool = True) -> SearchQuery:
    """Every word must match (stemmed in Swedish), with ``prefix`` the last also as the beginning of
    a longer word. Each word is quoted, and a word (``\\w+``) holds no quote, so nothing typed reaches
    the query syntax as an operator."""
    terms = [f"'{word}'" for word in words]
    if prefix:
        terms[-1] += ":*"
    return SearchQuery(" & ".join(terms), search_type="raw", config="swedish")


def _keeps_search_words(model) -> bool:
    try:
        return isinstance(model._meta.get_field("search_vector"), GeneratedField)
    except FieldDoesNotExist:
        return False


class _WithoutMarkers(Func):
    """The text of ``field`` without the marker characters (``translate`` drops every character of its
    second argument that its third lacks): one function for the ORM to compile per headline, where
    two nested ``Replace`` cost it four, on every hit kind of every search."""

    function = "TRANSLATE"
    template = f"%(function)s(COALESCE(%(expressions)s, ''), '{_START}{_STOP}', '')"
    output_field = TextField()


def _without_markers(field: str):
    return _WithoutMarkers(F(field))


def matching(queryset: QuerySet, text: str, *, title: str = "name", description: str = "description"):
    """``queryset`` narrowed to the rows matching ``text``, each annotated with ``search_rank``, best
    first; on PostgreSQL also with ``search_title`` and ``search_excerpt`` marked up by SearchHeadline.
    The rows as they are when the search has no words."""
    words = words_of(text)
    if not words:
        return queryset
    if uses_full_text():
        query = _tsquery(words)
        # Matched through the GIN index of the expression; ranked from the stored copy of the same
        # words where the model keeps one (a goal's ``search_vector``): every match is ranked before
        # the best are shown, and working out each match's words again was most of the search's time.
        words_of_row = (
            F("search_vector")
            if _keeps_search_words(queryset.model)
            else SwedishSearchWords(title, description)
        )
        # The words as typed rank above the longer words they begin ("skola" before "skolmåltider").
        rank = SearchRank(words_of_row, query) + SearchRank(words_of_row, _tsquery(words, prefix=False))
        return (
            queryset.alias(search_words=SwedishSearchWords(title, description))
            .filter(search_words=query)
            .annotate(
                search_rank=rank,
                search_title=SearchHeadline(
                    _without_markers(title),
                    query,
                    config="swedish",
                    start_sel=_START,
                    stop_sel=_STOP,
                    highlight_all=True,
                ),
                search_excerpt=SearchHeadline(
                    _without_markers(description),
                    query,
                    config="swedish",
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=EXCERPT_WORDS,
                    min_words=EXCERPT_WORDS // 2,
                ),
            )
            .order_by("-search_rank", "pk")
        )
    every_word = Q()
    in_title = Q()
    for word in words:
        every_word &= Q(**{f"{title}__icontains": word}) | Q(**{f"{description}__icontains": word})
        in_title &= Q(**{f"{title}__icontains": word})
    rank = Case(When(in_title, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    return queryset.filter(every_word).annotate(search_rank=rank).order_by("-search_rank", "pk")


def marked(text: str, words: Iterable[str] = ()) -> SafeString:
    """``text`` escaped, then its matched words wrapped in <mark>: either the words SearchHeadline
    marked (PostgreSQL), or each word that begins with one of ``words`` (SQLite)."""
    text = text or ""
    if uses_full_text():
        return _headline_marked(text)
    html = escape(text.replace(_START, "").replace(_STOP, ""))
    prefixes = [re.escape(str(escape(word))) for word in words if word]
    if not prefixes:
        return mark_safe(html)
    # Not after "&" or "#": a word must not be marked inside an entity the escaping wrote (&amp; &#x27;).
    pattern = re.compile(r"(?<![\w&#])((?:" + "|".join(prefixes) + r")\w*)", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", html))


def _headline_marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _clean(text: str) -> str:
    # What is shown must not carry the markers' characters, whatever was stored.
    return (text or "").replace(_START, "").replace(_STOP, "")


def _hits(kind: str, rows, words: list[str], title: str, description: str) -> list[Hit]:
    hits = []
    full_text = uses_full_text()  # asked once: the connection's vendor costs a lookup each time
    for row in rows:
        if full_text:
            shown_title = _headline_marked(row.search_title or "")
            excerpt = (
                _headline_marked(row.search_excerpt or "") if getattr(row, description) else mark_safe("")
            )
        else:
            shown_title = marked(_clean(getattr(row, title)), words)
            excerpt = marked(Truncator(_clean(getattr(row, description))).words(EXCERPT_WORDS), words)
        hits.append(Hit(kind, row, shown_title, excerpt, float(row.search_rank)))
    return hits


def search(
    *, text: str, user, kinds: Iterable[str] = (), year: int | None = None, level: str = "", status: str = ""
) -> dict[str, list[Hit]]:
    """What ``user`` may read that matches ``text``: per kind (in ``Kind.CHOICES`` order), the best
    ``HITS_PER_KIND`` hits, best first. Goals are those ``Goal.objects.visible_to`` lets the user see
    (decided ones only for an anonymous visitor); units, processes and target groups only active
    ones. ``year``, ``level`` and ``status`` narrow the goals and leave the other kinds out. One
    query per kind searched; none when the text has no words."""
    words = words_of(text)
    wanted = set(kinds) or {code for code, _label in Kind.CHOICES}
    if year or level or status:
        wanted &= {Kind.GOAL}
    if not words:
        return {}
    # The unit's name read for the hits kept, after the ranking: a join would read every unit of the
    # group for the matches of a common word before a hundred are kept.
    unit_name = OrgUnit.objects.filter(pk=OuterRef("org_unit_id")).order_by().values("name")
    goals = Goal.objects.visible_to(user).annotate(unit_name=Subquery(unit_name))
    if year:
        goals = goals.filter(year=year)  # the goal's copy of its period's year, without the join
    if level:
        goals = goals.filter(level=level)
    if status:
        goals = goals.filter(status=status)
    sources = {
        Kind.GOAL: (goals, "title", "description"),
        Kind.UNIT: (OrgUnit.objects.filter(is_active=True), "name", "description"),
        Kind.PROCESS: (Process.objects.active(), "name", "purpose"),
        Kind.TARGET_GROUP: (TargetGroup.objects.all(), "name", "description"),
        Kind.INDICATOR: (Indicator.objects.all(), "name", "description"),
    }
    found = {}
    for kind, _label in Kind.CHOICES:
        if kind not in wanted:
            continue
        queryset, title, description = sources[kind]
        queryset = queryset.only(*HIT_FIELDS[kind])
        rows = matching(queryset, text, title=title, description=description)[:HITS_PER_KIND]
        hits = _hits(kind, rows, words, title, description)
        if hits:
            found[kind] = hits
    return found
