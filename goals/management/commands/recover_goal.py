"""``manage.py recover_goal ID --from-database-url URL``: bring back a deleted goal, and the goals
under it, from a backup restored into a database of its own (docs/operations.md)."""

import dj_database_url
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from goals.recovery import deleted_goals, goal_recover

# The restored backup's connection, alongside the portal's own for as long as the command runs.
SOURCE = "restored_backup"


class Command(BaseCommand):
    help = (
        "Put a deleted goal back from a restored backup: the goal with the goals under it, their "
        "processes and their indicators' links, under the goal it broke down. Reads the backup "
        "from --from-database-url, writes only to the portal's own database. --deleted lists the "
        "goals deleted and not recovered, with their ids."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "goal_id", type=int, nargs="?", help="The id of the deleted goal (as --deleted lists it)."
        )
        parser.add_argument(
            "--from-database-url",
            help="The database the backup was restored into, e.g. postgres://user@host/styrmodell_restored.",
        )
        parser.add_argument(
            "--deleted", action="store_true", help="List the goals deleted and not recovered, newest first."
        )

    def handle(self, *args, goal_id, from_database_url, deleted, **options):
        if deleted:
            self.list_deleted()
            return
        if goal_id is None or not from_database_url:
            raise CommandError(
                gettext(
                    "Name the goal's id and --from-database-url, or list the deleted goals with --deleted."
                )
            )
        # configure_settings fills in what Django expects of every connection (AUTOCOMMIT, ...).
        source = connections.configure_settings({"default": dj_database_url.parse(from_database_url)})
        connections.settings[SOURCE] = source["default"]
        try:
            recovered = goal_recover(goal_id=goal_id, source=SOURCE)
        except ValidationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        finally:
            connections[SOURCE].close()
            del connections[SOURCE]
            del connections.settings[SOURCE]
        goal, under_it = recovered[0], len(recovered) - 1
        if under_it:
            message = ngettext(
                "Recovered “%(goal)s” (id %(id)d) with %(count)d goal under it.",
                "Recovered “%(goal)s” (id %(id)d) with %(count)d goals under it.",
                under_it,
            )
        else:
            message = gettext("Recovered “%(goal)s” (id %(id)d).")
        self.stdout.write(message % {"goal": goal.title, "id": goal.pk, "count": under_it})
        for goal in recovered:
            self.stdout.write(f"  {goal.pk}  {goal.title}")

    def list_deleted(self) -> None:
        records = list(deleted_goals())
        if not records:
            self.stdout.write(gettext("No goal has been deleted (or each has been recovered)."))
            return
        self.stdout.write(gettext("Deleted goals, newest first: id, when, title, by whom."))
        for record in records:
            when = timezone.localtime(record.history_date)
            by = record.history_user.get_username() if record.history_user else "–"
            self.stdout.write(f"  {record.id}  {when:%Y-%m-%d %H:%M}  {record.title}  {by}")
