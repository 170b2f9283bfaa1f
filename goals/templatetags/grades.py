"""The grade badge: a colour and, always, the grade in words, so that colour is never the only cue;
the badge of an overdue follow-up, with its deadline; and a goal's label with its grade. All are
written in Python rather than in an included template, because a page lists hundreds of goals and an
include costs more than the rest of a row.

A page of a hundred goals calls the label a hundred times, so each call is one string built from
parts worked out once per rendering (``_row_parts``): the choices' labels translated once per
language (``_labels``), the goal page's address around its pk reversed once (``address_around``),
and each text escaped by itself (``_escape``), rather than ``reverse``, ``gettext`` and nested
``format_html`` on every row. The HTML is the same.
"""

import functools
import html
from typing import NamedTuple

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from goals.chain.levels import Level
from goals.chain.models import ReportingPeriodKind
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from orgunits.addresses import address_around

register = template.Library()


def _escape(text) -> str:
    """``text`` escaped for HTML, as ``conditional_escape`` does it; plain text (the titles and names
    read from the database) straight through ``html.escape``, which is what ``conditional_escape``
    calls after its checks for lazy and safe strings, checks that cost four times the escaping."""
    return html.escape(text) if type(text) is str else conditional_escape(text)


class Labels(NamedTuple):
    """The labels a row shows, in one language: the levels', statuses' and grades' escaped for HTML,
    the reports' as text (``latest_report`` returns them as text)."""

    levels: dict[str, str]
    statuses: dict[str, str]
    grades: dict[str, str]
    reports: dict[str, str]


@functools.lru_cache(maxsize=8)
def _labels(language: str | None) -> Labels:
    """The labels in ``language``, translated on its first row rather than on every row. Called with
    the active language, which is the one the lazy labels translate into here."""
    return Labels(
        levels={value: conditional_escape(label) for value, label in Level.choices},
        statuses={value: conditional_escape(label) for value, label in Status.choices},
        grades={value: conditional_escape(label) for value, label in Attainment.choices},
        reports={value: str(label) for value, label in ReportingPeriodKind.choices},
    )


class RowParts(NamedTuple):
    labels: Labels
    url_start: str  # a goal page's address before its pk, escaped
    url_end: str  # and after it
    goals_under: str  # the words of a branch's toggle, translated


def _row_parts(context) -> RowParts:
    """What every goal row of one rendering shares, looked up on its first row: the language, URL
    configuration and script prefix are the request's throughout (the portal's templates switch
    language nowhere with ``{% language %}``), and reading them from their thread-locals costs more
    than the rest of a row."""
    parts = context.render_context.get(RowParts)
    if parts is None:
        start, end = address_around("goals:detail", "pk")
        goals_under = gettext("Goals under %(title)s (%(count)s)")
        parts = RowParts(_labels(get_language()), _escape(start), _escape(end), goals_under)
        context.render_context[RowParts] = parts
    return parts


def _badge(value: str, prefix: str, report: str, labels: Labels) -> str:
    # ``value`` is written into the class unescaped: it is a key of ``labels.grades``, one of
    # Attainment's values, or the lookup fails (as Attainment(value) did).
    label = labels.grades[value]
    hidden = f'<span class="visually-hidden">{_escape(prefix)} </span>' if prefix else ""
    given_in = f' <span class="grade-report">· {_escape(report)}</span>' if report else ""
    return f'<span class="grade grade-{value}">{hidden}{label}{given_in}</span>'


def grade_badge(value: str | None, prefix: str = "", report: str = "") -> str:
    """The badge of a grade (with ``prefix`` read out before it, and ``report``, the report that gave
    it, after it), or nothing for no grade."""
    if not value:
        return ""
    return SafeString(_badge(value, prefix, report, _labels(get_language())))


def _report_of(goal, labels: Labels) -> str:
    kind = getattr(goal, "latest_grade_kind", None)
    if not kind:
        return ""
    return f"{labels.reports[kind]} {goal.latest_grade_year}"


def latest_report(goal) -> str:
    """The report that gave a goal fetched ``with_latest_grade`` its latest grade ("Delårsrapport
    2026"), as ``ReportingPeriod`` names itself; empty where the goal has no grade."""
    return _report_of(goal, _labels(get_language()))


@register.simple_tag
def latest_grade(goal):
    """``{% latest_grade goal %}``: the badge of the latest grade of a goal fetched
    ``with_latest_grade``, saying from which report; nothing for a goal without one."""
    return grade_badge(getattr(goal, "latest_grade", None), report=latest_report(goal))


@register.simple_tag
def grade(value: str | None, prefix: str = ""):
    """``{% grade follow_up.attainment %}``; nothing for a goal without a grade."""
    return grade_badge(value, prefix)


@register.simple_tag
def overdue(deadline):
    """``{% overdue reporting_period.deadline %}``: the badge of a follow-up not delivered by its
    deadline, saying so and when it was due."""
    return format_html(
        '<span class="overdue">{}</span>',
        gettext("Overdue – due %(date)s") % {"date": date_format(deadline, "j F Y")},
    )


@register.simple_tag(takes_context=True)
def goal_label(context, goal, show_unit=False):
    """``{% goal_label goal show_unit=True %}``: the goal's level, its title as a link, its unit when
    asked, and its latest grade where the goals were fetched ``with_latest_grade``."""
    labels, url_start, url_end, _goals_under = _row_parts(context)
    unit = f' <span class="goal-unit">{_escape(goal.org_unit.name)}</span>' if show_unit else ""
    latest = getattr(goal, "latest_grade", None)
    grade = f" {_badge(latest, '', _report_of(goal, labels), labels)}" if latest else ""
    # ``goal.level`` goes into the class unescaped: it is a key of ``labels.levels``, one of Level's
    # values, or the lookup fails (as Level(goal.level) did). The pk is an integer.
    return SafeString(
        f'<span class="goal-label"><span class="level level-{goal.level}">{labels.levels[goal.level]}</span>'
        f' <a href="{url_start}{goal.pk}{url_end}">{_escape(goal.title)}</a>{unit}{grade}</span>'
    )


@register.simple_tag(takes_context=True)
def goals_under(context, goal, count: int):
    """``{% goals_under goal row.children %}``: what the toggle of a goal's branch says to a screen
    reader, "Goals under <title> (<count>)", as ``{% blocktranslate %}`` said it, translated once per
    page rather than on each of the page's branches."""
    # The count is written as the template wrote it: Django groups thousands only with
    # USE_THOUSAND_SEPARATOR, which the portal leaves off.
    return SafeString(_row_parts(context).goals_under % {"title": _escape(goal.title), "count": count})


# ``get_FOO_display`` builds its field's table of labels and translates one on every call, which on
# a page of goals costs more than the row's other lookups together; these read the labels
# translated once per language, and say the value itself for one without a label, as it does.


@register.filter
def level_label(goal) -> str:
    """``{{ goal|level_label }}``: what ``goal.get_level_display`` says."""
    return _labels(get_language()).levels.get(goal.level) or _escape(goal.level)


@register.filter
def status_label(goal) -> str:
    """``{{ goal|status_label }}``: what ``goal.get_status_display`` says."""
    return _labels(get_language()).statuses.get(goal.status) or _escape(goal.status)
