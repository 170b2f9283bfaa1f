"""The grade badge: a colour and, always, the grade in words, so that colour is never the only cue;
the badge of an overdue follow-up, with its deadline; and a goal's label with its grade. All are
written in Python rather than in an included template, because a page lists hundreds of goals and an
include costs more than the rest of a row."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext

from goals.chain.levels import Level
from goals.chain.models import ReportingPeriodKind
from goals.follow_up.grading import Attainment

register = template.Library()


def grade_badge(value: str | None, prefix: str = "", report: str = "") -> str:
    """The badge of a grade (with ``prefix`` read out before it, and ``report``, the report that gave
    it, after it), or nothing for no grade."""
    if not value:
        return ""
    hidden = format_html('<span class="visually-hidden">{} </span>', prefix) if prefix else ""
    given_in = format_html(' <span class="grade-report">· {}</span>', report) if report else ""
    return format_html(
        '<span class="grade grade-{}">{}{}{}</span>', value, hidden, Attainment(value).label, given_in
    )


def latest_report(goal) -> str:
    """The report that gave a goal fetched ``with_latest_grade`` its latest grade ("Delårsrapport
    2026"), as ``ReportingPeriod`` names itself; empty where the goal has no grade."""
    kind = getattr(goal, "latest_grade_kind", None)
    if not kind:
        return ""
    return f"{ReportingPeriodKind(kind).label} {goal.latest_grade_year}"


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


@register.simple_tag
def goal_label(goal, show_unit=False):
    """``{% goal_label goal show_unit=True %}``: the goal's level, its title as a link, its unit when
    asked, and its latest grade where the goals were fetched ``with_latest_grade``."""
    unit = format_html(' <span class="goal-unit">{}</span>', goal.org_unit.name) if show_unit else ""
    latest = getattr(goal, "latest_grade", None)
    return format_html(
        '<span class="goal-label"><span class="level level-{}">{}</span> <a href="{}">{}</a>{}{}</span>',
        goal.level,
        Level(goal.level).label,  # what get_level_display() says, without rebuilding the choices per goal
        goal.get_absolute_url(),
        goal.title,
        unit,
        format_html(" {}", grade_badge(latest, report=latest_report(goal))) if latest else "",
    )
