"""Write the demo data so that running it again changes nothing."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.follow_ups import FOLLOW_UPS, DemoFollowUp, during_the_year
from demo.gaps import GOAL_OWNERS, HEADS, OWNER_VACANT, SERVES_NO_PROCESS, TARGET_NOT_SET, plant_gaps
from demo.goals import EXTRA_PROCESSES, STRATEGIC_PROCESSES, VISION, DemoGoal
from demo.indicators import INDICATORS, DemoIndicator, is_election_year, next_election
from demo.organisation import DEMO_PASSWORD, DEMO_USERS, SJOSTAD, DemoUnit, DemoUser
from demo.processes import PROCESSES, TARGET_GROUPS, DemoTargetGroup
from demo.workflow import seed_goals_in_motion
from goals.chain.levels import Level
from goals.chain.services import goal_approve, goal_submit, period_close
from goals.follow_up.grading import combined_grade
from goals.follow_up.reporting import assess, with_readings
from goals.follow_up.services import follow_up_review, follow_up_save, follow_up_submit
from goals.follow_up.workflow import REPORTED_LEVELS
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    Measurement,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
    Target,
)
from orgunits.models import Membership, Organisations, OrgUnit
from processes.models import Process, TargetGroup

# The order in which demo users are asked to report a goal's follow-up, the closest to the goal
# first, and to review it; the admin stands in where no demo user may.
REPORTERS = ("sara.ek", "lars.berg", "karin.lind", "per.holm")
REVIEWERS = ("eva.berg", "johan.nord", "karin.lind", "per.holm")


@transaction.atomic
def seed_demo(*, today: date | None = None) -> dict[str, int]:
    """Create or bring up to date the demo group, its users and processes, last year's and this
    year's steering chains, the indicators measuring them and their follow-ups: last year followed
    up in full and closed, this year in the reporting periods that ended before ``today``.

    Returns how many rows of each kind were created.
    """
    today = today or timezone.localdate()
    created = {"units": _seed_unit(SJOSTAD, parent=None), "users": 0}
    units = {unit.slug: unit for unit in OrgUnit.objects.all()}
    _seed_served_bodies(SJOSTAD, units)
    for demo_user in DEMO_USERS:
        created["users"] += _seed_user(demo_user, units)
    for head in HEADS:  # they own goals, and do not sign in
        created["users"] += _seed_user(head, units, password=None)
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[u.username for u in (*DEMO_USERS, *HEADS)])
    }
    created["target groups"] = sum(_seed_target_group(spec, parent=None) for spec in TARGET_GROUPS)
    created["processes"] = _seed_processes(units, users)
    processes = {process.slug: process for process in Process.objects.all()}
    created["goals"] = created["decisions"] = 0
    periods = []
    for year in (today.year - 1, today.year):
        period, _ = Period.objects.get_or_create(year=year)
        seeding = _GoalSeeding(period, units, users, processes, with_gaps=year == today.year)
        created["goals"] += seeding.seed(VISION, parent=None, processes=())
        created["decisions"] += _approve(seeding.new_goals, period=period, recorded_by=users["admin"])
        if year == today.year:  # besides the decided plan, a few goals still on their way
            created["goals"] += seed_goals_in_motion(period=period, units=units, users=users)
        periods.append(period)
    created |= _seed_indicators(INDICATORS, year=today.year, today=today, recorded_by=users["admin"])
    last_year, this_year = periods
    follow_ups = _FollowUpSeeding(users, today)
    created["follow-ups"] = follow_ups.seed(last_year) + follow_ups.seed(this_year)
    plant_gaps(period=this_year, users=users, today=today)
    if not last_year.is_closed:
        # A past year is closed: it takes no more reports, and its decided goals are archived.
        for reporting_period in last_year.reporting_periods.filter(is_open=True):
            reporting_period.is_open = False
            reporting_period.save(update_fields=["is_open"])
        period_close(period=last_year, by=users["admin"])
    return created


def _seed_unit(spec: DemoUnit, *, parent: OrgUnit | None) -> int:
    fields = {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "description": spec.description,
        "partner_municipalities": spec.partner_municipalities,
        "is_active": True,
    }
    unit, created = _seed_node(OrgUnit, lookup={"slug": spec.slug}, fields=fields, parent=parent)
    for child in spec.children:
        created += _seed_unit(child, parent=unit)
    return created


def _seed_served_bodies(spec: DemoUnit, units: dict) -> None:
    """The committees each administration also serves, once every unit exists."""
    if spec.also_serves:
        units[spec.slug].also_serves.set([units[slug] for slug in spec.also_serves])
    for child in spec.children:
        _seed_served_bodies(child, units)


class _GoalSeeding:
    """This year's demo chain, with the processes each goal serves."""

    def __init__(self, period: Period, units: dict, users: dict, processes: dict, *, with_gaps: bool):
        self.period, self.units, self.users, self.processes = period, units, users, processes
        self.with_gaps = with_gaps  # this year's planted gaps (``demo.gaps``)
        self.units_by_path = {unit.path: unit for unit in units.values()}
        self.new_goals: list[Goal] = []

    def seed(self, spec: DemoGoal, *, parent: Goal | None, processes: tuple[str, ...]) -> int:
        start_date, due_date = spec.dates(self.period.year)
        fields = {
            "level": spec.level,
            "description": spec.description,
            "owner": self._owner(spec),
            "start_date": start_date,
            "due_date": due_date,
            "progress": spec.progress,
        }
        lookup = {"period": self.period, "org_unit": self.units[spec.unit], "title": spec.title}
        goal, created = _seed_node(Goal, lookup=lookup, fields=fields, parent=parent)
        if created:
            self.new_goals.append(goal)
        # A goal serves the main process of the strategic goal it breaks down, and perhaps more.
        inherited = processes or (
            (STRATEGIC_PROCESSES[spec.title],) if spec.title in STRATEGIC_PROCESSES else ()
        )
        served = {*inherited, *EXTRA_PROCESSES.get(spec.title, ())}
        if self.with_gaps and spec.title == SERVES_NO_PROCESS:
            served = set()
        goal.processes.set([self.processes[slug] for slug in served])
        for child in spec.children:
            created += self.seed(child, parent=goal, processes=inherited)
        return created

    def _owner(self, spec: DemoGoal):
        """The goal's owner as the spec names it, else the head of the nearest unit at or above its
        unit (``GOAL_OWNERS``); none for the vision, nor for this year's vacant post."""
        if spec.owner:
            return self.users[spec.owner]
        if spec.level == Level.VISION or (self.with_gaps and spec.title == OWNER_VACANT):
            return None
        unit = self.units[spec.unit]
        for path in reversed(unit.ancestor_paths(include_self=True)):
            if (head := GOAL_OWNERS.get(self.units_by_path[path].slug)) is not None:
                return self.users[head]
        return None


