from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from orgunits import page_cache
from orgunits.forms import MembershipForm
from orgunits.history import history_of
from orgunits.kinds import MAY_ALSO_SERVE
from orgunits.models import Membership, OrgUnit, display_name
from orgunits.shortcuts import permitted_object_or_404
from orgunits.signals import unit_page_shown
from orgunits.templatetags.unit_rows import unit_label_writer
from orgunits.trees import flatten


def tree(request: HttpRequest) -> HttpResponse:
    """The organisation of every municipal group: all active units (or all, ``?dissolved=1``) in one
    list, from the shared cache of whole-group pages while the units have not changed."""
    show_dissolved = request.GET.get("dissolved") == "1"
    rows = page_cache.cached(("organisation-tree", show_dissolved), partial(tree_rows, show_dissolved))
    # Built by tree_rows from escaped parts only (conditional_escape).
    context = {"rows": mark_safe(rows), "show_dissolved": show_dissolved}
    return render(request, "orgunits/tree.html", context)


def tree_rows(show_dissolved: bool) -> str:
    """The tree's list items: the units in path order (one query), each opening its branch when it
    has units under it, the last of a branch closing it.

    Written in Python rather than in the template: a template loop looks up some ten variables,
    tags and filters per unit, which for a group of thousands of units cost more than the rest of
    the page. What the row shows is worked out once per page (the kinds' labels, the unit's
    address) and every value from the data is escaped."""
    units = OrgUnit.objects.all() if show_dissolved else OrgUnit.objects.active()
    unit_label = unit_label_writer()
    rows = []
    for node in flatten(units.forest()):
        unit = node.item
        rows.append(
            f'\n    <li class="org-node is-{unit.part_in_chain}"><div class="node-row">{unit_label(unit)}'
            "</div>\n    "
        )
        if node.children:
            name = conditional_escape(unit.name)
            under = gettext("Units under %(name)s (%(count)s)") % {"name": name, "count": node.children}
            rows.append(
                f'<details{" open" if unit.depth == 1 else ""}><summary class="node-toggle">'
                f'<span class="visually-hidden">{under}</span></summary><ul role="list">\n    '
            )
        else:
            rows.append("</li>" + "</ul></details></li>" * node.closes)
        rows.append("\n    ")
    return "".join(rows)


def served_beyond_the_tree(unit: OrgUnit) -> list[OrgUnit]:
    """The active units linked to ``unit`` by ``also_serves`` (one query, none for a unit of a kind
    that neither serves nor is served): the bodies it serves, or the administrations serving it."""
    if unit.kind in MAY_ALSO_SERVE:
        return list(unit.also_serves.active().order_by("path"))
    if any(unit.kind in served for served in MAY_ALSO_SERVE.values()):
        return list(unit.also_served_by.active().order_by("path"))
    return []


def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, slug=slug)
    ancestors = list(OrgUnit.objects.get_ancestors(unit))
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "parent": ancestors[-1] if ancestors else None,
        "children": OrgUnit.objects.get_children(unit).active(),
        # Beyond the tree: the bodies an administration also serves, or who also serves a body.
        "also_serves": served_beyond_the_tree(unit),
        "sections": [
            section
            for _receiver, section in unit_page_shown.send(OrgUnit, request=request, unit=unit)
            if section is not None
        ],
    }
    return render(request, "orgunits/unit_detail.html", context)


@login_required
def unit_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The people of a unit and their roles; its managers (and admins) add and remove them."""
    unit = permitted_object_or_404(request, OrgUnit, "orgunits.manage_memberships", slug=slug)
    form = MembershipForm(request.POST or None, unit=unit)
    if request.method == "POST":
        if remove_pk := request.POST.get("remove"):
            membership = get_object_or_404(Membership, pk=remove_pk, org_unit=unit)
            membership.delete()
            messages.success(
                request,
                gettext("%(user)s no longer has that role here.") % {"user": display_name(membership.user)},
            )
            return redirect("orgunits:members", slug=unit.slug)
        if form.is_valid():
            form.save()
            messages.success(
                request, gettext("%(user)s was added.") % {"user": display_name(form.instance.user)}
            )
            return redirect("orgunits:members", slug=unit.slug)
    memberships = unit.memberships.select_related("user").in_list_order()
    return render(
        request, "orgunits/unit_members.html", {"unit": unit, "memberships": memberships, "form": form}
    )


@login_required
def unit_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed the unit, when, why and what: its name, kind, place in the tree, dissolving. As
    for a goal, the record of changes is working material for signed-in people."""
    unit = get_object_or_404(OrgUnit, slug=slug)
    return render(request, "orgunits/unit_history.html", {"unit": unit, "entries": history_of(unit)})
