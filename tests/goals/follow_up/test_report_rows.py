"""The report's goals and indicator tables, written by ``goals.templatetags.report_rows`` rather than
by templates: the same HTML as the templates wrote (the literals below are what they wrote), every
text escaped, the addresses those of ``reverse()``."""

import datetime
import re

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from django.utils.formats import date_format

from goals.follow_up.grading import Attainment
from goals.models import Indicator, Measurement, ReportingPeriod, ReportingPeriodKind, ReviewStatus, Target
from tests.kit.chain import followed_up
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def article_of(html: str, goal) -> str:
    """The report's article about ``goal``."""
    [article] = re.findall(rf'<article [^>]*aria-labelledby="goal-{goal.pk}">.*?</article>', html, re.S)
    return article


@pytest.fixture
def report_period(chain) -> ReportingPeriod:
    """The year's first report."""
    return ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)


def test_a_goal_with_its_follow_up_and_indicators_reads_as_the_template_wrote_it(
    client, chain, group, report_period, this_year
):
    goal = chain.operational
    goal.title = 'Läsning <för> alla & "fler"'
    goal.save(update_fields=["title"])
    indicator = Indicator.objects.create(code="L-1", name="Läsning <åk 3>", unit_of_measure="%")
    indicator.goals.add(goal)
    Target.objects.create(indicator=indicator, year=this_year, value=80)
    Measurement.objects.create(
        indicator=indicator, year=this_year, value=75, source="manual", reporting_period=report_period
    )
    follow_up = followed_up(goal, Attainment.PARTLY, status=ReviewStatus.SUBMITTED)
    follow_up.commentary = "Fler läser <b>bättre</b>.\n\nMen inte alla & inte överallt."
    follow_up.next_steps = "Läsombud <i>på varje skola</i>"
    follow_up.save(update_fields=["commentary", "next_steps"])
    client.force_login(member_of(group.administration, "karin"))

    response = client.get(reverse("goals:report"), {"reporting_period": report_period.pk})

    address = reverse("goals:follow-up", args=[goal.pk, report_period.pk])
    indicator_address = reverse("goals:indicator", args=[indicator.pk])
    assert article_of(response.content.decode(), goal) == (
        f'<article class="report-goal depth-{goal.depth}" aria-labelledby="goal-{goal.pk}">\n'
        f'        <h3 id="goal-{goal.pk}"><span class="level level-operational">Verksamhetsmål</span>'
        f' <a href="{address}">Läsning &lt;för&gt; alla &amp; &quot;fler&quot;</a></h3>\n'
        '        <p class="goal-meta">Utbildningsförvaltningen · <span class="grade grade-partly">'
        "Delvis uppnått</span> (inskickad för granskning)</p>\n"
        "        \n"
        "          <p>Fler läser &lt;b&gt;bättre&lt;/b&gt;.</p>\n\n<p>Men inte alla &amp; inte överallt.</p>\n"
        "          <p><strong>Nästa steg:</strong> Läsombud &lt;i&gt;på varje skola&lt;/i&gt;</p>\n"
        "        \n"
        "        \n"
        "          \n"
        '          <div class="table-scroll"><table class="matrix indicators">\n'
        '  <caption class="visually-hidden">Indikatorerna för Läsning &lt;för&gt; alla &amp; '
        "&quot;fler&quot;</caption>\n"
        '  <thead><tr><th scope="col">Indikator</th><th scope="col">Målvärde</th>'
        '<th scope="col">Utfall</th><th scope="col">Bedömning</th></tr></thead>\n'
        "  <tbody>\n"
        "    \n"
        "      <tr>\n"
        f'        <th scope="row"><a href="{indicator_address}">Läsning &lt;åk 3&gt;</a></th>\n'
        "        <td>80\u00a0%</td>\n"
        "        <td>75\u00a0%</td>\n"
        '        <td><span class="grade grade-not_achieved">Ej uppnått</span></td>\n'
        "      </tr>\n"
        "    \n"
        "  </tbody>\n"
        "</table></div>\n"
        "\n"
        "        \n"
        '        <p class="goal-meta">Indikatorerna pekar på: <span class="grade grade-not_achieved">'
        "Ej uppnått</span></p>\n"
        "      </article>"
    )


def test_a_goal_not_reported_says_so_and_that_it_is_overdue(client, chain, group, report_period):
    followed_up(chain.operational, Attainment.ACHIEVED)
    report_period.deadline = timezone.localdate() - datetime.timedelta(days=1)
    report_period.save(update_fields=["deadline"])
    response = client.get(reverse("goals:report"), {"reporting_period": report_period.pk})
    article = article_of(response.content.decode(), chain.body)
    deadline = date_format(report_period.deadline, "j F Y")
    assert (
        f'<p class="goal-meta">{chain.body.org_unit.name} · <span class="overdue">Försenad – sista dag {deadline}</span></p>\n'
        "        \n"
        '          <p class="goal-meta">Inte rapporterad ännu.</p>\n'
        "        \n"
        "        \n"
        '        <p class="goal-meta">Indikatorerna pekar på: <span class="grade grade-not_assessed">Ej bedömt</span>'
        ' · Målen under: <span class="grade grade-achieved">Uppnått</span></p>\n'
        "      </article>"
    ) in article


def test_the_addresses_carry_the_script_prefix_the_portal_is_served_under(
    client, chain, group, report_period
):
    indicator = Indicator.objects.create(code="L-1", name="Läsning")
    indicator.goals.add(chain.operational)
    params, report = {"reporting_period": report_period.pk}, reverse("goals:report")
    at_the_root = article_of(client.get(report, params).content.decode(), chain.operational)
    set_script_prefix("/styr/")  # as Django's WSGI handler does from the SCRIPT_NAME a proxy passes
    try:
        under_prefix = client.get(report, params).content.decode()
        follow_up = reverse("goals:follow-up", args=[chain.operational.pk, report_period.pk])
        indicator_page = reverse("goals:indicator", args=[indicator.pk])
    finally:
        set_script_prefix("/")
    under_prefix = article_of(under_prefix, chain.operational)
    assert follow_up.startswith("/styr/") and f'<a href="{follow_up}">' in under_prefix
    assert f'<a href="{indicator_page}">Läsning</a>' in under_prefix
    # The addresses made under the prefix are not kept for the next page served at the root.
    assert at_the_root == under_prefix.replace('href="/styr/', 'href="/')
    assert article_of(client.get(report, params).content.decode(), chain.operational) == at_the_root
