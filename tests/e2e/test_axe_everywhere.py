"""axe-core on every page of the portal (each URL name of ``tests/kit/portal_pages.py``, with the
demo's objects), for a visitor and for a manager signed in: no WCAG 2.1 AA violation anywhere, and
no page wider than a phone's screen.

A page reached twice (the sign-in page that every refused address leads a visitor to) is checked
once. The violations of all pages are reported together, so that one run shows every fault.
"""

import pytest
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import FollowUp, Goal, Indicator
from orgunits.models import OrgUnit
from processes.models import Process, TargetGroup
from tests.e2e.browser import sign_in
from tests.e2e.conftest import WCAG_21_AA
from tests.kit.portal_pages import PortalObjects, portal_pages

# Karin Lind manages the administration whose pages she reads; Eva Berg chairs the committee.
MANAGER = "karin.lind"
# The crawl reads on purpose the pages that answer with a refusal (400, 403), a missing page (404)
# or a step's address that takes a POST only (405): the browser's console reports each. A file the
# pages load (under /static/) is never one of them.
REFUSED_PAGES = (
    r"^Failed to load resource: the server responded with a status of 40[0345] .*\(http://[^/]+/(?!static/)"
)


def demo_objects() -> PortalObjects:
    """What the pages are about, from the demo: the education administration and its committee,
    their goals of this year, a follow-up, a process and a target group."""
    year = timezone.localdate().year
    unit = OrgUnit.objects.get(slug="utbildningsforvaltningen")
    this_years = Goal.objects.filter(period__year=year).order_by("path")
    follow_up = (
        FollowUp.objects.filter(goal__period__year=year).select_related("goal", "reporting_period").first()
    )
    decided = this_years.filter(org_unit=unit, status=Status.APPROVED).first()
    return PortalObjects(
        unit=unit,
        body=OrgUnit.objects.get(slug="utbildningsnamnden"),
        goal=decided,
        # The demo's goals are all decided or on their way; a goal not decided yet where there is one.
        draft=this_years.exclude(status=Status.APPROVED).first() or decided,
        activity=this_years.filter(level=Level.ACTIVITY).first(),
        indicator=Indicator.objects.filter(goals__isnull=False).first(),
        follow_up_goal=follow_up.goal,
        reporting_period=follow_up.reporting_period,
        process=Process.objects.order_by("name").first(),
        target_group=TargetGroup.objects.order_by("path").first(),
        year=year,
    )


def each_page(page, reader):
    """Open every portal page in turn, as ``reader`` (a visitor when None), and yield its URL name
    once per page reached: the sign-in page that every refused address leads a visitor to counts
    once. Asserts at the end that pages were read, not only the sign-in page."""
    if reader:
        sign_in(page, reader)
    reached = set()
    for name, addresses in portal_pages(demo_objects()).items():
        for address in addresses:
            page.goto(address)
            if page.url not in reached:
                reached.add(page.url)
                yield name
    assert len(reached) >= (30 if reader else 15)


@pytest.mark.parametrize("reader", [None, MANAGER])
def test_every_page_passes_axe(page, axe, reader, console_errors):
    console_errors.expect(REFUSED_PAGES)
    violations = []
    for name in each_page(page, reader):
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            violations.append(f"{name} {page.url}\n{results.generate_report()}")
    assert violations == [], "\n\n".join(violations)


@pytest.mark.parametrize("reader", [None, MANAGER])
def test_no_page_scrolls_sideways_on_a_phone(page, reader, console_errors):
    """At 390 px every page fits the screen: a wide table scrolls in its own frame, a long name
    wraps, and nothing pushes the whole page sideways."""
    console_errors.expect(REFUSED_PAGES)
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = []
    for name in each_page(page, reader):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide.append(f"{name} {page.url}: {width} px")
    assert too_wide == [], "\n".join(too_wide)
