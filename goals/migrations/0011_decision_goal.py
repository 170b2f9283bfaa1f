"""Name the table of the goals a decision approves (until now Django's own for the many-to-many
field), and say which revision each row approves, so that the database refuses a second decision
for the same goal or the same revision."""

import django.db.models.deletion
from django.db import migrations, models


def link_approved_revisions(apps, schema_editor):
    """A row approves the revision that its decision approved for its goal, if any."""
    DecisionGoal = apps.get_model("goals", "DecisionGoal")
    Revision = apps.get_model("goals", "Revision")
    for revision in Revision.objects.filter(decision__isnull=False).only("pk", "goal_id", "decision_id"):
        DecisionGoal.objects.filter(decision_id=revision.decision_id, goal_id=revision.goal_id).update(
            revision=revision
        )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0010_follow_up_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DecisionGoal",
                    fields=[
                        ("id", models.AutoField(primary_key=True, serialize=False)),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="goals.decision"
                            ),
                        ),
                        (
                            "goal",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="goals.goal"),
                        ),
                    ],
                    options={
                        "db_table": "goals_decision_goals",
                        "unique_together": {("decision", "goal")},
                    },
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="goals",
                    field=models.ManyToManyField(
                        related_name="decisions",
                        through="goals.DecisionGoal",
                        to="goals.goal",
                        verbose_name="goals",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="decisiongoal",
            name="revision",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="goals.revision",
            ),
        ),
        migrations.RunPython(link_approved_revisions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="decisiongoal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revision__isnull", True)),
                fields=("goal",),
                name="one_first_decision_per_goal",
            ),
        ),
    ]
