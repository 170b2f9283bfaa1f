"""The chain tree's goals, written in Python rather than in a template loop, as the organisation
tree's units are (``orgunits.views.tree_rows``): a page of the tree shows a hundred goals, and the
loop's ``{% with %}``, ``{% if %}``, ``{% for %}`` and some ten variable lookups on each of them cost
more than the page's queries.

The goal's label and the toggle's words are those of ``grades`` (``goal_label``, ``goals_under``),
from the parts it works out once per rendering; the status badge's label is ``status_label``'s. The
HTML is the one the template's loop wrote, byte for byte (``tests/goals/chain/test_chain_rows.py``
compares them).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from goals.chain.workflow import PUBLIC_STATUSES
from goals.templatetags.grades import _escape, _row_parts, goal_label, status_label

register = template.Library()


@register.simple_tag(takes_context=True)
def chain_tree_rows(context, rows, *, open_all: bool, open_depth: int) -> SafeString:
    """``{% chain_tree_rows rows open_all=open_all open_depth=open_depth %}``: the list items of the
    tree's goals (``rows``: ``FlatNode``s of goals fetched with their unit and grade), each goal
    opening its branch when goals on the page break it down, open where ``open_all`` or down to the
    depth ``open_depth``, the last goal of a branch closing it."""
    goals_under = _row_parts(context).goals_under
    written = []
    for row in rows:
        goal = row.item
        # A decided goal (approved or archived) shows no status badge: that is the public's chain.
        status = (
            ""
            if goal.status in PUBLIC_STATUSES
            else f' <span class="status status-badge status-{_escape(goal.status)}">'
            f"{conditional_escape(status_label(goal))}</span>"
        )
        written.append(
            f'\n      <li class="goal-node"><div class="node-row">{goal_label(context, goal, show_unit=True)}'
            f"{status}</div>\n      "
        )
        if row.children:
            under = goals_under % {"title": _escape(goal.title), "count": row.children}
            written.append(
                f"\n        <details{' open' if open_all or goal.depth <= open_depth else ''}>"
                f'\n          <summary class="node-toggle"><span class="visually-hidden">{under}</span></summary>'
                '\n          <ul role="list">\n      '
            )
        else:
            written.append(f"\n      </li>\n      {'</ul></details></li>' * row.closes}\n      ")
        written.append("\n    ")
    return SafeString("".join(written))


@register.simple_tag(takes_context=True)
def open_goal_tree_rows(context, rows) -> SafeString:
    """``{% open_goal_tree_rows rows %}``: the list items of a group of goals nested by chain, every
    branch open (a process's or a target group's goals of one organisation), as the template's loop
    wrote them: fifty goals a page, each with its label and unit."""
    goals_under = _row_parts(context).goals_under
    written = []
    for row in rows:
        goal = row.item
        written.append(
            f'\n        <li class="goal-node"><div class="node-row">{goal_label(context, goal, show_unit=True)}'
            "</div>\n        "
        )
        if row.children:
            under = goals_under % {"title": _escape(goal.title), "count": row.children}
            written.append(
                '<details open><summary class="node-toggle"><span class="visually-hidden">'
                f'{under}</span></summary><ul role="list">'
            )
        else:
            written.append("</li>" + "</ul></details></li>" * row.closes)
        written.append("\n      ")
    return SafeString("".join(written))
