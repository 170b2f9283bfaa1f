"""``selected_period``: the year a page shows, picked the same way whether the page has the years
listed already (``among``, a query saved) or not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from goals.chain.chosen_period import SESSION_KEY, remember_period, selected_period
from goals.models import Period
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def request_of(user, **session):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.session.update(session)
    return request


def periods(*years) -> list[Period]:
    return [Period.objects.create(year=year) for year in years]


@pytest.mark.parametrize(
    ("years", "session_year", "shown"),
    [
        ((THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR, THIS_YEAR + 1), None, THIS_YEAR),  # this year
        ((THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR + 1), None, THIS_YEAR - 1),  # the latest before
        ((THIS_YEAR + 1, THIS_YEAR + 2), None, THIS_YEAR + 1),  # only later years: the first
        ((THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR), THIS_YEAR - 2, THIS_YEAR - 2),  # the visitor's choice
        ((), None, None),  # no year set up yet
    ],
)
def test_a_visitor_is_shown_the_same_year_with_the_years_listed_and_without_a_query(
    django_assert_num_queries, years, session_year, shown
):
    periods(*years)
    session = {SESSION_KEY: session_year} if session_year else {}
    request = request_of(AnonymousUser(), **session)
    listed = list(Period.objects.all())
    with django_assert_num_queries(0):
        picked = selected_period(request, among=listed)
    assert picked == selected_period(request)
    assert (picked.year if picked else None) == shown


def test_a_signed_in_users_choice_wins_and_costs_one_query(group, django_assert_num_queries):
    earlier, _this, _later = periods(THIS_YEAR - 1, THIS_YEAR, THIS_YEAR + 1)
    request = request_of(member_of(group.administration, "karin"))
    listed = list(Period.objects.all())
    with django_assert_num_queries(1):  # the user's preferences, which hold no choice yet
        assert selected_period(request, among=listed).year == THIS_YEAR
    remember_period(request, earlier)
    with django_assert_num_queries(1):
        picked = selected_period(request, among=listed)
    assert picked == earlier == selected_period(request)
