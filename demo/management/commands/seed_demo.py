from django.core.management.base import BaseCommand

from demo.seeding import seed_demo
from orgunits.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Create the demo municipal group (Sjöstads kommun) and its users. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisation units.",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("The database already holds an organisation; no demo data added.")
            return
        created = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data in place. Created: "
                + ", ".join(f"{count} {what}" for what, count in created.items())
                + f". {OrgUnit.objects.count()} units in all."
            )
        )
