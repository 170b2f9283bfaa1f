import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Period
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit


def add_unit(kind: Kind, name: str, parent: OrgUnit | None = None, **fields) -> OrgUnit:
    """Place a new unit through the manager, as every real path does."""
    unit = OrgUnit(name=name, kind=kind, **fields)
    if parent is None:
        return OrgUnit.objects.add_root(instance=unit)
    return OrgUnit.objects.add_child(parent, instance=unit)


def build_group(size: int) -> OrgUnit:
    """A valid municipal group of exactly ``size`` units, four levels deep, for query-count tests."""
    council = add_unit(Kind.COUNCIL, "Kommunfullmäktige")
    made = 1
    while made < size:
        committee = add_unit(Kind.COMMITTEE, f"Nämnd {made}", council)
        made += 1
        if made < size:
            administration = add_unit(Kind.ADMINISTRATION, f"Förvaltning {made}", committee)
            made += 1
            while made < size and made % 10:
                add_unit(Kind.UNIT, f"Enhet {made}", administration)
                made += 1
    return council


class Group:
    """A small municipal group with one unit of every kind, refreshed from the database on demand."""

    def __init__(self):
        self.council = add_unit(Kind.COUNCIL, "Kommunfullmäktige", short_name="KF")
        self.board = add_unit(Kind.EXECUTIVE_BOARD, "Kommunstyrelsen", self.council, short_name="KS")
        self.committee = add_unit(Kind.COMMITTEE, "Utbildningsnämnden", self.council, short_name="UN")
        self.other_committee = add_unit(Kind.COMMITTEE, "Omsorgsnämnden", self.council)
        self.administration = add_unit(Kind.ADMINISTRATION, "Utbildningsförvaltningen", self.committee)
        self.department = add_unit(Kind.DEPARTMENT, "Avdelning grundskola", self.administration)
        self.school = add_unit(Kind.UNIT, "Västra skolan", self.department)
        self.company = add_unit(Kind.COMPANY, "Stadshus AB", self.council)
        self.subsidiary = add_unit(Kind.COMPANY, "Bostäder AB", self.company)
        self.federation = add_unit(Kind.FEDERATION, "Räddningstjänsten", self.council)

    def refresh(self) -> None:
        for unit in vars(self).values():
            unit.refresh_from_db()


@pytest.fixture
def group(db) -> Group:
    return Group()


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or database['NAME']}"


@pytest.fixture
def english():
    """Run the test in English, for tests that compare the rules' messages word for word."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(admin_client):
    """pytest-django's signed-in superuser, browsing the admin in English."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def member_of(unit: OrgUnit, username: str, role: str = "manager", position: str = ""):
    """A new user with one membership: by default, the manager of ``unit`` and all under it."""
    user = get_user_model().objects.create_user(username, password="x")
    Membership.objects.create(user=user, org_unit=unit, role=role, position=position)
    return user


@pytest.fixture
def group_manager(client, group):
    """A client signed in as the manager of the whole group (a membership at the council), in English."""
    client.force_login(member_of(group.council, "karin.lind"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def add_goal(
    level: Level, title: str, unit, parent: Goal | None = None, period: Period | None = None, **fields
):
    """Place a new goal through the manager, as every real path does."""
    goal = Goal(level=level, title=title, org_unit=unit, period=period or parent.period, **fields)
    if parent is None:
        return Goal.objects.add_root(instance=goal)
    return Goal.objects.add_child(parent, instance=goal)


class Chain:
    """One period's complete chain through the small group of ``tests.conftest.Group``, decided
    (approved) as a year's plan usually is; ``status`` makes it another status instead."""

    def __init__(self, group, year: int, status: Status = Status.APPROVED):
        self.group = group
        self.period = Period.objects.create(year=year)
        self.vision = add_goal(Level.VISION, "Sjöstad – hållbart och nära", group.council, period=self.period)
        self.strategic = add_goal(Level.STRATEGIC, "Alla barn lyckas i skolan", group.council, self.vision)
        self.body = add_goal(Level.BODY, "Fler elever klarar kunskapskraven", group.committee, self.strategic)
        self.operational = add_goal(
            Level.OPERATIONAL, "Tidiga insatser i läsning", group.administration, self.body
        )
        self.department_goal = add_goal(
            Level.OPERATIONAL, "Läsfrämjande i grundskolan", group.department, self.operational
        )
        self.activity = add_goal(
            Level.ACTIVITY, "Läsveckor i årskurs 1–3", group.school, self.department_goal
        )
        self.company_goal = add_goal(
            Level.BODY, "Koncernen bidrar till bostadsbyggandet", group.company, self.strategic
        )
        self.subsidiary_goal = add_goal(
            Level.BODY, "500 nya hyresrätter", group.subsidiary, self.company_goal
        )
        Goal.objects.filter(period=self.period).update(status=status)
        self.refresh()

    def goals(self) -> list[Goal]:
        return [
            self.vision,
            self.strategic,
            self.body,
            self.operational,
            self.department_goal,
            self.activity,
            self.company_goal,
            self.subsidiary_goal,
        ]

    def refresh(self) -> None:
        for goal in self.goals():
            goal.refresh_from_db()


@pytest.fixture
def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def chain(group, this_year) -> Chain:
    return Chain(group, this_year)


def grow_chain(chain: Chain, size: int) -> None:
    """Add goals under the chain's administration until the period holds ``size`` goals."""
    count = Goal.objects.filter(period=chain.period).count()
    operational = chain.operational
    added = []
    while count < size:
        if count % 5 == 0:
            operational = add_goal(
                Level.OPERATIONAL, f"Verksamhetsmål {count}", chain.group.administration, chain.body
            )
            added.append(operational)
        else:
            added.append(add_goal(Level.ACTIVITY, f"Aktivitet {count}", chain.group.school, operational))
        count += 1
    # The new goals stand as the chain's own operational goal does.
    Goal.objects.filter(pk__in=[goal.pk for goal in added]).update(status=chain.operational.status)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The tests make many users; a real hasher's deliberate slowness buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft_chain(group, this_year) -> Chain:
    """The chain as drafts, for the workflow that decides them."""
    return Chain(group, this_year, status=Status.DRAFT)
