"""Send the notices and reminders that are due: run every few minutes by cron or a systemd timer
(``docs/notices.md``). Safe to run twice at once, and again after a failure: nothing is sent twice,
and what the mail server refused is tried again on the next run."""

from django.core.management.base import BaseCommand, CommandError

from notices.sending import send_notifications


class Command(BaseCommand):
    help = "Store today's reminders and send every notice that is due, each exactly once."

    def handle(self, *args, **options):
        result = send_notifications()
        summary = (
            f"{result.reminders_stored} reminders stored, {result.mails_sent} mails sent "
            f"({result.notices_sent} notices), {result.notices_dropped} notices dropped by choice, "
            f"{result.mails_failed} mails refused"
        )
        if result.mails_failed:
            # A non-zero exit for cron's mail and systemd's status; the notices stay pending.
            raise CommandError(
                f"{summary}; they stay pending and are retried on the next run: {result.errors[0]}"
            )
        self.stdout.write(summary)
