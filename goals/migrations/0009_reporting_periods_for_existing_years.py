"""Give every year that exists already its three reporting periods, as new years get them."""

import calendar
from datetime import date

from django.db import migrations

# (kind, last month, deadline as (years later, month, day)), as DEFAULT_REPORTING_PERIODS was then.
DEFAULTS = [("t1", 4, (0, 5, 20)), ("interim", 8, (0, 9, 20)), ("annual", 12, (1, 2, 15))]


def add_reporting_periods(apps, schema_editor):
    Period = apps.get_model("goals", "Period")
    ReportingPeriod = apps.get_model("goals", "ReportingPeriod")
    for period in Period.objects.all():
        for kind, end_month, (later, month, day) in DEFAULTS:
            ReportingPeriod.objects.get_or_create(
                period=period,
                kind=kind,
                defaults={
                    "starts": date(period.year, 1, 1),
                    "ends": date(period.year, end_month, calendar.monthrange(period.year, end_month)[1]),
                    "deadline": date(period.year + later, month, day),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("goals", "0008_indicators_and_follow_up")]

    operations = [migrations.RunPython(add_reporting_periods, migrations.RunPython.noop)]
