"""The preferences page: each person chooses, for themselves only, how they hear of notices."""

import pytest
from django.urls import reverse

from notices.models import Delivery, NoticePreferences
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

URL = reverse("notices:preferences")


@pytest.fixture
def karin(group):
    return member_of(group.administration, "karin")


def test_the_page_offers_the_choices_with_the_defaults(client, karin):
    client.force_login(karin)
    form = client.get(URL).context["form"]
    assert (form["delivery"].value(), form["reminders"].value(), form["language"].value()) == (
        "each",
        True,
        "sv",
    )
    assert not NoticePreferences.objects.exists()  # reading the page writes nothing


def test_a_person_saves_their_own_choice(client, karin, group):
    other = member_of(group.committee, "eva", role="politician", position="chair")
    NoticePreferences.objects.create(user=other, delivery=Delivery.NONE)
    client.force_login(karin)

    response = client.post(URL, {"delivery": "digest", "language": "en"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Dina val av aviseringar är sparade." in response.content.decode()
    saved = NoticePreferences.objects.get(user=karin)
    assert (saved.delivery, saved.reminders, saved.language) == ("digest", False, "en")
    # Nothing a person posts reaches anyone else's choice.
    assert NoticePreferences.objects.get(user=other).delivery == Delivery.NONE


def test_a_choice_saved_from_an_older_page_is_refused(client, karin):
    preferences = NoticePreferences.objects.create(user=karin)
    client.force_login(karin)
    seen = client.get(URL).context["form"]["seen_version"].value()
    client.post(URL, {"delivery": "none", "reminders": "on", "language": "sv", "seen_version": seen})

    response = client.post(
        URL, {"delivery": "digest", "reminders": "on", "language": "sv", "seen_version": seen}
    )

    assert response.status_code == 200
    assert "efter att du öppnade" in response.content.decode()
    preferences.refresh_from_db()
    assert preferences.delivery == Delivery.NONE


def test_a_bad_choice_is_a_form_error_not_a_crash(client, karin):
    client.force_login(karin)
    response = client.post(URL, {"delivery": "hourly", "language": "xx"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"delivery", "language"}
    assert not NoticePreferences.objects.filter(delivery="hourly").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_links_to_the_page_when_signed_in(client, karin):
    assert URL not in client.get(reverse("home")).content.decode()
    client.force_login(karin)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
