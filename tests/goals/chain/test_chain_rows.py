"""The chain tree's goals, written by ``goals.templatetags.chain_rows`` rather than by a template
loop: the same HTML as the loop wrote (the template below is that loop), statuses, grades,
branches open and closed, every text escaped."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from goals.chain.levels import Level
from goals.follow_up.grading import Attainment
from goals.follow_up.queries import with_unit_and_grade
from goals.models import Goal
from orgunits.trees import flatten, nest
from tests.kit.chain import add_goal, followed_up
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

# The chain tree's loop as chain_tree.html wrote it before the rows were written in Python.
TEMPLATE_LOOP = Template(
    """{% load grades %}
    {% for row in rows %}{% with goal=row.item %}
      <li class="goal-node"><div class="node-row">{% goal_label goal show_unit=True %}{% if goal.status != "approved" and goal.status != "archived" %} <span class="status status-badge status-{{ goal.status }}">{{ goal|status_label }}</span>{% endif %}</div>
      {% if row.children %}
        <details{% if open_all or goal.depth <= open_depth %} open{% endif %}>
          <summary class="node-toggle"><span class="visually-hidden">{% goals_under goal row.children %}</span></summary>
          <ul role="list">
      {% else %}
      </li>
      {% for _ in row.closing %}</ul></details></li>{% endfor %}
      {% endif %}
    {% endwith %}{% endfor %}
"""
)
TAG = Template(
    """{% load chain_rows %}
    {% chain_tree_rows rows open_all=open_all open_depth=open_depth %}
"""
)


@pytest.fixture
def rows(chain, group):
    """The chain with a draft and a submitted goal, a title to escape, and a graded goal."""
    chain.operational.title = 'Läsning <för> alla & "fler"'
    chain.operational.save(update_fields=["title"])
    add_goal(Level.OPERATIONAL, "Utkast & <skiss>", group.administration, chain.body)
    submitted = add_goal(Level.ACTIVITY, "Inlämnad", group.school, chain.department_goal)
    Goal.objects.filter(pk=submitted.pk).update(status="submitted")
    followed_up(chain.activity, Attainment.ACHIEVED)
    user = member_of(group.administration, "karin")
    goals = with_unit_and_grade(Goal.objects.filter(period=chain.period).order_by("path"), user)
    return flatten(nest(list(goals)))


@pytest.mark.parametrize(("open_all", "open_depth"), [(False, 2), (True, 0), (False, 9)])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rows_are_what_the_template_loop_wrote(rows, open_all, open_depth, language):
    context = {"rows": rows, "open_all": open_all, "open_depth": open_depth}
    request = RequestFactory().get("/goals/")
    with translation.override(language):
        expected = TEMPLATE_LOOP.render(Context(context | {"request": request}))
        written = TAG.render(Context(context | {"request": request}))
    assert written == expected
    assert "Läsning &lt;för&gt; alla &amp; &quot;fler&quot;" in written
    assert "status-submitted" in written and "status-draft" in written
    assert 'class="grade grade-' in written
    assert written.count("<details") == sum(1 for row in rows if row.children)


# A process's or a target group's goals of one organisation, as _goals_by_organisation.html's loop
# wrote them before the rows were written in Python.
OPEN_TEMPLATE_LOOP = Template(
    """{% load grades %}
      {% for row in rows %}{% with goal=row.item %}
        <li class="goal-node"><div class="node-row">{% goal_label goal show_unit=True %}</div>
        {% if row.children %}<details open><summary class="node-toggle"><span class="visually-hidden">{% goals_under goal row.children %}</span></summary><ul role="list">{% else %}</li>{% for _ in row.closing %}</ul></details></li>{% endfor %}{% endif %}
      {% endwith %}{% endfor %}
"""
)
OPEN_TAG = Template(
    """{% load chain_rows %}
      {% open_goal_tree_rows rows %}
"""
)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_open_rows_are_what_the_template_loop_wrote(rows, language):
    context = {"rows": rows, "request": RequestFactory().get("/processes/")}
    with translation.override(language):
        expected = OPEN_TEMPLATE_LOOP.render(Context(context))
        written = OPEN_TAG.render(Context(context))
    assert written == expected
    assert "Läsning &lt;för&gt; alla &amp; &quot;fler&quot;" in written
    assert written.count("<details open>") == sum(1 for row in rows if row.children)
