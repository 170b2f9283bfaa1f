from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from goals.chain.models import Goal
from goals.chain.workflow import Status
from orgunits.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Check the organisation tree and the goal chains: treebeard's own bookkeeping (paths, depths, "
        "numbers of children) and that every decided goal breaks down a decided goal. Lists what is "
        "wrong and fails when anything is; changes nothing."
    )

    def handle(self, *args, **options):
        problems = [
            gettext("%(tree)s: %(kind)s at %(nodes)s")
            % {"tree": model._meta.verbose_name_plural, "kind": kind, "nodes": ", ".join(map(str, nodes))}
            for model in (OrgUnit, Goal)
            for kind, nodes in zip(_PROBLEM_KINDS, model.objects.find_problems(), strict=True)
            if nodes
        ]
        problems += [
            gettext(
                "“%(goal)s” (%(year)s) is %(status)s, but breaks down “%(parent)s”, which is %(parent_status)s."
            )
            % {
                "goal": goal.title,
                "year": goal.period.year,
                "status": goal.get_status_display().lower(),
                "parent": goal.parent_title,
                "parent_status": Status(goal.parent_status).label.lower(),
            }
            for goal in Goal.objects.all().decided_under_undecided().select_related("period")
        ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                ngettext("%(count)d problem found.", "%(count)d problems found.", len(problems))
                % {"count": len(problems)}
            )
        self.stdout.write(gettext("The organisation tree and every goal chain are whole."))


# What each of the lists of treebeard's ``find_problems()`` holds, in its order.
_PROBLEM_KINDS = (
    _("characters outside the path's alphabet"),
    _("a path of the wrong length"),
    _("no parent"),
    _("the wrong depth"),
    _("the wrong number of children"),
)
