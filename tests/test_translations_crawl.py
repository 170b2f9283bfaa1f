"""No page speaks the other language: every page of the portal, in Swedish and in English, public
and signed in as a manager, a committee chair and an administrator, fails when its visible text
holds a message of our catalogue in the other language.

In a Swedish page, an English original (msgid) whose Swedish translation differs from it is a string
someone forgot to mark or translate; in an English page, such a Swedish translation is one that was
translated where it should not have been, or hard-coded in Swedish. Words both languages share, and
the names of the data (units, goals, processes, people), say nothing either way and are ignored.

``test_every_page_of_the_portal_is_crawled`` keeps the crawl complete: a new named URL of the
portal fails it until ``pages`` below says how to reach it (or ``NOT_PAGES`` why it is left out).
"""

import gettext
import html.parser
import re
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goals.models import Goal, Indicator
from orgunits.models import OrgUnit
from processes.models import Process, TargetGroup
from tests.kit.worlds import follow_up_world, goals_world

pytestmark = pytest.mark.django_db

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "styrmodell" / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
)

# The portal's own pages: the apps' namespaces and the site's named URLs outside them.
PORTAL_NAMESPACES = ("orgunits", "goals", "processes", "search", "notices")
PORTAL_NAMES = (
    "home",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
)
NOT_PAGES = {
    # Steps of the OpenID sign-in: they send the browser to the organisation's provider.
    "oidc_authentication_init",
    "oidc_authentication_callback",
    # Measuring the floor of the benchmark (on only under STYRMODELL_BENCHMARK), no page.
    "bench-floor",
}

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


def pages(world, follow_up) -> dict[str, list[str]]:
    """Where each named page of the portal is reached, with the test kit's objects (a page that
    answers a GET with 405, a redirect or a refusal is read as the visitor gets it)."""
    chain, group = world.chain, world.group
    unit, committee = group.administration.slug, group.committee.slug
    goal, period = chain.operational.pk, follow_up.annual.pk
    process, target_group = world.process.slug, world.target_group.slug
    return {
        "home": [reverse("home")],
        "orgunits:tree": [reverse("orgunits:tree"), reverse("orgunits:tree") + "?dissolved=1"],
        "orgunits:detail": [
            reverse("orgunits:detail", args=[unit]),
            reverse("orgunits:detail", args=[committee]),
        ],
        "orgunits:members": [reverse("orgunits:members", args=[unit])],
        "orgunits:history": [reverse("orgunits:history", args=[unit])],
        "goals:chain": [reverse("goals:chain")],
        "goals:mine": [reverse("goals:mine")],
        "goals:choose-my-unit": [reverse("goals:choose-my-unit")],
        "goals:choose-period": [reverse("goals:choose-period")],
        "goals:create": [
            reverse("goals:create"),
            f"{reverse('goals:create')}?unit={unit}",
            f"{reverse('goals:create')}?parent={goal}",
        ],
        "goals:matrix": [reverse("goals:matrix")],
        "goals:unit-chain": [reverse("goals:unit-chain", args=[unit])],
        "goals:queue": [reverse("goals:queue")],
        "goals:decided-document": [
            f"{reverse('goals:decided-document', args=[committee])}?year={chain.period.year}"
        ],
        "goals:indicators": [reverse("goals:indicators")],
        "goals:indicator": [follow_up.indicator.get_absolute_url()],
        "goals:import-measurements": [reverse("goals:import-measurements")],
        "goals:report": [reverse("goals:report")],
        "goals:health": [reverse("goals:health")],
        "goals:health-export": [],  # an Excel file, no page
        "goals:follow-up": [
            reverse("goals:follow-up", args=[goal, period]),
            reverse("goals:follow-up", args=[chain.body.pk, period]),
        ],
        "goals:follow-up-submit": [reverse("goals:follow-up-submit", args=[goal, period])],
        "goals:follow-up-review": [reverse("goals:follow-up-review", args=[goal, period])],
        "goals:follow-up-return": [reverse("goals:follow-up-return", args=[goal, period])],
        "goals:detail": [
            chain.operational.get_absolute_url(),
            world.draft.get_absolute_url(),
            world.submitted.get_absolute_url(),
            chain.activity.get_absolute_url(),
        ],
        "goals:edit": [reverse("goals:edit", args=[world.draft.pk]), reverse("goals:edit", args=[goal])],
        "goals:history": [reverse("goals:history", args=[goal])],
        "goals:submit": [reverse("goals:submit", args=[world.draft.pk])],
        "goals:discard-revision": [reverse("goals:discard-revision", args=[goal])],
        "processes:list": [reverse("processes:list")],
        "processes:target-group": [reverse("processes:target-group", args=[target_group])],
        "processes:detail": [reverse("processes:detail", args=[process])],
        "processes:edit": [reverse("processes:edit", args=[process])],
        "processes:history": [reverse("processes:history", args=[process])],
        "search:search": [reverse("search:search"), reverse("search:search") + "?q=läsning"],
        "notices:preferences": [reverse("notices:preferences")],
        "login": [reverse("login")],
        "logout": [reverse("logout")],
        "password_change": [reverse("password_change")],
        "password_change_done": [reverse("password_change_done")],
        "password_reset": [reverse("password_reset")],
        "password_reset_done": [reverse("password_reset_done")],
        "password_reset_confirm": [reverse("password_reset_confirm", args=["MQ", "set-password"])],
        "password_reset_complete": [reverse("password_reset_complete")],
        "set_language": [reverse("set_language")],
        # Pages of no named URL of ours: a missing page, and the admin's start and lists.
        "404": ["/organisation/finns-inte/"],
        "admin": [
            reverse("admin:index"),
            reverse("admin:orgunits_orgunit_changelist"),
            reverse("admin:goals_goal_changelist"),
            reverse("admin:processes_process_changelist"),
        ],
    }


def portal_url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name

    return {
        name
        for name in walk(get_resolver().url_patterns)
        if (name.split(":")[0] in PORTAL_NAMESPACES and ":" in name) or name in PORTAL_NAMES
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
        shared = foreign & own  # e.g. "Administration": an English original and a Swedish translation
        self.whole = {
            normal(text) for text in foreign - own - shared - ALLOWED if not PLACEHOLDER.search(text)
        }
        self.whole -= {normal(text) for text in own}
        patterns = [
            "".join(re.escape(part) if index % 2 == 0 else ".+?" for index, part in enumerate(split(text)))
            for text in foreign - own
            if PLACEHOLDER.search(text) and sum(char.isalpha() for char in PLACEHOLDER.sub("", text)) >= 8
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
    return pages(world, follow_up_world(chain)), cast


def test_every_page_of_the_portal_is_crawled(crawl):
    urls, _cast = crawl
    missing = sorted(portal_url_names() - set(urls) - NOT_PAGES)
    assert missing == [], f"add each to pages() in {Path(__file__).name}, or to NOT_PAGES with why"


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
        for name, addresses in urls.items():
            if name == "admin" and reader != "admin":
                continue
            for address in addresses:
                response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code != 500, address
                if "html" not in response.get("Content-Type", ""):
                    continue
                read[reader] += response.status_code == 200
                texts = [text for text in visible_texts(response.content.decode()) if text not in data_names]
                found += [(reader, address, text) for text in giveaways.found_in(texts)]
    assert sorted(set(found), key=str) == []
    # The crawl read pages, not only sign-in redirects: the public ones, and more signed in.
    assert read[None] >= 20 and min(read[reader] for reader in READERS[1:]) >= 30, read
