"""Each goal keeps a copy of its period's year, with an index on (year, path): the API's goal list in
year and chain order reads its page from that index instead of sorting every goal joined to its
period. A year's chain in chain order, a part of the organisation's goals in a year, and the few
goals in a workflow step (the to-do list's) get an index each."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import goals.chain.models


def copy_the_years(apps, schema_editor):
    Goal, Period = apps.get_model("goals", "Goal"), apps.get_model("goals", "Period")
    Goal.objects.update(year=Subquery(Period.objects.filter(pk=OuterRef("period_id")).values("year")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0016_history_client_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="year"),
        ),
        migrations.RunPython(copy_the_years, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="goal",
            name="year",
            field=goals.chain.models.GoalYearField(editable=False, verbose_name="year"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["year", "path"], name="goal_year_path"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["period", "path"], name="goal_period_path"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["org_unit", "period"], name="goal_unit_period"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["status"], name="goal_status"),
        ),
    ]
