"""The indicator list's rows, written in Python rather than in a template loop, as the goal rows
are (``grades``, ``chain_rows``): the list shows fifty indicators, and the loop's variable lookups,
``{% blocktranslate %}``, ``get_source_display`` and filters on each cost about half the page.

What a row shows is worked out once per rendering (the sources' labels and the words "in <unit>"
in the page's language); every value from the data is escaped. The HTML is the one the loop wrote,
byte for byte (``tests/goals/indicators/test_indicator_rows.py`` compares them).
"""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from goals.indicators.models import IndicatorSource
from goals.templatetags.grades import _escape
from goals.templatetags.indicators import NO_VALUE, measure

register = template.Library()


@register.simple_tag
def indicator_rows(rows) -> SafeString:
    """``{% indicator_rows rows %}``: a table row per ``(indicator, latest)`` of ``rows``: the
    indicator's name as a link, its code, unit and source, and its latest year's value and target
    (``latest``: a ``TrendRow``, or None for an indicator without values)."""
    sources = {value: conditional_escape(label) for value, label in IndicatorSource.choices}
    in_unit = gettext("in %(unit)s")
    written = []
    for indicator, latest in rows:
        unit = indicator.unit_of_measure
        in_unit_written = f"{in_unit % {'unit': _escape(unit)}} · " if unit else ""
        source = sources.get(indicator.source) or _escape(indicator.source)
        year = _escape(localize(latest.year)) if latest and latest.year is not None else NO_VALUE
        total = _escape(measure(latest.total if latest else "", indicator))
        target = _escape(measure(latest.target if latest else "", indicator))
        written.append(
            '\n          <tr>\n            <th scope="row">'
            f'\n              <a href="{_escape(indicator.get_absolute_url())}">{_escape(indicator.name)}</a>'
            f'\n              <span class="goal-meta">{_escape(indicator.code)} · {in_unit_written}{source}</span>'
            "\n            </th>"
            f'\n            <td class="number">{year}</td>'
            f'\n            <td class="number">{total}</td>'
            f'\n            <td class="number">{target}</td>'
            "\n          </tr>\n        "
        )
    return SafeString("".join(written))
