"""A large municipal group for measuring the portal's speed (``manage.py seed_scale``).

Everything is generated from one seed, so a seed gives the same rows on every empty database, and
written with ``bulk_create``. The trees' materialized paths are computed here, as treebeard's
``load_bulk`` computes them, with the model's own ``_get_path``: bulk inserts pass by the guarded
managers, so the generator keeps the placement and chain rules by construction (see
``tests/demo/test_seed_scale.py``, which checks every unit and goal against them).

The shape:

- the organisation: a council; an executive board and committees, each with an administration
  (the large ones with departments and units); a group parent company whose subsidiaries own
  subsidiaries, five companies deep, so that the tree is seven units deep; and federations;
- a steering chain for each of several years (four by default) up to this one, the goals shared
  evenly between them, as a real database holds its history: each year's chain decided anew (the
  same titles recur), a vision, strategic goals, body goals at every political body, operational
  goals at every administration, department and unit, and activities, the most; every goal but
  an activity is broken down, down to activities. Each year's vision is a root of the goals' tree,
  the earliest first. This year's chain is drawn from the seed as a single year's always was, each
  earlier year's from a generator of its own, so ``years=1`` gives the rows of one year alone;
- processes with participants and target groups, and goals of every year serving them where
  their unit or one above it takes part;
- indicators measuring strategic, body and operational goals of every year's chain, with targets
  and values over as many past years as the number of measurements asks for, some split into
  women and men, each value in its own year's reporting period;
- each year's goals decided (one decision per deciding body or organisation and year); this
  year's approved and its reporting goals followed up in the four-month report; the earlier
  years closed, with their reporting periods, their goals archived as closing a year archives
  them, and most of their reporting goals followed up in each of the year's three reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from demo.processes import TARGET_GROUPS, DemoTargetGroup
from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.workflow import REPORTED_LEVELS
from goals.indicators.models import Direction
from goals.models import (
    Decision,
    FollowUp,
    Gender,
    Goal,
    Indicator,
    IndicatorSource,
    Measurement,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
    Target,
)
from orgunits.kinds import ORGANISATION_KINDS, Kind, is_political
from orgunits.models import OrgUnit
from processes.models import Process, ProcessKind, TargetGroup

# The earliest year a measurement may have (the models' year validators).
FIRST_YEAR = 2000

EXECUTING_KINDS = (Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.UNIT)

COMMITTEES = (
    ("Barn- och utbildningsnämnden", "BUN"),
    ("Socialnämnden", "SN"),
    ("Vård- och omsorgsnämnden", "VON"),
    ("Kultur- och fritidsnämnden", "KFN"),
    ("Miljö- och byggnadsnämnden", "MBN"),
    ("Tekniska nämnden", "TN"),
    ("Gymnasie- och vuxenutbildningsnämnden", "GVN"),
    ("Arbetsmarknadsnämnden", "AMN"),
    ("Samhällsbyggnadsnämnden", "SBN"),
    ("Överförmyndarnämnden", "ÖFN"),
)
COMPANIES = (
    "Bostäder",
    "Energi",
    "Vatten",
    "Hamn",
    "Fastigheter",
    "Stadsnät",
    "Parkering",
    "Näringsliv",
    "Elnät",
    "Värme",
    "Turism",
    "Flygplats",
)
FEDERATIONS = ("Räddningstjänstförbundet", "Gymnasieförbundet", "Överförmyndarförbundet")

VISION = "Den hållbara kommunen där alla kan växa"
STRATEGIC = (
    "Alla barn och unga får en god start i livet",
    "Äldre lever ett självständigt och tryggt liv",
    "Kommunen växer hållbart med bostäder för alla",
    "Ett starkt näringsliv och fler i arbete",
    "En trygg och levande kommun",
    "Klimatneutral kommunkoncern",
    "En attraktiv arbetsgivare",
    "God ekonomisk hushållning",
)
BODY = (
    "Ökad måluppfyllelse",
    "Stärkt kvalitet i verksamheten",
    "Minskad klimatpåverkan",
    "Högre nöjdhet hos invånarna",
    "Ekonomi i balans",
    "Fler digitala tjänster",
    "Tryggare offentliga miljöer",
)
OPERATIONAL = (
    "Kortare handläggningstider",
    "Högre andel nöjda brukare",
    "Minskad sjukfrånvaro",
    "Fler elever med godkända betyg",
    "Lägre energianvändning",
    "Ökad tillgänglighet",
    "Stärkt samverkan med civilsamhället",
    "Fler heltidsanställda",
)
ACTIVITIES = (
    "Införa digital ansökan",
    "Genomföra brukarenkät",
    "Utbilda medarbetarna",
    "Ta fram handlingsplan",
    "Byta till LED-belysning",
    "Starta samverkansforum",
    "Se över rutinerna",
    "Pröva nytt arbetssätt",
)
INDICATORS = (
    ("Andel nöjda brukare", "%"),
    ("Andel elever med godkända betyg", "%"),
    ("Sjukfrånvaro", "%"),
    ("Energianvändning per kvadratmeter", "kWh"),
    ("Kostnad per invånare", "kr"),
    ("Antal färdigställda bostäder", "antal"),
    ("Handläggningstid", "dagar"),
    ("Andel heltidsanställda", "%"),
)
PROCESSES = {
    ProcessKind.MAIN: ("Lärande", "Omsorg och stöd", "Boende och livsmiljö", "Trygghet", "Kultur och fritid"),
    ProcessKind.MANAGEMENT: ("Styrning och ledning", "Verksamhetsplanering", "Uppföljning"),
    ProcessKind.SUPPORT: ("Ekonomi", "Kompetensförsörjning", "Digitalisering", "Kommunikation"),
}


GRADE_COMMENTARY = {
    Attainment.ACHIEVED: "Målet nås: indikatorerna ligger på eller över målvärdena.",
    Attainment.PARTLY: "Målet nås delvis: flera indikatorer går åt rätt håll men når inte målvärdena.",
    Attainment.NOT_ACHIEVED: "Målet nås inte: indikatorerna ligger under målvärdena och åtgärder behövs.",
}


class ScaleError(Exception):
    """The parameters ask for something the shape cannot hold, or the database is not empty."""


@dataclass(eq=False)
class _Node:
    """A unit or a goal before it is written: its fields and its place in the tree."""

    fields: dict
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    path: str = ""
    depth: int = 0
    number: str = ""  # units: the number their own units' names continue ("12" → "Avdelning 12.3")
    goals: list[_Node] = field(default_factory=list)  # units: their goals, the top level first

    def add(self, child: _Node) -> _Node:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def kind(self) -> str:
        return self.fields["kind"]

    @property
    def level(self) -> str:
        return self.fields["level"]

    def ancestors_and_self(self):
        node = self
        while node is not None:
            yield node
            node = node.parent


def seed_scale(
    *,
    units: int = 2000,
    goals: int = 20000,
    indicators: int = 2000,
    measurements: int = 200000,
    processes: int = 40,
    seed: int = 1,
    year: int | None = None,
    years: int = 4,
) -> dict[str, int]:
    """Fill an empty database with a municipal group of ``units`` units and the steering chains of
    ``years`` years up to ``year`` (this year by default), ``goals`` goals in all (activities
    included, shared evenly, the latest years taking what does not divide), with ``indicators``
    indicators, ``measurements`` measurements and ``processes`` processes, all drawn from ``seed``.
    Returns the rows made."""
    year = year or timezone.localdate().year
    if years < 1:
        raise ScaleError(f"At least one year's chain is needed; {years} asked for.")
    if year - years + 1 < FIRST_YEAR:
        raise ScaleError(
            f"The chains reach back to {year - years + 1}, before {FIRST_YEAR}; ask for fewer years."
        )
    if OrgUnit.objects.exists():
        raise ScaleError("The database already holds an organisation: seed_scale fills an empty one.")
    rng = random.Random(seed)
    council = _organisation(rng, units)
    unit_nodes = list(_walk(council))
    sizes = _goals_per_year(goals, year, years)
    # This year's chain, the values and what the chain is linked to are drawn from ``rng`` as with a
    # single year; each earlier year has a generator of its own, so ``years=1`` makes the same rows.
    chains = {year: _Chain(rng, year, _chain(rng, unit_nodes, sizes[year], year, of=(goals, years)))}
    quotas = _measurement_quotas(rng, indicators, measurements, year)
    for earlier in range(year - years + 1, year):
        year_rng = random.Random(f"{seed}/{earlier}")
        chain = _chain(year_rng, unit_nodes, sizes[earlier], earlier, of=(goals, years))
        chains[earlier] = _Chain(year_rng, earlier, chain)
    chains = dict(sorted(chains.items()))
    # The years' visions are the roots, the earliest first, as each year's chain was added after the last.
    _place(Goal, [chain.vision for chain in chains.values()])
    with transaction.atomic():
        made = _write(rng, unit_nodes, chains, processes, quotas, year)
    made["organisation depth"] = max(node.depth for node in unit_nodes)
    made["chain depth"] = max(node.depth for chain in chains.values() for node in chain.goals)
    return made


@dataclass(eq=False)
class _Chain:
    """One year's chain of goals and the generator that draws what belongs to that year."""

    rng: random.Random
    year: int
    vision: _Node
    goals: list[_Node] = field(init=False)

    def __post_init__(self) -> None:
        self.goals = list(_walk(self.vision))


