"""No page speaks the other language: every page of the portal, in Swedish and in English, public
and signed in as a manager, a committee chair and an administrator, fails when its visible text
holds a message of our catalogue in the other language.

In a Swedish page, an English original (msgid) whose Swedish translation differs from it is a string
someone forgot to mark or translate; in an English page, such a Swedish translation is one that was
translated where it should not have been, or hard-coded in Swedish. Words both languages share, and
the names of the data (units, goals, processes, people), say nothing either way and are ignored.

``test_every_page_of_the_portal_is_crawled`` keeps the crawl complete: a new named URL of the
portal fails it until ``tests/kit/portal_pages.py`` says how to reach it (or why it is left out).
"""

import gettext
import html.parser
import re
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Goal, Indicator
from orgunits.models import OrgUnit
from processes.models import Process, TargetGroup
from tests.kit.portal_pages import NOT_PAGES, PortalObjects, portal_pages, portal_url_names
from tests.kit.worlds import follow_up_world, goals_world

pytestmark = pytest.mark.django_db

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "styrmodell" / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
)

# Who reads the pages: a visitor, a manager, a committee's chair and an administrator (the cast's
# names; None: anonymous).
READERS = [None, "manager_inside", "politician", "admin"]

# Shown the same in both languages, though our catalogue translates them where they stand alone:
# a text of both catalogues' sides (e.g. "Administration") is caught below; these are the rest.
ALLOWED = {
    # The language switcher names each language in its own tongue, on every page.
    "Svenska",
    "English",
}


# -- the catalogue ----------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdif]|\{\w*\}")


def catalogue() -> dict[str, str]:
    """Our catalogue as {English original: Swedish}, plural forms each as their own pair."""
    with CATALOGUE.open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog
    pairs = {}
    for key, swedish in messages.items():
        english = key[0] if isinstance(key, tuple) else key
        english = english.split("\x04")[-1]  # without its context
        if english:  # the header has none
            pairs.setdefault(english, swedish)
    return pairs


def catalogue_sides() -> dict[str, set[str]]:
    """The catalogue's messages that differ between the languages: the English and the Swedish."""
    pairs = {english: swedish for english, swedish in catalogue().items() if swedish != english}
    return {"english": set(pairs), "swedish": set(pairs.values())}


def normal(text: str) -> str:
    return " ".join(text.split())


class Giveaways:
    """What gives a page in one language away as holding the other: whole texts (a button, a
    heading, a cell) and, for messages with placeholders, their fixed words around any value."""

    def __init__(self, foreign: set[str], own: set[str]):
        # A text of both sides (e.g. "Administration": an English original, and the Swedish of
        # "Site administration") gives nothing away.
        own = {normal(text) for text in own}
        self.whole = {normal(text) for text in foreign if not PLACEHOLDER.search(text)} - own - ALLOWED
        patterns = [
            "".join(re.escape(part) if index % 2 == 0 else ".+?" for index, part in enumerate(split(text)))
            for text in foreign
            if normal(text) not in own
            and PLACEHOLDER.search(text)
            and sum(char.isalpha() for char in PLACEHOLDER.sub("", text)) >= 8
        ]
        self.templated = re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None
        # Long enough that it is never a word of the other language by chance: found anywhere.
        self.sentences = {text for text in self.whole if len(text) >= 20 and text.count(" ") >= 3}

    def found_in(self, texts: list[str]) -> list[str]:
        found = [text for text in texts if text in self.whole]
        if self.templated is not None:
            found += [text for text in texts if text not in self.whole and self.templated.fullmatch(text)]
        page = "\n".join(texts)
        found += [sentence for sentence in self.sentences if sentence in page and sentence not in found]
        return found


# Words of English that Swedish never writes. A Swedish page's text holding two of them is English
# that was never marked for translation, which the catalogue cannot know of.
ENGLISH_ONLY_WORDS = {
    "the",
    "of",
    "and",
    "your",
    "are",
    "with",
    "this",
    "that",
    "has",
    "have",
    "you",
    "been",
    "which",
}


def unmarked_english(texts: list[str]) -> list[str]:
    return [text for text in texts if len(ENGLISH_ONLY_WORDS & set(re.findall(r"[a-z]+", text.lower()))) >= 2]


