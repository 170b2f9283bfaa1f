"""A client generated from the schema, used as a new integrator would use it.

The schema is downloaded from a live server, openapi-python-client (pinned in the dev dependencies)
generates a Python package from it in a temporary folder, and the test imports that package and
builds a small group through it alone, from an empty database: the only given is what an
installation makes, one superuser and its token. The test fails when the generator cannot read the
schema (any warning it prints counts), when the generated code does not import, or when a call that
the schema describes does not answer as it says.

The commands are the ones ``docs/api.md`` ("Generating a client") shows an integrator. Nothing is
downloaded at test time: the generator works from the schema file alone (it also does with the
network cut off, ``unshare -n``).
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import (
    Decision,
    FollowUp,
    Goal,
    Indicator,
    Measurement,
    Period,
    ReportingPeriodKind,
    ReviewStatus,
)
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit, Position, Role

# The organisation's identity provider, as its discovery document names itself.
ISSUER = "https://login.example.se/realms/sjostad"

# The generated package's name, unlike any module of the project.
PACKAGE = "styrmodell_generated_client"

# What the generator is told besides the schema. Its default post-hooks run ruff over the generated
# code, which only formats it: left out, a run takes a second or two less and needs nothing on PATH.
GENERATOR_CONFIG = "post_hooks: []\n"

# How openapi-python-client's lines begin when it skips a part of the schema it cannot read (a
# parameter, a response, a whole model and every operation using it): the client then lacks what the
# schema promises, so every one is a failure. None is tolerated.
GENERATOR_WARNINGS = ("warning", "unable to", "cannot parse", "could not", "error")


def generator_warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip().lower().startswith(GENERATOR_WARNINGS)]


@dataclass
class Generated:
    """The generated package, the schema it was made from, and what the generator printed."""

    root: Path
    schema: bytes
    output: str

    def operation(self, name: str) -> ModuleType:
        """One operation's module, ``"orgunits.orgunits_create"`` for ``POST /api/v1/orgunits/``."""
        return importlib.import_module(f"{PACKAGE}.api.{name}")

    def operations(self) -> list[ModuleType]:
        """Every operation's module."""
        return [
            self.operation(f"{path.parent.name}.{path.stem}")
            for path in sorted((self.root / "api").glob("*/*.py"))
            if path.stem != "__init__"
        ]

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.models")

    def client(self, base_url: str, token: str):
        """A client that sends ``Authorization: Bearer <token>``, the generator's default."""
        module = importlib.import_module(PACKAGE)
        return module.AuthenticatedClient(base_url=base_url, token=token, timeout=httpx.Timeout(30))