def _approve(new_goals: list[Goal], *, period: Period, recorded_by) -> int:
    """Approve the goals this run created, one decision per deciding body or unit, as the plan for
    the year is decided: the council in November, the others in January. Goals that people made
    in the demo stay as they are."""
    by_deciding_unit: dict[OrgUnit, list[Goal]] = {}
    for goal in new_goals:
        by_deciding_unit.setdefault(goal.deciding_unit, []).append(goal)
    # The political bodies first: an administration's goals may break down the goals of a committee
    # it serves that stands after it in the tree (``OrgUnit.also_serves``).
    ordered = sorted(by_deciding_unit.items(), key=lambda item: (not item[0].is_political, item[0].path))
    for number, (unit, goals) in enumerate(ordered, start=1):
        for goal in goals:
            goal_submit(goal=goal, by=recorded_by)
        council = unit.is_root()
        planned = date(period.year - 1, 11, 25) if council else date(period.year, 1, 20 + number % 8)
        goal_approve(
            goals=goals,
            by=recorded_by,
            # A decision is recorded once its meeting has taken place: seeded early in January, the
            # bodies' meetings of the month are today's.
            meeting_date=min(planned, timezone.localdate()),
            paragraph=f"§ {187 if council else 10 + number}",
            registry_number=f"{unit.short_name or 'Dnr'} {period.year - 1}/{number:05d}",
        )
    return len(ordered)