def split(text: str) -> list[str]:
    """A message's fixed words and its placeholders, alternating, whitespace made single."""
    parts = []
    for index, part in enumerate(PLACEHOLDER.split(normal(text))):
        parts += [part] if index == 0 else ["", part]
    return parts


# -- the pages ---------------------------------------------------------------------------------------


class VisibleText(html.parser.HTMLParser):
    """The text a reader sees or hears: text nodes outside scripts and styles, and the attributes
    that are read out or shown (labels, titles, placeholders, alternative texts, button values)."""

    READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        for name in self.READ_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(normal(attributes[name]))
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.texts.append(normal(attributes["value"]))

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(normal(data))


def visible_texts(content: str) -> list[str]:
    parser = VisibleText()
    parser.feed(content)
    return parser.texts


def names_of_the_data() -> set[str]:
    """What the data is called: the same words in either language's page."""
    names = set()
    for model, fields in [
        (OrgUnit, ["name", "short_name"]),
        (Goal, ["title"]),
        (Process, ["name"]),
        (TargetGroup, ["name"]),
        (Indicator, ["name"]),
        (get_user_model(), ["username", "first_name", "last_name"]),
    ]:
        for row in model._default_manager.values_list(*fields):
            names.update(normal(str(value)) for value in row if value)
    return names


@pytest.fixture
def crawl(chain, group, cast):
    world = goals_world(chain, group, cast)
    follow_up = follow_up_world(chain)
    objects = PortalObjects(
        unit=group.administration,
        body=group.committee,
        goal=chain.operational,
        draft=world.draft,
        activity=chain.activity,
        indicator=follow_up.indicator,
        follow_up_goal=chain.operational,
        reporting_period=follow_up.annual,
        process=world.process,
        target_group=world.target_group,
        year=chain.period.year,
    )
    return portal_pages(objects), cast


def test_every_page_of_the_portal_is_crawled(crawl):
    urls, _cast = crawl
    missing = sorted(portal_url_names() - set(urls) - NOT_PAGES)
    assert missing == [], "add each to portal_pages() in tests/kit/portal_pages.py, or to NOT_PAGES with why"


@pytest.mark.parametrize(("language", "other"), [("en", "sv"), ("sv", "en")])
def test_the_crawl_tells_a_page_in_the_wrong_language(client, language, other):
    """The check itself: a page in one language, read as if it were meant in the other, is caught
    on its menu, headings and buttons."""
    client.cookies["django_language"] = language
    texts = visible_texts(client.get(reverse("login")).content.decode())
    sides = catalogue_sides()
    side = {"en": "english", "sv": "swedish"}
    found = Giveaways(sides[side[language]], sides[side[other]]).found_in(texts)
    expected = {
        "en": {"Sign in", "Menu", "Skip to content"},
        "sv": {"Logga in", "Meny", "Hoppa till innehållet"},
    }[language]
    assert expected <= set(found), found


def test_english_never_marked_for_translation_is_told_from_swedish():
    texts = ["The goal has been sent back", "Välj ett nytt lösenord", "Barn och unga", "Status: godkänt"]
    assert unmarked_english(texts) == ["The goal has been sent back"]


@pytest.mark.parametrize(
    ("language", "own_side", "foreign_side"),
    [("sv", "swedish", "english"), ("en", "english", "swedish")],
)
def test_no_page_holds_text_of_the_other_language(client, crawl, language, own_side, foreign_side):
    urls, cast = crawl
    sides = catalogue_sides()
    giveaways = Giveaways(sides[foreign_side], sides[own_side])
    data_names = names_of_the_data()
    client.cookies["django_language"] = language
    found, read = [], Counter()
    for reader in READERS:
        client.logout()
        if reader is not None:
            client.force_login(cast[reader])
        client.cookies["django_language"] = language
        for addresses in urls.values():
            for address in addresses:
                response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code != 500, address
                if "html" not in response.get("Content-Type", ""):
                    continue
                read[reader] += response.status_code == 200
                texts = [text for text in visible_texts(response.content.decode()) if text not in data_names]
                found += [(reader, address, text) for text in giveaways.found_in(texts)]
                if language == "sv":
                    found += [(reader, address, text) for text in unmarked_english(texts)]
    assert sorted(set(found), key=str) == []
    # The crawl read pages, not only sign-in redirects: the public ones, and more signed in.
    assert read[None] >= 20 and min(read[reader] for reader in READERS[1:]) >= 30, read
