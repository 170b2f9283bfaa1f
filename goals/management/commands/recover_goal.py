"""``manage.py recover_goal ID --from-database-url URL``: bring back a deleted goal, and the goals
under it, from a backup restored into a database of its own (docs/operations.md)."""

import dj_database_url
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext, ngettext

from goals.recovery import goal_recover

# The restored backup's connection, alongside the portal's own for as long as the command runs.
SOURCE = "restored_backup"


class Command(BaseCommand):
    help = (
        "Put a deleted goal back from a restored backup: the goal with the goals under it, their "
        "processes and their indicators' links, under the goal it broke down. Reads the backup "
        "from --from-database-url, writes only to the portal's own database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "goal_id", type=int, help="The id of the deleted goal (in its address /goals/ID/)."
        )
        parser.add_argument(
            "--from-database-url",
            required=True,
            help="The database the backup was restored into, e.g. postgres://user@host/styrmodell_restored.",
        )

    def handle(self, *args, goal_id, from_database_url, **options):
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
