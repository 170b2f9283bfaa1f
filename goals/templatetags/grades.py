"""The grade badge: a colour and, always, the grade in words, so that colour is never the only cue."""

from django import template

from goals.grading import Attainment

register = template.Library()


@register.inclusion_tag("goals/_grade.html")
def grade(value: str | None, prefix: str = ""):
    """``{% grade follow_up.attainment %}``; nothing for a goal without a grade."""
    if not value:
        return {"grade": None}
    return {"grade": value, "label": Attainment(value).label, "prefix": prefix}
