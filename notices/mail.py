"""The e-mail that carries one or more notices to one person: in their language, as plain text and
as HTML, each notice a sentence with an absolute link to the place where it is acted on.

Goal titles, names and comments are data: the HTML part escapes them (the templates autoescape),
and the subject is one line whatever a title holds, as a header must be.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from notices.models import Kind, Notice
from orgunits.models import display_name

# What each kind of notice says; %(goal)s is the goal's title, %(actor)s who took the step,
# %(period)s the reporting period, %(deadline)s its deadline. Translated when the mail is written.
SENTENCES = {
    Kind.GOAL_SUBMITTED: gettext_noop("%(actor)s submitted “%(goal)s” for your decision."),
    Kind.GOAL_APPROVED: gettext_noop("“%(goal)s” was approved by %(actor)s."),
    Kind.GOAL_RETURNED: gettext_noop("“%(goal)s” was sent back by %(actor)s."),
    Kind.FOLLOW_UP_SUBMITTED: gettext_noop(
        "%(actor)s submitted the follow-up of “%(goal)s” for %(period)s for your review."
    ),
    Kind.FOLLOW_UP_REVIEWED: gettext_noop(
        "The follow-up of “%(goal)s” for %(period)s was reviewed by %(actor)s."
    ),
    Kind.FOLLOW_UP_RETURNED: gettext_noop(
        "The follow-up of “%(goal)s” for %(period)s was sent back by %(actor)s."
    ),
    Kind.DEADLINE_NEAR: gettext_noop("The follow-up of “%(goal)s” for %(period)s is due on %(deadline)s."),
    Kind.DEADLINE_PASSED: gettext_noop(
        "The follow-up of “%(goal)s” for %(period)s was due on %(deadline)s and is overdue."
    ),
}


@dataclass(frozen=True)
class Item:
    """One notice as a mail shows it."""

    text: str
    comment: str
    url: str
    link_text: str


def absolute(path: str) -> str:
    """The address of a page of the portal for a mail, which no request tells the site's address."""
    return settings.SITE_URL.rstrip("/") + path


def language_of(recipient) -> str:
    preferences = getattr(recipient, "notice_preferences", None)
    return preferences.language if preferences is not None else settings.LANGUAGE_CODE


def compose(recipient, notices: list[Notice], *, digest: bool) -> EmailMultiAlternatives:
    """The mail that tells ``recipient`` of ``notices`` (each with its goal, reporting period and
    actor fetched), in the recipient's language: one event's notices, or a day's (``digest``)."""
    with translation.override(language_of(recipient)):
        items = [_item(notice) for notice in notices]
        context = {
            "recipient": display_name(recipient),
            "items": items,
            "digest": digest,
            "preferences_url": absolute(reverse("notices:preferences")),
            "site_url": absolute("/"),
            "LANGUAGE_CODE": translation.get_language(),
        }
        text = render_to_string("notices/email/notices.txt", context)
        html = render_to_string("notices/email/notices.html", context)
        subject = _subject(notices, digest=digest)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def one_line(text: str) -> str:
    """``text`` without line breaks: a header that holds one is refused (or would inject another)."""
    return " ".join(text.split())


def _subject(notices: list[Notice], *, digest: bool) -> str:
    if digest:
        subject = ngettext(
            "Styrmodell: your daily digest, %(count)d notice",
            "Styrmodell: your daily digest, %(count)d notices",
            len(notices),
        ) % {"count": len(notices)}
    elif len(notices) == 1:
        subject = gettext("Styrmodell: %(kind)s – “%(goal)s”") % {
            "kind": notices[0].get_kind_display(),
            "goal": notices[0].goal.title,
        }
    else:
        subject = ngettext(
            "Styrmodell: %(kind)s – %(count)d goal", "Styrmodell: %(kind)s – %(count)d goals", len(notices)
        ) % {"kind": notices[0].get_kind_display(), "count": len(notices)}
    return one_line(subject)


def _item(notice: Notice) -> Item:
    reporting_period = notice.reporting_period
    values = {
        "goal": notice.goal.title,
        "actor": display_name(notice.actor) if notice.actor is not None else gettext("someone"),
        "period": str(reporting_period) if reporting_period is not None else "",
        "deadline": formats.date_format(reporting_period.deadline) if reporting_period is not None else "",
    }
    if notice.kind == Kind.GOAL_SUBMITTED:
        url, link_text = reverse("goals:queue"), gettext("Open the queue")
    elif reporting_period is not None:
        url = reverse(
            "goals:follow-up", kwargs={"pk": notice.goal_id, "reporting_period": reporting_period.pk}
        )
        link_text = gettext("Open the follow-up")
    else:
        url, link_text = notice.goal.get_absolute_url(), gettext("Open the goal")
    return Item(
        text=gettext(SENTENCES[notice.kind]) % values,
        comment=notice.comment,
        url=absolute(url),
        link_text=link_text,
    )