def _seed_indicators(
    specs: tuple[DemoIndicator, ...], *, year: int, today: date, recorded_by
) -> dict[str, int]:
    """The indicators with their targets and values, each measuring the goals of its titles in
    every demo year. A value of a reporting period that has not ended yet is left out."""
    created = {"indicators": 0, "targets": 0, "measurements": 0}
    goals_by_title = defaultdict(list)
    titles = {title for spec in specs for title in spec.goals}
    for goal in Goal.objects.filter(period__year__in=(year - 1, year), title__in=titles):
        goals_by_title[goal.title].append(goal)
    reporting_periods = {
        (reporting_period.period.year, reporting_period.kind): reporting_period
        for reporting_period in ReportingPeriod.objects.filter(ends__lt=today).select_related("period")
    }
    existing_targets = {(target.indicator_id, target.year): target for target in Target.objects.all()}
    existing_values = {
        (m.indicator_id, m.year, m.reporting_period_id, m.gender): m for m in Measurement.objects.all()
    }
    for spec in specs:
        baseline_year, baseline_value = spec.baseline(year)
        fields = {
            "name": spec.name,
            "description": spec.description,
            "unit_of_measure": spec.unit_of_measure,
            "direction": spec.direction,
            "decimals": spec.decimals,
            "source": spec.source,
            "kolada_kpi": spec.kolada_kpi,
            "baseline_year": baseline_year,
            "baseline_value": baseline_value,
        }
        indicator, was_created = Indicator.objects.get_or_create(code=spec.code, defaults=fields)
        created["indicators"] += was_created
        _bring_up_to_date(indicator, fields)
        indicator.goals.set([goal for title in spec.goals for goal in goals_by_title[title]])
        for target_year, value in spec.target_values(year).items():
            if spec.code == TARGET_NOT_SET and target_year == year:
                Target.objects.filter(indicator=indicator, year=year).delete()  # a gap of this year
                continue
            if (target := existing_targets.get((indicator.pk, target_year))) is None:
                Target.objects.create(indicator=indicator, year=target_year, value=value)
                created["targets"] += 1
            else:
                _bring_up_to_date(target, {"value": value})
        for (value_year, kind, gender), value in spec.measured_values(year).items():
            reporting_period = None
            if kind is not None and (reporting_period := reporting_periods.get((value_year, kind))) is None:
                continue  # the period has not ended: nothing measured yet
            key = (indicator.pk, value_year, reporting_period.pk if reporting_period else None, gender)
            if (measurement := existing_values.get(key)) is None:
                Measurement.objects.create(
                    indicator=indicator,
                    year=value_year,
                    reporting_period=reporting_period,
                    gender=gender,
                    value=value,
                    source=spec.source,
                    entered_by=recorded_by,
                )
                created["measurements"] += 1
            else:
                _bring_up_to_date(measurement, {"value": value})
    return created


class _FollowUpSeeding:
    """A year's goals followed up in its reporting periods that have ended and are still open."""

    def __init__(self, users: dict, today: date):
        self.users, self.today = users, today
        self.admin = users["admin"]
        self.reporters = [users[name] for name in REPORTERS]
        self.reviewers = [users[name] for name in REVIEWERS]

    def seed(self, period: Period) -> int:
        reporting_periods = list(period.reporting_periods.filter(is_open=True, ends__lt=self.today))
        if not reporting_periods:
            return 0
        organisations = Organisations()
        goals = list(
            with_readings(
                Goal.objects.filter(period=period, level__in=REPORTED_LEVELS, title__in=list(FOLLOW_UPS))
                .select_related("org_unit")
                .order_by("path")
            )
        )
        for goal in goals:
            # Who decides, from the organisations fetched once, instead of a query per goal.
            goal.deciding_unit = goal.deciding_unit_among(organisations)
        people = {goal.pk: self._reporter_and_reviewer(goal) for goal in goals}
        done = set(
            FollowUp.objects.filter(reporting_period__in=reporting_periods).values_list(
                "goal_id", "reporting_period_id"
            )
        )
        created = 0
        for reporting_period in reporting_periods:
            # The goals below first, so that a goal's roll-up has their grades to go on.
            by_depth = defaultdict(list)
            for goal in goals:
                if (goal.pk, reporting_period.pk) not in done and self._spec(goal, reporting_period):
                    by_depth[goal.depth].append(goal)
            reviewed = []
            for depth in sorted(by_depth, reverse=True):
                for assessment in assess(by_depth[depth], reporting_period, self.admin):
                    goal = assessment.goal
                    spec = self._spec(goal, reporting_period)
                    reporter, reviewer = people[goal.pk]
                    # Unless the person judged otherwise, the grade is what the portal suggests from
                    # the goal's indicators, combined with the grades of the goals below.
                    attainment = spec.grade or combined_grade([assessment.suggested, assessment.roll_up])
                    follow_up = follow_up_save(
                        version=None,
                        goal=goal,
                        reporting_period=reporting_period,
                        by=reporter,
                        attainment=attainment,
                        commentary=self._text(
                            spec.commentary or during_the_year(attainment, goal.title), period.year
                        ),
                        next_steps=self._text(spec.next_steps, period.year),
                    )
                    created += 1
                    if not spec.submitted:
                        continue  # begun, and left as a draft
                    follow_up_submit(follow_up=follow_up, by=reporter)
                    if spec.reviewed:
                        follow_up_review(follow_up=follow_up, by=reviewer)
                        reviewed.append(follow_up.pk)
            # The service stamps the review with the time it runs; a demo review happened when the
            # deciders met after the deadline, so it is dated then (never later than now).
            reviewed_at = min(
                timezone.make_aware(
                    datetime.combine(reporting_period.deadline + timedelta(days=14), datetime.min.time())
                )
                + timedelta(hours=10),
                timezone.now(),
            )
            FollowUp.objects.filter(pk__in=reviewed).update(reviewed_at=reviewed_at)
        return created

    def _spec(self, goal: Goal, reporting_period: ReportingPeriod) -> DemoFollowUp | None:
        reports = FOLLOW_UPS[goal.title]
        kind, year = reporting_period.kind, reporting_period.period.year
        if year == self.today.year:
            return dict(zip(_KINDS_DURING_THE_YEAR, reports.this_year, strict=True)).get(kind)
        if kind == ReportingPeriodKind.ANNUAL and reports.after_an_election and is_election_year(year):
            return reports.after_an_election
        return dict(zip(ReportingPeriodKind, reports.last_year, strict=True))[kind]

    @staticmethod
    def _text(text: str, year: int) -> str:
        return text.format(year=year, next_election=next_election(year))

    def _reporter_and_reviewer(self, goal: Goal) -> tuple:
        """The demo user closest to the goal who may report it, and a demo user other than the
        reporter who decides it, the admin where there is none: whoever submits a follow-up does
        not review it. A goal that no demo user reports is reported by nobody named (the history
        says "the system"), so that the admin, who reviews it, is not its submitter too."""
        reporter = next(
            (user for user in self.reporters if user.has_perm("goals.report_follow_up", goal)), None
        )
        reviewer = next(
            (
                user
                for user in self.reviewers
                if user != reporter and user.has_perm("goals.decide_goal", goal)
            ),
            None,
        )
        return reporter, reviewer or self.admin


