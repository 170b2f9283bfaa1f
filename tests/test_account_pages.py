"""The pages for a forgotten or changed password are the portal's, in its layout and language (they
were the admin's, with its English-looking header and a breadcrumb axe faulted), and they work."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def karin(django_user_model):
    return django_user_model.objects.create_user(
        "karin.lind", email="karin.lind@kommun.example", password="gammalt"
    )


def in_the_portal(response) -> bool:
    html = response.content.decode()
    return '<header class="site-header">' in html and "admin/css" not in html


def test_a_forgotten_password_is_replaced_through_the_mailed_link_in_swedish(client, karin):
    form = client.get(reverse("password_reset"))
    assert in_the_portal(form)
    assert "<h1>Glömt lösenord</h1>" in form.content.decode()

    sent = client.post(reverse("password_reset"), {"email": "karin.lind@kommun.example"}, follow=True)
    assert "<h1>Titta i din e-post</h1>" in sent.content.decode()
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)

    choose = client.get(link, follow=True)
    assert "<h1>Välj ett nytt lösenord</h1>" in choose.content.decode()
    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": "Nytt-lösenord-2026", "new_password2": "Nytt-lösenord-2026"},
        follow=True,
    )
    assert "<h1>Ditt nya lösenord är sparat</h1>" in done.content.decode()
    karin.refresh_from_db()
    assert karin.check_password("Nytt-lösenord-2026")


def test_a_used_or_broken_link_says_so_and_offers_a_new_one(client, karin):
    html = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"])).content.decode()
    assert "Länken har redan använts eller gäller inte längre." in html
    assert reverse("password_reset") in html


def test_a_signed_in_person_changes_their_password_in_the_portal(client, karin):
    client.force_login(karin)
    form = client.get(reverse("password_change"))
    assert in_the_portal(form) and "<h1>Byt lösenord</h1>" in form.content.decode()
    refused = client.post(
        reverse("password_change"),
        {"old_password": "fel", "new_password1": "Nytt-lösenord-2026", "new_password2": "Nytt-lösenord-2026"},
    )
    assert refused.status_code == 200 and "has-error" in refused.content.decode()
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "gammalt",
            "new_password1": "Nytt-lösenord-2026",
            "new_password2": "Nytt-lösenord-2026",
        },
        follow=True,
    )
    assert "<h1>Lösenordet är bytt</h1>" in done.content.decode()
    karin.refresh_from_db()
    assert karin.check_password("Nytt-lösenord-2026")
