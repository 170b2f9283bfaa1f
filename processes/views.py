from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from orgunits.concurrency import Conflict
from orgunits.history import history_of
from orgunits.models import OrgUnit
from orgunits.shortcuts import permitted_object_or_404
from orgunits.trees import subtree_of
from processes.forms import ProcessForm
from processes.models import Process, ProcessKind, TargetGroup
from processes.signals import page_shown


def _sections(request: HttpRequest, obj) -> list:
    return [section for _receiver, section in page_shown.send(type(obj), request=request, obj=obj) if section]


def process_list(request: HttpRequest) -> HttpResponse:
    """The processes, grouped by kind, and the target groups they serve."""
    processes = (
        Process.objects.active()
        .select_related("owning_unit", "owner")
        .annotate(participant_count=Count("participants", distinct=True))
    )
    by_kind = [(label, [p for p in processes if p.kind == kind]) for kind, label in ProcessKind.choices]
    context = {
        "by_kind": [(label, items) for label, items in by_kind if items],
        "target_groups": TargetGroup.objects.all(),
    }
    return render(request, "processes/process_list.html", context)


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(
        Process.objects.select_related("owning_unit", "owner").prefetch_related(
            Prefetch("participants", queryset=OrgUnit.objects.order_by("path")), "target_groups"
        ),
        slug=slug,
    )
    return render(
        request,
        "processes/process_detail.html",
        {"process": process, "sections": _sections(request, process)},
    )


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The process owner, or staff on their behalf, keeps the process up to date."""
    process = permitted_object_or_404(request, Process, "processes.edit_process", slug=slug)
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except Conflict as error:
            form.refused(error, Process.objects.get(pk=process.pk))
        else:
            return redirect(process)
    return render(request, "processes/process_form.html", {"form": form, "process": process})


@login_required
def process_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed the process, when and what: its name, purpose, owner, owning unit. As for a goal,
    the record of changes is working material for signed-in people."""
    process = get_object_or_404(Process, slug=slug)
    entries = history_of(process, "owner", "owning_unit")
    return render(request, "processes/process_history.html", {"process": process, "entries": entries})


def target_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(TargetGroup, slug=slug)
    # The processes aimed at the group or at one of its sub-groups.
    processes = (
        Process.objects.active()
        .filter(subtree_of(group, "target_groups__"))
        .select_related("owning_unit")
        .distinct()
    )
    context = {
        "group": group,
        "ancestors": TargetGroup.objects.get_ancestors(group),
        "sub_groups": TargetGroup.objects.get_children(group),
        "processes": processes,
        "sections": _sections(request, group),
    }
    return render(request, "processes/target_group_detail.html", context)
