from django.shortcuts import get_object_or_404, render

from orgunits.models import OrgUnit
from orgunits.signals import unit_page_shown


def tree(request):
    """The organisation of every municipal group: all active units in one query, nested by path."""
    show_dissolved = request.GET.get("dissolved") == "1"
    units = OrgUnit.objects.all() if show_dissolved else OrgUnit.objects.active()
    return render(request, "orgunits/tree.html", {"forest": units.forest(), "show_dissolved": show_dissolved})


def unit_detail(request, slug):
    unit = get_object_or_404(OrgUnit, slug=slug)
    ancestors = list(OrgUnit.objects.get_ancestors(unit))
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "parent": ancestors[-1] if ancestors else None,
        "children": OrgUnit.objects.get_children(unit).active(),
        "sections": [
            section
            for _receiver, section in unit_page_shown.send(OrgUnit, request=request, unit=unit)
            if section is not None
        ],
    }
    return render(request, "orgunits/unit_detail.html", context)
