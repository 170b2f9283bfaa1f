"""Operators look notices up in the admin, read only, with why a mail was refused."""

import pytest
from django.urls import reverse

from notices.models import Kind, Notice, NoticePreferences
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def test_a_refused_notice_is_shown_with_its_error_and_cannot_be_edited(admin, admin_client, chain, group):
    karin = member_of(group.administration, "karin")
    notice = Notice.objects.create(
        recipient=karin, kind=Kind.DEADLINE_PASSED, goal=chain.operational, attempts=2, last_error="451 busy"
    )

    listing = admin_client.get(reverse("admin:notices_notice_changelist") + "?state=pending")
    page = admin_client.get(reverse("admin:notices_notice_change", args=[notice.pk]))

    assert list(listing.context["cl"].result_list) == [notice]
    assert "451 busy" in page.content.decode()
    assert admin_client.get(reverse("admin:notices_notice_add")).status_code == 403
    admin_client.post(reverse("admin:notices_notice_change", args=[notice.pk]), {"attempts": 0})
    notice.refresh_from_db()
    assert notice.attempts == 2


def test_the_preferences_list_opens(admin, admin_client, group):
    NoticePreferences.objects.create(user=member_of(group.administration, "karin"), delivery="digest")
    response = admin_client.get(reverse("admin:notices_noticepreferences_changelist"))
    assert [row.user.username for row in response.context["cl"].result_list] == ["karin"]
