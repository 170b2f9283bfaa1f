"""Fill the two new records for what happened before them, where the history says it for sure.

- A follow-up's submitter is the person who saved the step into "submitted" for the last time (the
  follow-up's history records who took each step); a step taken by the system leaves it empty.
- A decision that approved operational goals and activities only was taken by delegation: a
  company's or a federation's from its own board; an administration's from the body that steers it
  (its nearest political ancestor), named only when neither the administration nor that body has
  moved or changed kind since the decision, so that the body named is the one that delegated then.
  Otherwise it stays empty rather than guessed.
"""

from collections import defaultdict

from django.db import migrations

# As the levels and kinds were when this was written.
DELEGATED_LEVELS = {"operational", "activity"}
POLITICAL_KINDS = {"council", "executive_board", "committee", "company", "federation"}
STEPLEN = 4  # OrgUnit.steplen


def fill_submitters(apps, schema_editor):
    FollowUp = apps.get_model("goals", "FollowUp")
    HistoricalFollowUp = apps.get_model("goals", "HistoricalFollowUp")
    submitter, previous = {}, {}
    steps = HistoricalFollowUp.objects.order_by("id", "history_date", "history_id").values_list(
        "id", "status", "history_user_id"
    )
    for follow_up_id, status, user_id in steps.iterator():
        if status == "submitted" and previous.get(follow_up_id) != "submitted":
            submitter[follow_up_id] = user_id
        previous[follow_up_id] = status
    by_user = defaultdict(list)
    for follow_up_id, user_id in submitter.items():
        if user_id is not None:
            by_user[user_id].append(follow_up_id)
    for user_id, pks in by_user.items():
        FollowUp.objects.filter(pk__in=pks).update(submitted_by_id=user_id)


def fill_delegations(apps, schema_editor):
    Decision = apps.get_model("goals", "Decision")
    DecisionGoal = apps.get_model("goals", "DecisionGoal")
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    HistoricalOrgUnit = apps.get_model("orgunits", "HistoricalOrgUnit")
    levels = defaultdict(set)
    for decision_id, level in DecisionGoal.objects.values_list("decision_id", "goal__level"):
        levels[decision_id].add(level)
    for decision in Decision.objects.select_related("deciding_unit"):
        if not levels[decision.pk] or not levels[decision.pk] <= DELEGATED_LEVELS:
            continue
        unit = decision.deciding_unit
        if unit.kind in POLITICAL_KINDS:
            body = unit
        else:
            prefixes = [unit.path[:end] for end in range(STEPLEN, len(unit.path), STEPLEN)]
            body = (
                OrgUnit.objects.filter(path__in=prefixes, kind__in=POLITICAL_KINDS).order_by("-depth").first()
            )
            if body is None or any(
                _changed_since(HistoricalOrgUnit, each, decision.recorded_at) for each in (unit, body)
            ):
                continue
        Decision.objects.filter(pk=decision.pk).update(delegated_by=body)


def _changed_since(HistoricalOrgUnit, unit, moment) -> bool:
    """Whether ``unit`` stood elsewhere or was of another kind at ``moment``, or has since: its
    version of then, or one saved after it, differs from it now, or it was moved after it (a move
    rewrites paths in bulk and then saves the moved unit with the reason "moved")."""
    versions = HistoricalOrgUnit.objects.filter(id=unit.pk)
    then = versions.filter(history_date__lte=moment).order_by("-history_date", "-history_id").first()
    if then is not None and (then.path, then.kind) != (unit.path, unit.kind):
        return True
    after = versions.filter(history_date__gt=moment)
    return (
        after.filter(history_change_reason="moved").exists()
        or after.exclude(path=unit.path, kind=unit.kind).exists()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0013_submitter_and_delegation"),
        ("orgunits", "0004_versions"),
    ]

    operations = [
        migrations.RunPython(fill_submitters, migrations.RunPython.noop),
        migrations.RunPython(fill_delegations, migrations.RunPython.noop),
    ]