def _goals_per_year(goals: int, year: int, years: int) -> dict[int, int]:
    """``goals`` shared over the ``years`` years up to ``year``, the latest taking the remainder."""
    share, remainder = divmod(goals, years)
    return {
        chain_year: share + (1 if year - chain_year < remainder else 0)
        for chain_year in range(year - years + 1, year + 1)
    }


# The organisation ---------------------------------------------------------------------------


def _unit(kind: Kind, name: str, short_name: str = "", number: str = "") -> _Node:
    slug = slugify(name.replace(".", "-"))
    return _Node(
        {"kind": kind, "name": name, "short_name": short_name, "slug": slug, "is_active": True},
        number=number,
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _organisation(rng: random.Random, size: int) -> _Node:
    """The group's tree of ``size`` units, the rule table kept by construction."""
    council = _unit(Kind.COUNCIL, "Kommunfullmäktige", "KF")
    organisations: list[_Node] = []  # administrations, companies and federations, numbered in order

    def organisation(parent: _Node, kind: Kind, name: str, short_name: str = "") -> _Node:
        number = str(len(organisations) + 1)
        node = parent.add(_unit(kind, name.format(number=number), short_name, number))
        organisations.append(node)
        return node

    board = council.add(_unit(Kind.EXECUTIVE_BOARD, "Kommunstyrelsen", "KS"))
    organisation(board, Kind.ADMINISTRATION, "Kommunledningsförvaltningen", "KLF")
    committees = []
    for index in range(_clamp(size // 150, 2, 15)):
        name, short = COMMITTEES[index] if index < len(COMMITTEES) else (f"Nämnd {index + 1}", "")
        committees.append(council.add(_unit(Kind.COMMITTEE, name, short)))
    for committee in committees:
        organisation(committee, Kind.ADMINISTRATION, "Förvaltning {number}")
    for _ in range(size // 600):  # the largest committees run two administrations
        organisation(rng.choice(committees), Kind.ADMINISTRATION, "Förvaltning {number}")

    # The group's companies: a parent company, its subsidiaries, theirs, down to the fifth level.
    names = iter(f"{name} AB" for name in COMPANIES)
    parent_company = organisation(council, Kind.COMPANY, "Stadshus AB")
    subsidiaries = [
        organisation(parent_company, Kind.COMPANY, next(names, "Bolag {number} AB"))
        for _ in range(_clamp(size // 250, 2, 8))
    ]
    grandchildren = [
        organisation(subsidiaries[index % len(subsidiaries)], Kind.COMPANY, next(names, "Bolag {number} AB"))
        for index in range(_clamp(size // 700, 1, 4))
    ]
    deepest = organisation(grandchildren[0], Kind.COMPANY, next(names, "Bolag {number} AB"))
    for index in range(_clamp(size // 1000, 1, 3)):
        name = FEDERATIONS[index] if index < len(FEDERATIONS) else "Kommunalförbund {number}"
        organisation(council, Kind.FEDERATION, name)

    # Every organisation that owns no company runs departments and units of its own; the deepest
    # company's department has a unit, so that the tree is seven units deep.
    operating = [node for node in organisations if not any(c.kind == Kind.COMPANY for c in node.children)]
    made = len(list(_walk(council)))
    needed = made + len(operating) + 1
    if size < needed:
        raise ScaleError(f"The group's shape needs at least {needed} units for {size}; ask for more.")
    departments: dict[str, list[_Node]] = {org.number: [] for org in operating}

    def department(org: _Node) -> _Node:
        number = f"{org.number}.{len(departments[org.number]) + 1}"
        node = org.add(_unit(Kind.DEPARTMENT, f"Avdelning {number}", number=number))
        departments[org.number].append(node)
        return node

    def unit(parent: _Node) -> _Node:
        number = f"{parent.number}.{sum(c.kind == Kind.UNIT for c in parent.children) + 1}"
        return parent.add(_unit(Kind.UNIT, f"Enhet {number}", number=number))

    for org in operating:
        department(org)
    unit(departments[deepest.number][0])
    # The rest: mostly in the administrations, mostly units in departments.
    weights = [{Kind.ADMINISTRATION: 6, Kind.FEDERATION: 2}.get(org.kind, 1) for org in operating]
    for _ in range(size - needed):
        org = rng.choices(operating, weights)[0]
        draw = rng.random()
        if draw < 0.12:
            department(org)
        elif draw < 0.2:
            unit(org)
        else:
            unit(rng.choice(departments[org.number]))
    _place(OrgUnit, [council])
    return council


# The steering chain -------------------------------------------------------------------------


def _chain(
    rng: random.Random, unit_nodes: list[_Node], size: int, year: int, *, of: tuple[int, int]
) -> _Node:
    """One period's chain of exactly ``size`` goals over the organisation, rooted in the vision
    (not yet placed: ``_place`` gives the years' chains their paths together). ``of`` is the
    total asked for and the number of years, for the message when ``size`` is too few."""
    council = unit_nodes[0]
    political = [node for node in unit_nodes[1:] if is_political(node.kind)]
    executing = [node for node in unit_nodes if node.kind in EXECUTING_KINDS]
    needed = 2 + len(political) + 2 * len(executing)
    if size < needed:
        total, years = of
        asked = f"{size} asked for" if years == 1 else f"{total} over {years} years, {size} a year, asked for"
        raise ScaleError(
            f"A complete chain over {len(unit_nodes)} units needs at least {needed} goals "
            "(a vision, a strategic goal, a body goal per political body, and an operational goal "
            f"with an activity per administration, department and unit) a year; {asked}."
        )
    for node in unit_nodes:
        node.goals = []  # this year's goals only
    spare = size - needed
    # Operational goals: one to three per unit, about a fifth of all goals; each costs an activity.
    operational = {id(node): 1 for node in executing}
    extra = _clamp(size // 5 - len(executing), 0, min(2 * len(executing), spare // 3))
    spare -= 2 * extra
    while extra:
        node = rng.choice(executing)
        if operational[id(node)] < 3:
            operational[id(node)] += 1
            extra -= 1
    # Body goals: one to four per body, never more than the goals of the units it steers, which
    # break them down (the deepest bodies first, as their counts bound the ones above).
    body = {}
    for node in sorted(political, key=lambda node: -len(node.path)):
        below = sum(
            body[id(child)] if is_political(child.kind) else operational[id(child)] for child in node.children
        )
        body[id(node)] = min(rng.randint(1, 4), below, 1 + spare)
        spare -= body[id(node)] - 1
    strategic = min(rng.randint(4, len(STRATEGIC)), sum(body[id(c)] for c in council.children), 1 + spare)
    spare -= strategic - 1
    # The rest are activities, at least one under each operational goal.
    activities = dict(operational)
    for node in rng.choices(executing, k=spare):
        activities[id(node)] += 1

    start, end = date(year, 1, 1), date(year, 12, 31)

    def goal(unit: _Node, level: Level, title: str, **fields) -> _Node:
        node = _Node({"level": level, "title": title, "unit": unit, **fields})
        unit.goals.append(node)
        return node

    vision = goal(council, Level.VISION, f"Vision {year + 10}: {VISION}")
    for index in range(strategic):
        vision.add(goal(council, Level.STRATEGIC, STRATEGIC[index % len(STRATEGIC)]))
    for node in political:
        for index in range(body[id(node)]):
            goal(
                node,
                Level.BODY,
                f"{rng.choice(BODY)} ({node.fields['short_name'] or node.fields['name']}, {index + 1})",
            )
    for node in executing:
        for index in range(operational[id(node)]):
            goal(node, Level.OPERATIONAL, f"{rng.choice(OPERATIONAL)} ({node.fields['name']}, {index + 1})")
        for index in range(activities[id(node)]):
            starts = start + timedelta(days=rng.randrange(180))
            goal(
                node,
                Level.ACTIVITY,
                f"{rng.choice(ACTIVITIES)} ({node.fields['name']}, {index + 1})",
                start_date=starts,
                due_date=min(end, starts + timedelta(days=rng.randrange(30, 300))),
                progress=rng.randrange(0, 101, 5),
            )

    # Each unit's top goals break down the goals of the unit above it: the council's children's
    # body goals its strategic goals, a sub-company's body goals its parent company's, the goals
    # of a unit a body steers directly that body's, a department's those of its administration.
    # Every goal above gets at least one goal below it.
    for node in unit_nodes:
        own = node.goals
        if node is council:
            parents = own[1:]
        elif is_political(node.kind):
            parents = own
        else:
            parents = [g for g in own if g.level == Level.OPERATIONAL]
            _break_down(rng, parents, [g for g in own if g.level == Level.ACTIVITY])
        below = [g for child in node.children for g in child.goals if g.level != Level.ACTIVITY]
        _break_down(rng, parents, below, cover=node.kind not in EXECUTING_KINDS)
    return vision


def _break_down(rng: random.Random, parents: list[_Node], children: list[_Node], cover: bool = True) -> None:
    """Place ``children`` under ``parents``; with ``cover``, each parent gets at least one."""
    children = list(children)
    rng.shuffle(children)
    for index, child in enumerate(children):
        covering = cover and index < len(parents)
        (parents[index] if covering else rng.choice(parents)).add(child)


# Trees --------------------------------------------------------------------------------------


def _walk(root: _Node):
    """The tree's nodes in path order."""
    yield root
    for child in root.children:
        yield from _walk(child)


def _place(model, roots: list[_Node]) -> None:
    """Give each node its materialized path and depth, as treebeard's ``load_bulk`` does."""

    def place(node: _Node, parent_path: str, depth: int, step: int) -> None:
        node.depth = depth
        node.path = model._get_path(parent_path, depth, step)
        for step, child in enumerate(node.children, start=1):
            place(child, node.path, depth + 1, step)

    for step, root in enumerate(roots, start=1):
        place(root, "", 1, step)


def _tree_fields(node: _Node) -> dict:
    return {"path": node.path, "depth": node.depth, "numchild": len(node.children)}


# Indicators ---------------------------------------------------------------------------------


@dataclass
class _Quota:
    genders: tuple[str, ...]
    count: int = 0


def _slots(year: int, genders: tuple[str, ...]):
    """An indicator's values, the latest first: the year's four-month and interim values, then
    each earlier year's value and its four-month and interim values."""
    kinds_this_year = (ReportingPeriodKind.INTERIM, ReportingPeriodKind.FOUR_MONTHS)
    for value_year in range(year, FIRST_YEAR - 1, -1):
        kinds = kinds_this_year if value_year == year else (None, *kinds_this_year)
        for kind in kinds:
            for gender in genders:
                yield value_year, kind, gender


def _measurement_quotas(rng: random.Random, count: int, measurements: int, year: int) -> list[_Quota]:
    """How many values each indicator has: a third of them split into women and men, which have
    three times as many."""
    split = (Gender.TOTAL, Gender.WOMEN, Gender.MEN)
    quotas = [_Quota(split if rng.random() < 1 / 3 else (Gender.TOTAL,)) for _ in range(count)]
    capacities = [sum(1 for _ in _slots(year, quota.genders)) for quota in quotas]
    if measurements > sum(capacities):
        raise ScaleError(
            f"{count} indicators hold at most {sum(capacities)} measurements since {FIRST_YEAR}; "
            f"{measurements} asked for."
        )
    weight = sum(len(quota.genders) for quota in quotas)
    for quota, capacity in zip(quotas, capacities, strict=True):
        quota.count = min(capacity, measurements * len(quota.genders) // weight)
    left = measurements - sum(quota.count for quota in quotas)
    while left:
        for quota, capacity in zip(quotas, capacities, strict=True):
            if left and quota.count < capacity:
                quota.count += 1
                left -= 1
    return quotas


# Writing ------------------------------------------------------------------------------------


def _write(rng, unit_nodes, chains: dict[int, _Chain], process_count, quotas, year) -> dict[str, int]:
    made = {}
    OrgUnit.objects.bulk_create(
        [OrgUnit(**node.fields, **_tree_fields(node)) for node in unit_nodes], batch_size=1000
    )
    unit_pks = dict(OrgUnit.objects.values_list("path", "pk"))
    made["units"] = len(unit_pks)

    # The years the values reach back to and the chains' years get their periods (and, by the
    # periods' signal, their reporting periods); the years before this one are closed.
    value_years = {
        value_year
        for quota in quotas
        for value_year, kind, _gender in _take(_slots(year, quota.genders), quota.count)
        if kind is not None
    } | set(chains)
    periods = {value_year: Period.objects.create(year=value_year) for value_year in sorted(value_years)}
    Period.objects.filter(year__lt=year).update(is_closed=True)
    ReportingPeriod.objects.filter(period__year__lt=year).update(is_open=False)
    reporting_periods = {
        (rp.period.year, rp.kind): rp for rp in ReportingPeriod.objects.select_related("period")
    }
    made["periods"] = len(periods)
    made["reporting periods"] = len(reporting_periods)

    groups = _target_groups(TARGET_GROUPS, parent=None)
    made["target groups"] = len(groups)
    processes, covering = _processes(rng, unit_nodes, unit_pks, groups, process_count)
    made["processes"] = len(processes)
    made["process participants"] = Process.participants.through.objects.count()

    # A closed year's decided goals were archived when it closed (``period_close``).
    Goal.objects.bulk_create(
        [
            Goal(
                **{name: value for name, value in node.fields.items() if name != "unit"},
                org_unit_id=unit_pks[node.fields["unit"].path],
                period=periods[chain_year],
                status=Status.APPROVED if chain_year == year else Status.ARCHIVED,
                **_tree_fields(node),
            )
            for chain_year, chain in chains.items()
            for node in chain.goals
        ],
        batch_size=1000,
    )
    goal_pks = dict(Goal.objects.values_list("path", "pk"))
    made["goals"] = len(goal_pks)
    for level in Level:
        made[f"goals: {level.value}"] = sum(
            node.level == level for chain in chains.values() for node in chain.goals
        )
    if len(chains) > 1:
        for chain_year, chain in chains.items():
            made[f"goals of {chain_year}"] = len(chain.goals)

    # Goals serve processes their unit, or a unit above it, takes part in; strategic goals one main
    # process each. This year's draws come first, as with a single year.
    main = [process for process in processes if process.kind == ProcessKind.MAIN]
    served = []
    chance = {Level.STRATEGIC: 1, Level.BODY: 0.5, Level.OPERATIONAL: 0.4, Level.ACTIVITY: 0.2}
    for chain in _this_year_first(chains, year):
        for node in chain.goals[1:]:
            choices = main if node.level == Level.STRATEGIC else covering[id(node.fields["unit"])]
            if choices and chain.rng.random() < chance[node.level]:
                served.append((goal_pks[node.path], chain.rng.choice(choices).pk))
    Through = Goal.processes.through
    Through.objects.bulk_create([Through(goal_id=g, process_id=p) for g, p in served], batch_size=2000)
    made["goals serving processes"] = len(served)

    made["decisions"] = _decisions(chains, goal_pks, unit_pks)
    made |= _indicators(rng, chains, goal_pks, quotas, reporting_periods, year)
    made["follow-ups"] = _follow_ups(chains, goal_pks, reporting_periods, year)
    return made


def _this_year_first(chains: dict[int, _Chain], year: int) -> list[_Chain]:
    return [chains[year], *(chain for chain_year, chain in chains.items() if chain_year != year)]


def _take(iterable, count: int):
    for index, item in enumerate(iterable):
        if index >= count:
            return
        yield item


def _target_groups(specs: tuple[DemoTargetGroup, ...], *, parent) -> list[TargetGroup]:
    """The demo's target groups, placed through the manager (there are few)."""
    made = []
    for spec in specs:
        group = TargetGroup(slug=spec.slug, name=spec.name, description=spec.description)
        if parent is None:
            group = TargetGroup.objects.add_root(instance=group)
        else:
            group = TargetGroup.objects.add_child(parent, instance=group)
        made += [group, *_target_groups(spec.children, parent=group)]
    return made


def _processes(rng, unit_nodes, unit_pks, groups, count):
    """``count`` processes, each owned by an administration and taken part in by two to six
    organisations; and, per unit, the processes it or a unit above it takes part in."""
    organisations = [node for node in unit_nodes if node.kind in ORGANISATION_KINDS]
    administrations = [node for node in organisations if node.kind == Kind.ADMINISTRATION]
    kinds = [
        ProcessKind.MAIN,
        ProcessKind.SUPPORT,
        ProcessKind.MAIN,
        ProcessKind.MANAGEMENT,
        ProcessKind.SUPPORT,
    ]
    numbers = {kind: 0 for kind in ProcessKind}
    specs = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        names = PROCESSES[kind]
        number = numbers[kind]
        numbers[kind] += 1
        name = (
            names[number]
            if number < len(names)
            else f"{names[number % len(names)]} {number // len(names) + 1}"
        )
        owner = administrations[0] if kind == ProcessKind.MANAGEMENT else rng.choice(administrations)
        participants = rng.sample(organisations, min(len(organisations), rng.randint(2, 6)))
        specs.append((kind, name, owner, [p for p in participants if p is not owner]))
    Process.objects.bulk_create(
        [
            Process(
                kind=kind,
                name=name,
                slug=slugify(name),
                purpose=f"{name}: hur koncernen tillsammans skapar värde för invånarna.",
                owning_unit_id=unit_pks[owner.path],
                is_active=True,
            )
            for kind, name, owner, _participants in specs
        ]
    )
    processes = list(Process.objects.order_by("pk"))
    taking_part: dict[int, list[Process]] = {}
    participants, aimed_at = [], []
    for process, (_kind, _name, owner, others) in zip(processes, specs, strict=True):
        for node in (owner, *others):
            taking_part.setdefault(id(node), []).append(process)
        participants += [(process.pk, unit_pks[node.path]) for node in others]
        aimed_at += [
            (process.pk, group.pk) for group in rng.sample(groups, min(len(groups), rng.randint(1, 2)))
        ]
    Through = Process.participants.through
    Through.objects.bulk_create([Through(process_id=p, orgunit_id=u) for p, u in participants])
    Through = Process.target_groups.through
    Through.objects.bulk_create([Through(process_id=p, targetgroup_id=g) for p, g in aimed_at])
    covering = {}
    for node in unit_nodes:
        found = []
        for above in node.ancestors_and_self():
            found += [process for process in taking_part.get(id(above), ()) if process not in found]
        covering[id(node)] = sorted(found, key=lambda process: process.pk)
    return processes, covering


def _decisions(chains: dict[int, _Chain], goal_pks, unit_pks) -> int:
    """Each year, one decision per deciding body or organisation approves its goals: the
    council's in November the year before, the others' in January."""
    rows, decided = [], []
    for year, chain in chains.items():
        by_unit: dict[str, list[int]] = {}
        for node in chain.goals:
            unit = node.fields["unit"]
            if node.level in (Level.OPERATIONAL, Level.ACTIVITY):
                unit = next(above for above in unit.ancestors_and_self() if above.kind in ORGANISATION_KINDS)
            by_unit.setdefault(unit.path, []).append(goal_pks[node.path])
        ordered = sorted(by_unit)
        rows += [
            Decision(
                deciding_unit_id=unit_pks[path],
                meeting_date=date(year - 1, 11, 25) if number == 1 else date(year, 1, 20 + number % 8),
                paragraph=f"§ {187 if number == 1 else 10 + number}",
                registry_number=f"Dnr {year - 1}/{number:05d}",
            )
            for number, path in enumerate(ordered, start=1)
        ]
        decided += [by_unit[path] for path in ordered]
    Decision.objects.bulk_create(rows, batch_size=1000)
    decision_pks = list(Decision.objects.order_by("pk").values_list("pk", flat=True))
    Through = Decision.goals.through
    Through.objects.bulk_create(
        [
            Through(decision_id=pk, goal_id=goal)
            for pk, goals in zip(decision_pks, decided, strict=True)
            for goal in goals
        ],
        batch_size=2000,
    )
    return len(rows)


def _indicators(rng, chains: dict[int, _Chain], goal_pks, quotas, reporting_periods, year) -> dict[str, int]:
    """The indicators, each measuring one to three strategic, body or operational goals of each
    year's chain, with a target for each of five years and its values, a random walk from its
    baseline."""
    measured = [node for node in chains[year].goals if node.level in REPORTED_LEVELS]
    rows, specs = [], []
    for index in range(1, len(quotas) + 1):
        name, unit_of_measure = rng.choice(INDICATORS)
        source = rng.choices(list(IndicatorSource), weights=(5, 3, 2))[0]
        start = Decimal(rng.randint(20, 80))
        rows.append(
            Indicator(
                code=f"SK-{index:05d}",
                name=f"{name} {index}",
                unit_of_measure=unit_of_measure,
                direction=rng.choice(list(Direction)),
                decimals=1,
                source=source,
                kolada_kpi=f"N{rng.randrange(100000):05d}" if source == IndicatorSource.KOLADA else "",
                baseline_year=year - 4,
                baseline_value=start,
            )
        )
        specs.append((start, source, rng.sample(measured, min(len(measured), rng.randint(1, 3)))))
    Indicator.objects.bulk_create(rows, batch_size=1000)
    indicator_pks = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))

    links, targets, values = [], [], []
    for pk, quota, (start, source, goals) in zip(indicator_pks, quotas, specs, strict=True):
        links += [(pk, goal_pks[node.path]) for node in goals]
        targets += [
            Target(indicator_id=pk, year=target_year, value=start + Decimal(2 * (target_year - year + 5)))
            for target_year in range(year - 3, year + 2)
        ]
        value = start
        for value_year, kind, gender in _take(_slots(year, quota.genders), quota.count):
            value = max(Decimal(0), value + Decimal(rng.randint(-30, 30)) / 10)
            reporting_period = reporting_periods[value_year, kind] if kind else None
            values.append(
                Measurement(
                    indicator_id=pk,
                    year=value_year,
                    reporting_period=reporting_period,
                    gender=gender,
                    value=value,
                    source=source,
                )
            )
    # An indicator goes on measuring the goals of later years: the earlier years' links.
    for chain in _this_year_first(chains, year)[1:]:
        measured = [node for node in chain.goals if node.level in REPORTED_LEVELS]
        for pk in indicator_pks:
            goals = chain.rng.sample(measured, min(len(measured), chain.rng.randint(1, 3)))
            links += [(pk, goal_pks[node.path]) for node in goals]
    Through = Indicator.goals.through
    Through.objects.bulk_create([Through(indicator_id=i, goal_id=g) for i, g in links], batch_size=2000)
    Target.objects.bulk_create(targets, batch_size=2000)
    Measurement.objects.bulk_create(values, batch_size=2000)
    return {
        "indicators": len(indicator_pks),
        "indicator links": len(links),
        "targets": len(targets),
        "measurements": len(values),
    }


def _follow_ups(chains: dict[int, _Chain], goal_pks, reporting_periods, year) -> int:
    """The reporting goals followed up and reviewed: this year's all in its four-month report;
    an earlier year's most of them in each of its three reports."""
    rows = []
    for chain in _this_year_first(chains, year):
        chain_year = chain.year
        reported = [node for node in chain.goals if node.level in REPORTED_LEVELS]
        if chain_year == year:
            kinds, share = [ReportingPeriodKind.FOUR_MONTHS], 1.0
        else:
            kinds, share = list(ReportingPeriodKind), 0.95
        for kind in kinds:
            reporting_period = reporting_periods[chain_year, kind]
            reviewed_at = timezone.make_aware(
                datetime.combine(reporting_period.deadline + timedelta(days=14), datetime.min.time())
            ) + timedelta(hours=10)
            rows += [
                FollowUp(
                    goal_id=goal_pks[node.path],
                    reporting_period=reporting_period,
                    attainment=(grade := chain.rng.choice(list(GRADE_COMMENTARY))),
                    commentary=GRADE_COMMENTARY[grade],
                    status=ReviewStatus.REVIEWED,
                    reviewed_at=reviewed_at,
                )
                for node in reported
                if share == 1 or chain.rng.random() < share
            ]
    FollowUp.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
