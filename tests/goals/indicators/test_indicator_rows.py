"""The indicator list's rows, written by ``goals.templatetags.indicator_rows`` rather than by a
template loop: the same HTML as the loop wrote (the template below is that loop), every text
escaped, values in the page's language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from goals.indicators.trends import latest_row, with_latest_value
from goals.models import Gender, Indicator, IndicatorSource, Measurement, Target

pytestmark = pytest.mark.django_db

# The list's loop as indicator_list.html wrote it before the rows were written in Python.
TEMPLATE_LOOP = Template(
    """{% load i18n indicators %}
        {% for indicator, latest in rows %}
          <tr>
            <th scope="row">
              <a href="{{ indicator.get_absolute_url }}">{{ indicator.name }}</a>
              <span class="goal-meta">{{ indicator.code }} · {% if indicator.unit_of_measure %}{% blocktranslate with unit=indicator.unit_of_measure %}in {{ unit }}{% endblocktranslate %} · {% endif %}{{ indicator.get_source_display }}</span>
            </th>
            <td class="number">{{ latest.year|default:"–" }}</td>
            <td class="number">{{ latest.total|measure:indicator }}</td>
            <td class="number">{{ latest.target|measure:indicator }}</td>
          </tr>
        {% endfor %}
"""
)
TAG = Template(
    """{% load indicator_rows %}
        {% indicator_rows rows %}
"""
)


@pytest.fixture
def rows():
    """Indicators with and without a unit, values, a target, of each source; names to escape."""
    reading = Indicator.objects.create(
        code="L<1>", name='Läsning <åk 3> & "mer"', unit_of_measure="<%>", decimals=1
    )
    cost = Indicator.objects.create(
        code="K-2", name="Kostnad", unit_of_measure="kr", decimals=0, source=IndicatorSource.KOLADA
    )
    Indicator.objects.create(code="T-3", name="Utan värden", unit_of_measure="")
    values = [(reading, 2025, "12345.55"), (reading, 2026, "-0.04"), (cost, 2026, "1234567")]
    for indicator, year, value in values:
        Measurement.objects.create(
            indicator=indicator, year=year, gender=Gender.TOTAL, value=Decimal(value), source=indicator.source
        )
    Target.objects.create(indicator=reading, year=2026, value=Decimal("80.25"))
    indicators = with_latest_value(Indicator.objects.order_by("name", "pk"))
    return [(indicator, latest_row(indicator)) for indicator in indicators]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rows_are_what_the_template_loop_wrote(rows, language):
    with translation.override(language):
        expected = TEMPLATE_LOOP.render(Context({"rows": rows}))
        written = TAG.render(Context({"rows": rows}))
    assert written == expected
    assert "Läsning &lt;åk 3&gt; &amp; &quot;mer&quot;" in written
    assert "&lt;%&gt;" in written
    assert written.count("<tr>") == 3