def generate_client(schema: bytes, folder: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """Run the generator's command line on ``schema``, as docs/api.md shows it."""
    (folder / "schema.json").write_bytes(schema)
    (folder / "config.yaml").write_text(GENERATOR_CONFIG)
    command = Path(sys.executable).with_name("openapi-python-client")
    finished = subprocess.run(
        [
            command,
            "generate",
            "--path",
            "schema.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--output-path",
            PACKAGE,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        # Plain lines without colour codes, for the warning check.
        env={**os.environ, "NO_COLOR": "1"},
    )
    return folder / PACKAGE, finished


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory, django_db_blocker) -> Iterator[Generated]:
    """The client generated from the live server's schema, importable for the module's tests."""
    # Made once for the module, outside any test's database access: the schema reads no data, but
    # every request the live server takes starts by looking at its database connection (Django's
    # close_old_connections), which pytest-django refuses outside a test that asked for the database.
    with django_db_blocker.unblock():
        schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    assert schema.status_code == 200, schema.text
    folder = tmp_path_factory.mktemp("generated-client")
    package, finished = generate_client(schema.content, folder)
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0 and (package / "__init__.py").exists(), output
    sys.path.insert(0, str(folder))
    yield Generated(root=package, schema=schema.content, output=output)
    sys.path.remove(str(folder))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_the_generator_reads_the_whole_schema_without_a_warning(generated):
    assert generator_warnings(generated.output) == [], generated.output
    # Every collection of the API became a module of operations.
    assert {path.name for path in (generated.root / "api").iterdir() if path.is_dir()} >= {
        "orgunits",
        "memberships",
        "users",
        "goals",
        "decisions",
        "periods",
        "indicators",
        "measurements",
    }


def positional_parameters(operation: ModuleType) -> dict[str, type]:
    """What an operation's call takes before its keywords: the objects its address names."""
    return {
        name: parameter.annotation
        for name, parameter in inspect.signature(operation.sync_detailed).parameters.items()
        if parameter.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD
    }


def test_an_address_takes_an_id_of_the_type_its_object_has(generated):
    # A goal's id is an integer in its body, so the calls that name a goal in their address take an
    # integer too: a typed integrator's code passes ``goal.id`` on without a cast.
    path_parameters = {
        (operation.__name__.rsplit(".", 1)[-1], name): annotation
        for operation in generated.operations()
        for name, annotation in positional_parameters(operation).items()
    }
    assert {key: path_parameters[key] for key in ADDRESSES} == ADDRESSES


# Operations that name an object in their address, and the type their client takes for it: as the
# object's own field in a body (``Goal.id``, ``Period.year``, ``OrgUnit.slug``, ``User.username``).
ADDRESSES = {
    ("goals_submit_create", "id"): int,
    ("goals_destroy", "id"): int,
    ("memberships_destroy", "id"): int,
    ("follow_ups_retrieve", "id"): int,
    ("periods_close_create", "year"): int,
    ("orgunits_move_create", "slug"): str,
    ("users_deactivate_create", "username"): str,
}


def test_a_schema_part_the_generator_cannot_read_fails_the_check(generated, tmp_path):
    # The guard above, shown to catch what it must: the live schema with one model's field naming a
    # model that does not exist, which the generator answers by leaving out the model and its calls.
    schema = json.loads(generated.schema)
    schema["components"]["schemas"]["Period"]["properties"]["year"] = {"$ref": "#/components/schemas/Nope"}
    _package, finished = generate_client(json.dumps(schema).encode(), tmp_path)
    assert generator_warnings(finished.stdout + finished.stderr)[:2] == [
        "Warning(s) encountered while generating. Client was generated, but some pieces may be missing",
        "WARNING parsing GET /api/v1/periods/ within periods.",
    ]


def answer(response, status: int):
    """The parsed body of a call that must answer ``status``; otherwise the failure shows what the
    server said."""
    assert response.status_code == status, (response.status_code, response.content.decode())
    return response.parsed


@pytest.fixture
def installation(transactional_db) -> str:
    """What an installation makes before any integrator comes: one superuser and its token, by the
    management commands docs/api.md names. Returns the token's key."""
    call_command(
        "createsuperuser", username="installer", email="it@example.se", interactive=False, verbosity=0
    )
    call_command("drf_create_token", "installer", verbosity=0)
    return Token.objects.get(user__username="installer").key


def test_an_integrator_builds_a_group_through_the_generated_client_alone(
    generated, live_server, installation
):
    # The database is empty but for the installer.
    assert [OrgUnit.objects.count(), Goal.objects.count(), Period.objects.count()] == [0, 0, 0]
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["installer"]

    models = generated.models
    client = generated.client(live_server.url, installation)
    year = datetime.date.today().year

    # The organisation: the council, a committee under it, and the administration that serves it.
    council, committee, administration = (
        answer(
            generated.operation("orgunits.orgunits_create").sync_detailed(
                client=client,
                body=models.NewOrgUnitRequest(name=name, kind=kind, parent=parent, short_name=short),
            ),
            201,
        )
        for name, kind, parent, short in [
            ("Kommunfullmäktige", models.KindEnum.COUNCIL, None, "KF"),
            ("Barn- och utbildningsnämnden", models.KindEnum.COMMITTEE, "kommunfullmaktige", "BUN"),
            (
                "Barn- och utbildningsförvaltningen",
                models.KindEnum.ADMINISTRATION,
                "barn-och-utbildningsnamnden",
                "BUF",
            ),
        ]
    )
    assert [council.slug, committee.parent, administration.parent] == [
        "kommunfullmaktige",
        "kommunfullmaktige",
        "barn-och-utbildningsnamnden",
    ]

    # The people: the committee's chair, who signs in through the organisation's identity provider
    # and is made ahead of their first sign-in by their subject id, and the administration's head, a
    # local account; each with their role, named by the user name chosen here.
    create_user = generated.operation("users.users_create")
    chair = answer(
        create_user.sync_detailed(
            client=client,
            body=models.NewUserRequest(
                username="maria.holm",
                first_name="Maria",
                last_name="Holm",
                email="maria.holm@example.se",
                subject="5f1c8a9e-0d6b-4b8e-9a61-2c0f3e7d4a10",
                issuer=ISSUER,
            ),
        ),
        201,
    )
    head = answer(
        create_user.sync_detailed(
            client=client,
            body=models.NewUserRequest(username="anders.berg", first_name="Anders", last_name="Berg"),
        ),
        201,
    )
    assert [(chair.subject, chair.issuer), (head.subject, head.issuer)] == [
        ("5f1c8a9e-0d6b-4b8e-9a61-2c0f3e7d4a10", ISSUER),
        (None, None),
    ]
    create_membership = generated.operation("memberships.memberships_create")
    for body in (
        models.MembershipRequest(
            user=chair.username,
            org_unit=committee.slug,
            role=models.RoleEnum.POLITICIAN,
            position=models.MembershipPositionEnum.CHAIR,
        ),
        models.MembershipRequest(
            user=head.username, org_unit=administration.slug, role=models.RoleEnum.MANAGER
        ),
    ):
        answer(create_membership.sync_detailed(client=client, body=body), 201)

    # The year the goals are set for: with no year yet, the one opened is this one, with its
    # reporting periods.
    period = answer(
        generated.operation("periods.periods_create").sync_detailed(
            client=client, body=models.NewPeriodRequest()
        ),
        201,
    )
    assert (period.year, period.is_closed) == (year, False)
    reporting_periods = answer(
        generated.operation("reporting_periods.reporting_periods_list").sync_detailed(
            client=client, year=year
        ),
        200,
    )
    assert {reporting_period.kind for reporting_period in reporting_periods.results} == set(
        models.ReportingPeriodKindEnum
    )

    # The chain: the council's vision and strategic goal, submitted and decided at its meeting;
    # then the committee's body goal under it, since a body breaks down what has been decided.
    create_goal = generated.operation("goals.goals_create")
    submit = generated.operation("goals.goals_submit_create")
    approve = generated.operation("goals.goals_approve_create")
    vision = answer(
        create_goal.sync_detailed(
            client=client,
            body=models.NewGoalRequest(
                unit=council.slug, level=models.LevelEnum.VISION, title="Lärande för alla", period=year
            ),
        ),
        201,
    )
    strategic = answer(
        create_goal.sync_detailed(
            client=client,
            body=models.NewGoalRequest(
                unit=council.slug,
                level=models.LevelEnum.STRATEGIC,
                title="Alla barn lyckas i skolan",
                parent=vision.id,
            ),
        ),
        201,
    )
    for goal in (vision, strategic):
        submitted = answer(submit.sync_detailed(goal.id, client=client), 200)
        assert submitted.status == models.GoalStatusEnum.SUBMITTED
    council_decision = answer(
        approve.sync_detailed(
            client=client,
            body=models.ApproveRequest(
                goals=[vision.id, strategic.id],
                meeting_date=datetime.date(year, 2, 10),
                paragraph="§ 12",
                registry_number=f"KS {year}/00042",
            ),
        ),
        201,
    )
    body_goal = answer(
        create_goal.sync_detailed(
            client=client,
            body=models.NewGoalRequest(
                unit=committee.slug,
                level=models.LevelEnum.BODY,
                title="Fler elever klarar kunskapskraven",
                parent=strategic.id,
                description="Andelen elever med godkända betyg i alla ämnen ska öka.",
                owner=head.username,
            ),
        ),
        201,
    )
    assert [vision.period, strategic.period, body_goal.period] == [year, year, year]
    # A draft made by mistake is deleted, as whoever may edit it may.
    mistake = answer(
        create_goal.sync_detailed(
            client=client,
            body=models.NewGoalRequest(
                unit=committee.slug,
                level=models.LevelEnum.BODY,
                title="Utkast av misstag",
                parent=strategic.id,
            ),
        ),
        201,
    )
    answer(generated.operation("goals.goals_destroy").sync_detailed(mistake.id, client=client), 204)
    assert body_goal.status == models.GoalStatusEnum.DRAFT

    # Submitted, then decided by the committee at its own meeting.
    assert answer(submit.sync_detailed(body_goal.id, client=client), 200).status == (
        models.GoalStatusEnum.SUBMITTED
    )
    committee_decision = answer(
        approve.sync_detailed(
            client=client,
            body=models.ApproveRequest(
                goals=[body_goal.id], meeting_date=datetime.date(year, 3, 3), paragraph="§ 31"
            ),
        ),
        201,
    )
    assert [council_decision.deciding_unit, committee_decision.deciding_unit] == [
        council.slug,
        committee.slug,
    ]

    # An indicator that measures the body goal, and two years of its values.
    indicator = answer(
        generated.operation("indicators.indicators_create").sync_detailed(
            client=client,
            body=models.IndicatorRequest(
                code="BUF-1",
                name="Andel elever med godkända betyg",
                unit_of_measure="%",
                decimals=1,
                goals=[body_goal.id],
            ),
        ),
        201,
    )
    assert indicator.goals == [body_goal.id]
    imported = answer(
        generated.operation("measurements.measurements_bulk_create").sync_detailed(
            client=client,
            body=models.BulkRequest(
                rows=[
                    models.BulkRowRequest(indicator=indicator.code, year=str(year - 1), value="71,5"),
                    models.BulkRowRequest(indicator=indicator.code, year=str(year), value="74.2"),
                ]
            ),
        ),
        200,
    )
    assert [imported.created, imported.updated] == [2, 0]

    # The four-month report on the body goal: written, submitted, and while it waits for review
    # read as the schema says (no reviewer yet).
    four_months = next(
        reporting_period.id
        for reporting_period in reporting_periods.results
        if reporting_period.kind == models.ReportingPeriodKindEnum.T1
    )
    follow_up = answer(
        generated.operation("follow_ups.follow_ups_create").sync_detailed(
            client=client,
            body=models.FollowUpRequest(
                goal=body_goal.id,
                reporting_period=four_months,
                attainment=models.AttainmentEnum.PARTLY,
                commentary="Läsinsatserna har kommit i gång; betygen följs upp i juni.",
            ),
        ),
        201,
    )
    answer(
        generated.operation("follow_ups.follow_ups_submit_create").sync_detailed(follow_up.id, client=client),
        200,
    )
    waiting = answer(generated.operation("follow_ups.follow_ups_list").sync_detailed(client=client), 200)
    assert [(row.id, row.status, row.reviewed_by, row.reviewed_at) for row in waiting.results] == [
        (follow_up.id, models.ReviewStatusEnum.SUBMITTED, None, None)
    ]
    # Whoever submitted it does not review it too: the refusal says so, and it stays submitted.
    refusal = answer(
        generated.operation("follow_ups.follow_ups_review_create").sync_detailed(follow_up.id, client=client),
        403,
    )
    assert isinstance(refusal, models.Error) and "aldrig den som skickade in den" in refusal.detail

    # A decided goal is not deleted: the refusal is the client's Error model, saying why.
    refusal = answer(
        generated.operation("goals.goals_destroy").sync_detailed(body_goal.id, client=client), 409
    )
    assert isinstance(refusal, models.Error) and "Fler elever klarar kunskapskraven" in refusal.detail

    # Every list the group shows up in reads into the client's models (a field the schema types
    # otherwise than the answer would fail to parse here).
    lists = [
        operation
        for operation in generated.operations()
        if operation.__name__.endswith("_list") and not positional_parameters(operation)
    ]
    for operation in lists:
        page = answer(operation.sync_detailed(client=client), 200)
        assert not isinstance(page, models.Error), operation.__name__
    assert {operation.__name__.rsplit(".", 1)[-1] for operation in lists} >= {
        "orgunits_list",
        "users_list",
        "memberships_list",
        "periods_list",
        "goals_list",
        "decisions_list",
        "indicators_list",
        "measurements_list",
        "follow_ups_list",
    }

    # The end state, read back through the client ...
    goals = answer(generated.operation("goals.goals_list").sync_detailed(client=client, period=year), 200)
    assert [(goal.level, goal.title, goal.status) for goal in goals.results] == [
        (models.LevelEnum.VISION, "Lärande för alla", models.GoalStatusEnum.APPROVED),
        (models.LevelEnum.STRATEGIC, "Alla barn lyckas i skolan", models.GoalStatusEnum.APPROVED),
        (models.LevelEnum.BODY, "Fler elever klarar kunskapskraven", models.GoalStatusEnum.APPROVED),
    ]
    values = answer(
        generated.operation("measurements.measurements_list").sync_detailed(client=client, indicator="BUF-1"),
        200,
    )
    assert sorted((row.year, Decimal(row.value)) for row in values.results) == [
        (year - 1, Decimal("71.5")),
        (year, Decimal("74.2")),
    ]

    # ... and in the database.
    assert list(OrgUnit.objects.order_by("path").values_list("name", "kind")) == [
        ("Kommunfullmäktige", Kind.COUNCIL),
        ("Barn- och utbildningsnämnden", Kind.COMMITTEE),
        ("Barn- och utbildningsförvaltningen", Kind.ADMINISTRATION),
    ]
    assert list(
        Membership.objects.order_by("user__username").values_list(
            "user__username", "user__oidc_identity__subject", "org_unit__slug", "role", "position"
        )
    ) == [
        ("anders.berg", None, administration.slug, Role.MANAGER, ""),
        (
            "maria.holm",
            "5f1c8a9e-0d6b-4b8e-9a61-2c0f3e7d4a10",
            committee.slug,
            Role.POLITICIAN,
            Position.CHAIR,
        ),
    ]
    # Nobody made through the API has a password that works: they sign in through single sign-on.
    assert [
        user.has_usable_password() for user in get_user_model().objects.exclude(username="installer")
    ] == [
        False,
        False,
    ]
    assert list(
        Goal.objects.order_by("path").values_list("level", "status", "org_unit__slug", "owner__username")
    ) == [
        (Level.VISION, Status.APPROVED, council.slug, None),
        (Level.STRATEGIC, Status.APPROVED, council.slug, None),
        (Level.BODY, Status.APPROVED, committee.slug, "anders.berg"),
    ]
    assert sorted(Decision.objects.values_list("deciding_unit__slug", "paragraph", "goals__title")) == sorted(
        [
            (council.slug, "§ 12", "Lärande för alla"),
            (council.slug, "§ 12", "Alla barn lyckas i skolan"),
            (committee.slug, "§ 31", "Fler elever klarar kunskapskraven"),
        ]
    )
    assert list(Indicator.objects.values_list("code", "goals__title")) == [
        ("BUF-1", "Fler elever klarar kunskapskraven")
    ]
    assert list(FollowUp.objects.values_list("goal__title", "reporting_period__kind", "status")) == [
        ("Fler elever klarar kunskapskraven", ReportingPeriodKind.FOUR_MONTHS, ReviewStatus.SUBMITTED)
    ]
    assert sorted(Measurement.objects.values_list("year", "value")) == [
        (year - 1, Decimal("71.5")),
        (year, Decimal("74.2")),
    ]
