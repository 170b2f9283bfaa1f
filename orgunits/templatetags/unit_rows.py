"""A unit's page's units under it, written in Python rather than by an ``{% include %}`` of the
unit's label for each, as the organisation tree's rows are (``orgunits.views.tree_rows``): the top
of a large group has a score of units under it, and each include cost more than the row.

The HTML is the one the loop and ``orgunits/_unit_label.html`` wrote, byte for byte
(``tests/orgunits/test_unit_rows.py`` compares them); every value from the data is escaped.
"""

from collections.abc import Callable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from orgunits.addresses import address_around
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.templatetags.kind_icons import kind_icon

register = template.Library()


def unit_label_writer() -> Callable[[OrgUnit], str]:
    """A function that writes ``orgunits/_unit_label.html`` for a unit, from what the units of one
    page share, worked out once: the kinds' labels, the unit page's address around its slug and the
    words of the badges, in the page's language (the organisation tree's rows write it too)."""
    labels = {kind: conditional_escape(label) for kind, label in Kind.choices}
    url_start, url_end = address_around("orgunits:detail", "slug")
    political = f'<span class="visually-hidden">, {conditional_escape(gettext("political body"))}</span>'
    dissolved = f' <span class="badge-dissolved">{conditional_escape(gettext("Dissolved"))}</span>'

    def unit_label(unit: OrgUnit) -> str:
        url = conditional_escape(f"{url_start}{unit.slug}{url_end}")
        kind = labels.get(unit.kind) or conditional_escape(unit.kind)
        return (
            f'<span class="unit-label">{kind_icon(unit)}<a href="{url}">{conditional_escape(unit.name)}</a> '
            f'<span class="kind">{kind}{political if unit.is_political else ""}</span>'
            f"{'' if unit.is_active else dissolved}</span>"
        )

    return unit_label


@register.simple_tag
def unit_rows(units) -> SafeString:
    """``{% unit_rows children %}``: a list item per unit, coloured by its part in the chain, with
    its kind's icon, its name as a link, its kind and whether it is dissolved."""
    unit_label = unit_label_writer()
    return SafeString(
        "".join(
            f'\n        <li class="is-{conditional_escape(unit.part_in_chain)}">{unit_label(unit)}</li>\n      '
            for unit in units
        )
    )
