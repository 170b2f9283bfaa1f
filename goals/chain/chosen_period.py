"""Which period a visitor is looking at, remembered between visits.

A signed-in user's choice is stored in their ``Preferences``; an anonymous visitor's in the session.
Without a choice the portal shows the current year, or the latest year that has a period.
"""

from django.utils import timezone

from goals.chain.models import Period, Preferences

SESSION_KEY = "goals_period_year"


def selected_period(request, *, among: list[Period] | None = None) -> Period | None:
    """The period to show (one query, two for a signed-in user). A page that lists the years to
    choose from anyway passes them as ``among`` and saves a query: the period is picked from them
    (no query for a visitor, one for a signed-in user's choice)."""
    year = None
    if request.user.is_authenticated:
        preferences = Preferences.objects.filter(user=request.user).select_related("period").first()
        if preferences and preferences.period:
            return preferences.period
    else:
        year = request.session.get(SESSION_KEY)
    year = year or timezone.localdate().year
    if among is not None:
        earlier = [period for period in among if period.year <= year]
        if earlier:
            return max(earlier, key=lambda period: period.year)
        return min(among, key=lambda period: period.year, default=None)
    periods = Period.objects.filter(year__lte=year).order_by("-year")
    return periods.first() or Period.objects.order_by("year").first()


def remember_period(request, period: Period) -> None:
    if request.user.is_authenticated:
        Preferences.objects.update_or_create(user=request.user, defaults={"period": period})
    else:
        request.session[SESSION_KEY] = period.year


def remember_my_unit(request, unit) -> None:
    Preferences.objects.update_or_create(user=request.user, defaults={"my_unit": unit})
