from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from goals.indicators.file_import import MeasurementPlan, measurements_import, measurements_plan_file
from goals.indicators.upsert import Action, and_more


class Command(BaseCommand):
    help = (
        "Import measurements from a CSV file or an Excel workbook (.xlsx), all or nothing: a file with "
        "a bad row imports nothing. Running it again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV or .xlsx file, with a header row.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what the import would do, and write nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with file.open("rb") as opened:
                # The file is read as it is planned, and read again as it is imported.
                self._import(opened, file.name, dry_run=dry_run)
        except OSError as error:
            raise CommandError(
                gettext("%(file)s cannot be read: %(error)s") % {"file": file, "error": error}
            ) from error

    def _import(self, opened, file_name: str, *, dry_run: bool) -> None:
        # The server's own command line writes any indicator's values (``measurements_plan``).
        plan = measurements_plan_file(file=opened, by=None)
        if plan.problems:
            raise CommandError("\n".join(plan.problems))
        if plan.problem_count:
            for message in plan.messages():
                self.stderr.write(message)
            bad = plan.bad_line_count
            raise CommandError(
                ngettext(
                    "%(count)d row of %(file)s is bad; nothing was imported.",
                    "%(count)d rows of %(file)s are bad; nothing was imported.",
                    bad,
                )
                % {"count": bad, "file": file_name}
            )
        for planned in plan.changes:
            self.stdout.write(_change(planned))
        if plan.more_changes:
            self.stdout.write(and_more(plan.more_changes))
        self.stdout.write(_summary(plan))
        if dry_run:
            self.stdout.write(gettext("Dry run: nothing was imported."))
            return
        try:
            batch = measurements_import(plan=plan, by=None, file_name=file_name)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Imported %(file)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {
                    "file": batch.description,
                    "created": batch.created,
                    "updated": batch.updated,
                    "unchanged": batch.unchanged,
                }
            )
        )


def _change(planned) -> str:
    what = {
        "line": planned.line,
        "indicator": planned.indicator.code,
        "when": planned.reporting_period or planned.year,
        "gender": planned.gender,
        "before": planned.before,
        "after": planned.after,
    }
    if planned.action == Action.NEW:
        return gettext("Line %(line)d: %(indicator)s %(when)s %(gender)s: new value %(after)s") % what
    return gettext("Line %(line)d: %(indicator)s %(when)s %(gender)s: %(before)s → %(after)s") % what


def _summary(plan: MeasurementPlan) -> str:
    return gettext("Would import: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
        "created": plan.count(Action.NEW),
        "updated": plan.count(Action.CHANGED),
        "unchanged": plan.count(Action.UNCHANGED),
    }
