"""A unit's page's units under it, written by ``orgunits.templatetags.unit_rows`` rather than by a
loop including ``orgunits/_unit_label.html``: the same HTML as the loop wrote (the template below is
that loop), political bodies, executing units, the auditors and dissolved units, every name escaped."""

import pytest
from django.template import Context, Template
from django.utils import translation

from orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

# The loop as unit_detail.html wrote it before the rows were written in Python.
TEMPLATE_LOOP = Template(
    """
      {% for child in children %}
        <li class="is-{{ child.part_in_chain }}">{% include "orgunits/_unit_label.html" with unit=child %}</li>
      {% endfor %}
"""
)
TAG = Template(
    """{% load unit_rows %}
      {% unit_rows children %}
"""
)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rows_are_what_the_loop_and_its_include_wrote(group, language):
    OrgUnit.objects.filter(pk=group.school.pk).update(name='Västra <skolan> & "fler"', is_active=False)
    units = list(OrgUnit.objects.order_by("path"))
    with translation.override(language):
        expected = TEMPLATE_LOOP.render(Context({"children": units}))
        written = TAG.render(Context({"children": units}))
    assert written == expected
    assert "Västra &lt;skolan&gt; &amp; &quot;fler&quot;" in written
    assert 'class="badge-dissolved"' in written
    assert 'class="is-political"' in written and 'class="is-executing"' in written
