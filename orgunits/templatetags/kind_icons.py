"""The kinds' icons as one SVG sprite per page.

A page that shows units writes ``{% kind_icon_sprite %}`` once: every kind's heroicon as a
``<symbol>``. Each unit then points at its kind's symbol with ``{% kind_icon unit %}`` (a few bytes)
instead of repeating the whole drawing, which on the tree of a large group was most of the page.
The icons are decoration: the kind is always written out as text beside them.
"""

import functools
from xml.etree import ElementTree

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from heroicons.templatetags.heroicons import heroicon_outline

from orgunits.kinds import KIND_ICONS

register = template.Library()


def symbol_id(kind: str) -> str:
    return f"kind-icon-{kind}"


@functools.cache
def _sprite() -> str:
    sprite = ElementTree.Element("svg", {"class": "icon-sprite", "aria-hidden": "true", "focusable": "false"})
    for kind, name in KIND_ICONS.items():
        drawing = ElementTree.fromstring(str(heroicon_outline(name, size=None)))
        symbol = ElementTree.SubElement(
            sprite, "symbol", {"id": symbol_id(kind), "viewBox": drawing.get("viewBox")}
        )
        # The outline style lives on the drawing's <svg>; keep it on a group inside the symbol.
        strokes = ElementTree.SubElement(
            symbol,
            "g",
            {attribute: drawing.get(attribute) for attribute in ("fill", "stroke", "stroke-width")},
        )
        strokes.extend(drawing)
    return ElementTree.tostring(sprite, encoding="unicode", short_empty_elements=False)


@register.simple_tag
def kind_icon_sprite() -> str:
    """Every kind's icon as a ``<symbol>``, to write once on a page that shows units."""
    return mark_safe(_sprite())


@register.simple_tag
def kind_icon(unit, size: int = 20) -> str:
    """The icon of the unit's kind, drawn from the page's sprite (decoration: ``aria-hidden``)."""
    return _kind_icon(unit.kind, size)


@functools.lru_cache(maxsize=64)
def _kind_icon(kind: str, size: int) -> str:
    # Built once per kind and size rather than once per unit: a page lists hundreds of units.
    return format_html(
        '<svg class="kind-icon" width="{}" height="{}" aria-hidden="true"><use href="#{}"></use></svg>',
        size,
        size,
        symbol_id(kind),
    )
