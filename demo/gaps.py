"""The gaps the demo's chain has on purpose, as real years do, so that the chain's health page
(``/goals/health/``, ``docs/chain-health.md``) has something to show: this year's, each planted
once, besides those the demo had already (the goals judged without an indicator,
``demo.follow_ups.JUDGED``; the interim reports still missing, ``LATE``, and those waiting for the
committee's review, ``WAITING_FOR_REVIEW``). ``tests/demo`` checks that the page finds these and
nothing else.

Every goal has an owner, the head of its part of the group (``GOAL_OWNERS``), but one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from demo.organisation import DemoUser
from goals.chain.services import goal_revise, goal_submit
from goals.follow_up.workflow import ReviewStatus
from goals.models import FollowUp, Goal, Period, ReportingPeriodKind, Revision

# The people who answer for the goals (målansvariga): the head of each part of the group, by the
# slug of the unit they lead. A goal is owned by the head of the nearest unit at or above its unit;
# a committee's goals by the head of its administration. Demo users lead some parts; the others are
# named here and do not sign in.
HEADS = (
    DemoUser("helena.strom", "Helena", "Ström"),  # kommundirektör
    DemoUser("anders.nyberg", "Anders", "Nyberg"),
    DemoUser("sofia.hedlund", "Sofia", "Hedlund"),
    DemoUser("erik.lundgren", "Erik", "Lundgren"),
    DemoUser("lena.dahl", "Lena", "Dahl"),  # stadsbyggnadschef
    DemoUser("jonas.aberg", "Jonas", "Åberg"),  # miljöchef
    DemoUser("mats.eriksson", "Mats", "Eriksson"),  # kanslichef, valnämndens sekreterare
    DemoUser("ulf.sandberg", "Ulf", "Sandberg"),  # VD, Stadshus AB
    DemoUser("camilla.wikstrom", "Camilla", "Wikström"),
    DemoUser("peter.forsberg", "Peter", "Forsberg"),
    DemoUser("ingrid.holmgren", "Ingrid", "Holmgren"),
    DemoUser("daniel.oberg", "Daniel", "Öberg"),
    DemoUser("karl.nordin", "Karl", "Nordin"),
    DemoUser("tomas.berglund", "Tomas", "Berglund"),  # räddningschef
    DemoUser("birgitta.lund", "Birgitta", "Lund"),  # chef för överförmyndarenheten
)

GOAL_OWNERS = {
    "kommunfullmaktige-i-sjostad": "helena.strom",
    "utbildningsnamnden": "karin.lind",
    "vastra-skolan": "sara.ek",
    "omsorgsnamnden": "per.holm",
    "namnden-for-arbete-och-valfard": "anders.nyberg",
    "kultur-och-fritidsnamnden": "sofia.hedlund",
    "tekniska-namnden": "erik.lundgren",
    "byggnadsnamnden": "lena.dahl",
    "miljo-och-halsoskyddsnamnden": "jonas.aberg",
    "valnamnden": "mats.eriksson",
    "sjostads-stadshus-ab": "ulf.sandberg",
    "sjostadsbostader-ab": "camilla.wikstrom",
    "sjostad-energi-ab": "peter.forsberg",
    "sjostads-kommunfastigheter-ab": "ingrid.holmgren",
    "sjostad-science-park-ab": "daniel.oberg",
    "sjostad-airport-ab": "karl.nordin",
    "raddningstjansten-storsjobygden": "tomas.berglund",
    "overformyndarnamnden-i-storsjobygden": "birgitta.lund",
}

# This year's planted gaps, one of each kind.
# The head of the labour market department left in the spring; the post is vacant.
OWNER_VACANT = "Fler deltagare går från försörjningsstöd till arbete eller studier"
# The library's opening hours: the committee never set this year's target.
TARGET_NOT_SET = "KFF-BI-01"
# Added to the plan without saying which process it serves.
SERVES_NO_PROCESS = "Brukarna möter färre olika personal i hemtjänsten"
# A four-month report graded and reviewed with nothing written.
WITHOUT_COMMENTARY = "Fler äldre kan bo kvar hemma med trygg hemtjänst"
# A change proposed in the autumn, still waiting for the committee's decision.
REVISION = {
    "goal": "Gator och parker upplevs som trygga",
    "title": "Gator, parker och gång- och cykelvägar upplevs som trygga",
    "proposed_by": "erik.lundgren",
    "days_ago": 60,
}
# The interim reports waiting for the committee's review were sent in before the deadline.
SENT_DAYS_BEFORE_DEADLINE = 2


def plant_gaps(*, period: Period, users: dict, today: date) -> None:
    """Plant this year's gaps that come after the goals, indicators and follow-ups are in place: a
    follow-up without a commentary, a proposed change waiting long, and the submissions of the
    reports waiting for review dated when they were sent. Running it again changes nothing."""
    FollowUp.objects.filter(
        goal__period=period,
        goal__title=WITHOUT_COMMENTARY,
        reporting_period__kind=ReportingPeriodKind.FOUR_MONTHS,
    ).exclude(commentary="").update(commentary="")
    _propose_change(period, users, today)
    for follow_up in FollowUp.objects.filter(
        goal__period=period, status=ReviewStatus.SUBMITTED
    ).select_related("reporting_period"):
        sent = min(
            _at(follow_up.reporting_period.deadline - timedelta(days=SENT_DAYS_BEFORE_DEADLINE)),
            timezone.now(),
        )
        # Begun and sent on the same day: the history of the report ends then.
        follow_up.history.filter(history_date__gt=sent).update(history_date=sent)


def _propose_change(period: Period, users: dict, today: date) -> None:
    goal = Goal.objects.filter(period=period, title=REVISION["goal"]).first()
    if goal is None or Revision.objects.filter(goal=goal).exists():
        return
    proposer = users[REVISION["proposed_by"]]
    content = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS} | {"title": REVISION["title"]}
    revision = goal_revise(
        goal=goal, by=proposer, content=content, processes=goal.processes.all(), version=None
    )
    goal_submit(goal=goal, by=proposer)
    when = _at(today - timedelta(days=REVISION["days_ago"]))
    revision.history.model.objects.filter(id=revision.pk).update(history_date=when)


def _at(day: date) -> datetime:
    """A time of day on ``day`` when people work, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time(14)))