_KINDS_DURING_THE_YEAR = (ReportingPeriodKind.FOUR_MONTHS, ReportingPeriodKind.INTERIM)


def _seed_target_group(spec: DemoTargetGroup, *, parent: TargetGroup | None) -> int:
    fields = {"name": spec.name, "description": spec.description}
    group, created = _seed_node(TargetGroup, lookup={"slug": spec.slug}, fields=fields, parent=parent)
    return created + sum(_seed_target_group(child, parent=group) for child in spec.children)


def _seed_processes(units: dict, users: dict) -> int:
    groups = {group.slug: group for group in TargetGroup.objects.all()}
    created = 0
    for spec in PROCESSES:
        fields = {
            "name": spec.name,
            "kind": spec.kind,
            "purpose": spec.purpose,
            "owner": users.get(spec.owner),
            "owning_unit": units[spec.owning_unit],
            "is_active": True,
        }
        process, was_created = Process.objects.get_or_create(slug=spec.slug, defaults=fields)
        created += was_created
        _bring_up_to_date(process, fields)
        process.participants.set([units[slug] for slug in spec.participants])
        process.target_groups.set([groups[slug] for slug in spec.target_groups])
    return created


def _seed_node(model, *, lookup: dict, fields: dict, parent):
    """The tree node found by ``lookup``, brought up to date, or a new one placed under ``parent``
    (at the top when None). Returns the node and 1 when it was created, else 0."""
    node = model.objects.filter(**lookup).first()
    if node is not None:
        _bring_up_to_date(node, fields)
        return node, 0
    new_node = model(**lookup, **fields)
    if parent is None:
        return model.objects.add_root(instance=new_node), 1
    return model.objects.add_child(parent, instance=new_node), 1


def _bring_up_to_date(row, fields: dict) -> None:
    """Save only the fields that differ, so that a second run writes nothing."""
    if changed := [name for name, value in fields.items() if getattr(row, name) != value]:
        for name in changed:
            setattr(row, name, fields[name])
        row.save(update_fields=changed)


def _seed_user(spec: DemoUser, units: dict, *, password: str | None = DEMO_PASSWORD) -> int:
    user, created = get_user_model().objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@sjostad.example",
            "is_staff": spec.is_staff,
            "is_superuser": spec.is_superuser,
        },
    )
    if created:
        # Only on creation: hashing again would change the stored hash (a new salt) on every run.
        user.set_password(password)  # None: the person cannot sign in
        user.save(update_fields=["password"])
    for unit_slug, role, position in spec.memberships:
        membership, _ = Membership.objects.get_or_create(
            user=user, org_unit=units[unit_slug], role=role, defaults={"position": position}
        )
        _bring_up_to_date(membership, {"position": position})
    return int(created)
