"""Recovering one deleted goal from a backup (docs/operations.md, *Bring back one deleted goal*):
backed up, deleted in the portal through its own service, the backup restored into a second
server, ``manage.py recover_goal`` puts the goal back with the goals under it, the processes it
served and its indicator with the measurements, and the portal shows it again."""

import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from goals.chain.services import goal_delete
from goals.models import FollowUp, Goal, Indicator, Measurement, ReportingPeriod, ReportingPeriodKind
from goals.recovery import RECOVERED
from processes.models import Process, ProcessKind
from tests.kit.instances import database_url
from tests.kit.people import member_of
from tests.operations.servers import ROOT, on_postgres, run_script

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]


def backed_up_and_restored(tmp_path, second_server) -> None:
    backup = tmp_path / "before.dump"
    assert (
        run_script("backup.py", database_url(connection.settings_dict), BACKUP_FILE=str(backup)).returncode
        == 0
    )
    assert run_script("restore.py", second_server, BACKUP_FILE=str(backup)).returncode == 0


def manage(*arguments: str) -> subprocess.CompletedProcess:
    """A ``manage.py`` command as the operator runs it, on the portal's (the test's) database."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env={**os.environ, "DATABASE_URL": database_url(connection.settings_dict)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def recover(goal_id: int, source: str) -> subprocess.CompletedProcess:
    return manage("recover_goal", str(goal_id), "--from-database-url", source)


def subtree(goal: Goal) -> list[tuple]:
    """Each goal under ``goal`` as the portal shows it: its place (depth, parent), content, status."""
    return [
        (g.pk, g.depth, Goal.objects.get_parent(g).pk, g.title, g.level, g.org_unit_id, g.status, g.owner_id)
        for g in Goal.objects.filter(path__startswith=goal.path).order_by("path")
    ]


def test_a_deleted_goal_comes_back_with_the_goals_under_it(
    client, group, workflow_chain, tmp_path, second_server
):
    chain = workflow_chain
    manager = member_of(group.administration, "karin")
    Goal.objects.filter(pk=chain.operational.pk).update(owner=manager)
    reading = Process.objects.create(
        kind=ProcessKind.MAIN, name="Lärande", slug="larande", owning_unit=group.administration
    )
    chain.operational.processes.add(reading)
    indicator = Indicator.objects.create(code="UF-LAS-01", name="Läsförmåga", unit_of_measure="%")
    indicator.goals.set([chain.operational])
    Measurement.objects.create(indicator=indicator, year=chain.period.year, value=Decimal("72"))
    before = subtree(chain.operational)
    backed_up_and_restored(tmp_path, second_server)
    # Deleted in the portal, a goal with nothing under it at a time, as a manager does it.
    for goal in (chain.activity, chain.department_goal, chain.operational):
        goal_delete(goal=Goal.objects.get(pk=goal.pk), by=manager)
    page = reverse("goals:detail", args=[chain.operational.pk])
    client.force_login(manager)
    assert client.get(page).status_code == 404

    # The history names what was deleted, when and by whom: the ids to recover.
    listed = manage("recover_goal", "--deleted")
    assert re.fullmatch(
        "Borttagna mål, det senaste först: id, när, titel, av vem.\n"
        + "".join(
            rf"  {goal.pk}  \d{{4}}-\d\d-\d\d \d\d:\d\d  {goal.title}  \S+\n"
            for goal in (chain.operational, chain.department_goal, chain.activity)
        ),
        listed.stdout,
    ), listed.stdout

    # The goal it broke down must be there first: the department's goal stood under the operational one.
    refused = recover(chain.department_goal.pk, second_server)
    assert (refused.returncode, refused.stderr) == (
        1,
        f"CommandError: ”Tidiga insatser i läsning” (id {chain.operational.pk}), målet som "
        "”Läsfrämjande i grundskolan” bröt ned, finns inte längre i portalen: återställ det först.\n",
    )

    recovering = recover(chain.operational.pk, second_server)

    assert recovering.returncode == 0, recovering.stderr
    assert recovering.stdout == (
        f"Återställde ”Tidiga insatser i läsning” (id {chain.operational.pk}) med 2 mål under det.\n"
        f"  {chain.operational.pk}  Tidiga insatser i läsning\n"
        f"  {chain.department_goal.pk}  Läsfrämjande i grundskolan\n"
        f"  {chain.activity.pk}  Läsveckor i årskurs 1–3\n"
    )
    recovered = Goal.objects.get(pk=chain.operational.pk)
    assert subtree(recovered) == before
    assert list(recovered.processes.all()) == [reading]
    assert list(recovered.indicators.all()) == [indicator]
    assert [problems for problems in Goal.objects.find_problems() if problems] == []
    assert [(h.history_type, h.history_change_reason) for h in recovered.history.all()[:2]] == [
        ("+", RECOVERED),
        ("-", None),
    ]
    shown = client.get(page)
    assert shown.status_code == 200
    assert "Tidiga insatser i läsning" in shown.text
    assert f'<a href="/goals/indicators/{indicator.pk}/">Läsförmåga</a>' in shown.text
    assert '<td class="number">72</td>' in shown.text  # the year's measurement
    assert "Läsfrämjande i grundskolan" in shown.text

    assert manage("recover_goal", "--deleted").stdout == (
        "Inget mål har tagits bort (eller så har vart och ett återställts).\n"
    )
    # Once back, it is not brought back twice.
    again = recover(chain.operational.pk, second_server)
    assert (again.returncode, again.stderr) == (
        1,
        f"CommandError: ”Tidiga insatser i läsning” (id {chain.operational.pk}) finns kvar i portalen; "
        "det finns inget att återställa.\n",
    )


def test_only_a_goal_the_portal_deleted_is_recovered(workflow_chain, tmp_path, second_server):
    chain = workflow_chain
    annual = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.ANNUAL)
    FollowUp.objects.create(goal=chain.department_goal, reporting_period=annual)
    backed_up_and_restored(tmp_path, second_server)
    Goal.objects.filter(pk__in=[chain.activity.pk, chain.department_goal.pk]).delete()  # not by the portal
    before = subtree(chain.operational)

    followed_up = recover(chain.department_goal.pk, second_server)
    unknown = recover(999999, second_server)

    assert (followed_up.returncode, followed_up.stderr) == (
        1,
        "CommandError: ”Läsfrämjande i grundskolan” eller ett mål under det har beslutats eller följts upp, "
        "så portalen har inte tagit bort det; återställ hela säkerhetskopian för att få tillbaka det.\n",
    )
    assert (unknown.returncode, unknown.stderr) == (
        1,
        "CommandError: Säkerhetskopian innehåller inget mål med id 999999.\n",
    )
    assert subtree(chain.operational) == before
