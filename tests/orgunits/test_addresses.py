"""Addresses built around a pk or a slug (orgunits.addresses) are those ``reverse`` gives, under any
script prefix the portal is served at."""

import pytest
from django.urls import reverse, set_script_prefix

from orgunits.addresses import address_around


@pytest.fixture
def served_under_a_prefix():
    set_script_prefix("/styr/")
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("prefixed", [False, True])
@pytest.mark.parametrize(
    ("viewname", "around", "value", "kwargs"),
    [
        ("goals:detail", "pk", 42, {}),
        ("orgunits:detail", "slug", "vastra-skolan", {}),
        ("goals:follow-up", "pk", 42, {"reporting_period": 7}),
    ],
)
def test_an_address_around_a_value_is_the_one_reverse_gives(
    request, prefixed, viewname, around, value, kwargs
):
    if prefixed:
        request.getfixturevalue("served_under_a_prefix")
    start, end = address_around(viewname, around, **kwargs)
    assert f"{start}{value}{end}" == reverse(viewname, kwargs={around: value, **kwargs})
    assert start.startswith("/styr/") == prefixed
