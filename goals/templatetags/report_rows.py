"""The follow-up report's goals, each with its follow-up and its indicators' table, written in Python
rather than in an included template, as the goal rows of ``grades`` are: a page of the report shows
25 goals with some fifty indicators, and the template's include, ``{% url %}``, ``{% translate %}``
and variable lookups on each of them cost several times what the page's queries do.

Every call builds one string from parts worked out once per rendering (``_report_parts``): the words
translated and escaped once, the follow-up page's and the indicator page's addresses around their
pk reversed once, the overdue badge of the report's one deadline written once. The HTML is the one
the templates wrote, byte for byte (``tests/goals/follow_up/test_report_rows.py`` compares them).
"""

from typing import NamedTuple

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from goals.follow_up.workflow import ReviewStatus
from goals.templatetags.grades import Labels, _badge, _escape, _labels, overdue
from goals.templatetags.indicators import measure
from orgunits.addresses import address_around

register = template.Library()


def _grade(value, labels: Labels) -> str:
    """What ``{% grade value %}`` writes, with the labels of the rendering."""
    return _badge(value, "", "", labels) if value else ""


class _Words(NamedTuple):
    """The words of the report's rows in one language, translated and escaped once (as
    ``{% translate %}`` escapes them)."""

    next_steps: str
    not_reported: str
    suggest: str
    below: str
    indicators_of: str  # with %(title)s
    statuses: dict[str, str]  # a follow-up's status, lower case
    indicator: str
    target: str
    value: str
    grade: str


def _words() -> _Words:
    return _Words(
        next_steps=_escape(gettext("Next steps:")),
        not_reported=_escape(gettext("Not reported yet.")),
        suggest=_escape(gettext("The indicators suggest:")),
        below=_escape(gettext("The goals below:")),
        indicators_of=gettext("The indicators of %(title)s"),
        statuses={value: _escape(str(label).lower()) for value, label in ReviewStatus.choices},
        indicator=_escape(gettext("Indicator")),
        target=_escape(gettext("Target")),
        value=_escape(gettext("Value")),
        grade=_escape(gettext("Grade")),
    )


class _ReportParts(NamedTuple):
    reporting_period: int  # the pk of the reporting period the parts were made for
    labels: Labels
    words: _Words
    follow_up_url: tuple[str, str]  # a goal's follow-up page's address before its pk, and after it
    indicator_url: tuple[str, str]  # an indicator page's address before its pk, and after it
    overdue: str  # the badge of a follow-up overdue in the reporting period


def _report_parts(context, reporting_period) -> _ReportParts:
    """What every row of one rendering shares, looked up on its first row: the language, URL
    configuration and script prefix are the request's throughout, as ``grades._row_parts`` says."""
    key = _ReportParts
    parts = context.render_context.get(key)
    pk = reporting_period.pk if reporting_period is not None else None
    if parts is None or parts.reporting_period != pk:
        follow_up_url = ("", "")
        if reporting_period is not None:
            start, end = address_around("goals:follow-up", "pk", reporting_period=reporting_period.pk)
            follow_up_url = (_escape(start), _escape(end))
        start, end = address_around("goals:indicator", "pk")
        parts = _ReportParts(
            reporting_period=pk,
            labels=_labels(get_language()),
            words=_words(),
            follow_up_url=follow_up_url,
            indicator_url=(_escape(start), _escape(end)),
            overdue=overdue(reporting_period.deadline) if reporting_period is not None else "",
        )
        context.render_context[key] = parts
    return parts


def _indicator_table(results, caption, parts: _ReportParts) -> str:
    """The table of ``_indicator_results.html``: each indicator's target, value and grade."""
    words, (url_start, url_end) = parts.words, parts.indicator_url
    rows = "".join(
        "\n      <tr>\n"
        f'        <th scope="row"><a href="{url_start}{result.indicator.pk}{url_end}">'
        f"{_escape(result.indicator.name)}</a></th>\n"
        f"        <td>{_escape(measure(result.reading.target, result.indicator))}</td>\n"
        f"        <td>{_escape(measure(result.reading.value, result.indicator))}</td>\n"
        f"        <td>{_grade(result.grade, parts.labels)}</td>\n"
        "      </tr>\n    "
        for result in results
    )
    return (
        '<div class="table-scroll"><table class="matrix indicators">\n'
        f'  <caption class="visually-hidden">{_escape(caption)}</caption>\n'
        f'  <thead><tr><th scope="col">{words.indicator}</th><th scope="col">{words.target}</th>'
        f'<th scope="col">{words.value}</th><th scope="col">{words.grade}</th></tr></thead>\n'
        f"  <tbody>\n    {rows}\n  </tbody>\n</table></div>"
    )


@register.simple_tag(takes_context=True)
def indicator_results(context, results, caption):
    """``{% indicator_results results caption %}``: the indicators' table of an assessment (its
    ``IndicatorResult`` list), with ``caption`` for screen readers."""
    return SafeString(_indicator_table(results, caption, _report_parts(context, None)))


@register.simple_tag(takes_context=True)
def report_goal(context, assessment, reporting_period):
    """``{% report_goal assessment report.reporting_period %}``: one goal of the report, its level,
    title (a link to its follow-up), unit, grade and the follow-up's status, whether it is overdue,
    the commentary and next steps, its indicators' table and what they and the goals below suggest."""
    parts = _report_parts(context, reporting_period)
    labels, words = parts.labels, parts.words
    goal, follow_up = assessment.goal, assessment.follow_up
    title = _escape(goal.title)
    meta = ""
    if follow_up:
        meta = f" · {_grade(assessment.grade, labels)}"
        if follow_up.status != ReviewStatus.REVIEWED:
            status = words.statuses.get(follow_up.status) or _escape(follow_up.status.lower())
            meta += f" ({status})"
    if goal.follow_up_overdue:
        meta += f" · {parts.overdue}"
    if follow_up:
        next_steps = (
            f"<p><strong>{words.next_steps}</strong> {_escape(follow_up.next_steps)}</p>"
            if follow_up.next_steps
            else ""
        )
        reported = f"\n          {linebreaks(follow_up.commentary, autoescape=True)}\n          {next_steps}\n        "
    else:
        reported = f'\n          <p class="goal-meta">{words.not_reported}</p>\n        '
    indicators = ""
    if assessment.indicators:
        # Written as {% blocktranslate %} writes it: the words as translated, the title escaped.
        caption = SafeString(words.indicators_of % {"title": title})
        indicators = (
            f"\n          \n          {_indicator_table(assessment.indicators, caption, parts)}\n\n        "
        )
    below = f" · {words.below} {_grade(assessment.roll_up, labels)}" if assessment.below else ""
    follow_up_start, follow_up_end = parts.follow_up_url
    level = labels.levels.get(goal.level) or _escape(goal.level)
    return SafeString(
        f'<article class="report-goal depth-{goal.depth}" aria-labelledby="goal-{goal.pk}">\n'
        f'        <h3 id="goal-{goal.pk}"><span class="level level-{_escape(goal.level)}">{level}</span>'
        f' <a href="{follow_up_start}{goal.pk}{follow_up_end}">{title}</a></h3>\n'
        f'        <p class="goal-meta">{_escape(goal.org_unit.name)}{meta}</p>\n'
        f"        {reported}\n"
        f"        {indicators}\n"
        f'        <p class="goal-meta">{words.suggest} {_grade(assessment.suggested, labels)}{below}</p>\n'
        "      </article>"
    )
