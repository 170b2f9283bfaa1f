"""Real clients racing each other against the live server.

Each client is a ``requests`` session of its own (an API token, or a signed-in web session), in a
thread of its own; the live server answers each request in a thread of its own, with a PostgreSQL
connection of its own. ``race`` sends the calls in waves: every client prepares its call (a web
form reads its page for the CSRF token first, as a browser would), then all wait at a barrier and
send together, so that the calls of one wave reach the server at the same moment.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from tests.kit.instances import loopback_session

# How many clients race in every scenario.
WORKERS = 8

# A barrier that waits longer than this means a client got stuck: fail rather than hang.
BARRIER_TIMEOUT = 120


def rounds() -> int:
    """How many rounds each race runs (``STYRMODELL_STRESS_ROUNDS``, 20 by default); the move
    scenarios make ten moves per round."""
    return int(os.environ.get("STYRMODELL_STRESS_ROUNDS") or 20)


@dataclass
class Call:
    """One request: a JSON call to the API, or a web form posted after reading its page."""

    method: str
    path: str
    json: Any = None
    form: dict | None = None  # a web form's fields; the CSRF token is read from ``form_page``
    form_page: str | None = None
    intent: Any = None  # what the test needs to judge the answer: the value written, the target


@dataclass
class Answer:
    call: Call
    client: int
    status: int
    body: Any  # the JSON answer, or the page's text
    started: float  # time.monotonic() as the request left, and as its answer came back
    finished: float
    notices: list[str] = field(default_factory=list)  # a web page's messages and form errors
    location: str = ""  # where a web form's answer led
    # How the test reads it: "2xx", "4xx" (refused by a rule), "409" (told someone acted first),
    # "5xx". A web form answers a conflict with a message, so a test may set it to "409".
    verdict: str = ""

    def __post_init__(self):
        if not self.verdict:
            self.verdict = verdict_of(self.status)

    @property
    def detail(self) -> str:
        return self.body.get("detail", "") if isinstance(self.body, dict) else ""

    def __str__(self) -> str:
        if self.call.form is not None:
            shown = f"{self.location} showing {self.notices}" if self.location else f"showing {self.notices}"
        else:
            shown = self.body if isinstance(self.body, dict) else str(self.body)[:200]
        return f"client {self.client}: {self.call.method} {self.call.path} {self.call.json or ''} → {self.status} {shown}"


def verdict_of(status: int) -> str:
    if status >= 500:
        return "5xx"
    if status == 409:
        return "409"
    if status >= 400:
        return "4xx"
    return "2xx"


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOTICES = re.compile(r'<div class="(?:notice|form-errors)"[^>]*>(.*?)</div>', re.S)
FIELD_ERRORS = re.compile(r'<p class="error">(.*?)</p>', re.S)


def notices_in(page: str) -> list[str]:
    """The messages a page shows the person: the notices at its top, a form's errors and its
    fields' errors."""
    items = [
        item
        for block in NOTICES.findall(page)
        for item in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", block, re.S)
    ]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items + FIELD_ERRORS.findall(page)
    ]


class Client:
    """One person at a computer: their own session, in English (to compare messages word for word).
    Its cookies go to the loopback even when production marks them ``Secure`` (``tests.kit.instances``)."""

    def __init__(self, base_url: str, *, token: str | None = None):
        self.base_url = base_url
        self.session = loopback_session()
        self.session.headers["Accept-Language"] = "en"
        if token is not None:
            self.session.headers["Authorization"] = f"Token {token}"

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the sign-in page, as a browser does (its CSRF token first)."""
        token = self.csrf_token("/accounts/login/")
        response = self.session.post(
            self.base_url + "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
        )
        assert response.status_code == 302, f"{username} could not sign in: {response.status_code}"

    def pages(self, path: str) -> list[dict]:
        """Every item of a paginated list, following its ``next`` links."""
        items, url = [], self.base_url + path
        while url:
            response = self.session.get(url)
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
            items += response.json()["results"]
            url = response.json()["next"]
        return items

    def csrf_token(self, path: str) -> str:
        page = self.session.get(self.base_url + path)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        match = CSRF_FIELD.search(page.text)
        assert match, f"no form on {path}"
        return match.group(1)

    def prepare(self, call: Call) -> dict | None:
        """What must be read before the race: a web form's fields with its page's CSRF token."""
        if call.form is None:
            return None
        return {**call.form, "csrfmiddlewaretoken": self.csrf_token(call.form_page or call.path)}

    def send(self, call: Call, prepared: dict | None, index: int) -> Answer:
        url = self.base_url + call.path
        started = time.monotonic()
        if call.form is not None:
            response = self.session.request(call.method, url, data=prepared, allow_redirects=False)
        else:
            response = self.session.request(call.method, url, json=call.json)
        finished = time.monotonic()
        if call.form is not None:
            page, location = response.text, response.headers.get("Location", "")
            if response.status_code in (301, 302, 303) and location:
                # The page it leads to shows what happened (Django's messages).
                page = self.session.get(self.base_url + location).text
            return Answer(
                call, index, response.status_code, page, started, finished, notices_in(page), location
            )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        return Answer(call, index, response.status_code, body, started, finished)


def race(clients: Sequence[Client], waves: Sequence[Sequence[Call | None]]) -> list[Answer]:
    """Send each wave's calls, the i-th by the i-th client, all together; the answers of all waves.

    A client without a call in a wave (None, or a short wave) still waits at the barrier, so that
    the waves stay apart: a wave starts when every client is done with the one before.
    """
    barrier = threading.Barrier(len(clients))

    def work(index: int) -> list[Answer]:
        client, answers = clients[index], []
        try:
            for wave in waves:
                call = wave[index] if index < len(wave) else None
                prepared = client.prepare(call) if call is not None else None
                barrier.wait(BARRIER_TIMEOUT)
                if call is not None:
                    answers.append(client.send(call, prepared, index))
        except BaseException:
            barrier.abort()  # the others stop waiting for this one
            raise
        return answers

    with ThreadPoolExecutor(len(clients), thread_name_prefix="racer") as pool:
        futures = [pool.submit(work, index) for index in range(len(clients))]
        wait(futures)
    # The client that failed first, not the others that it left waiting at the barrier.
    failures = [future.exception() for future in futures if future.exception() is not None]
    if failures:
        raise next(
            (error for error in failures if not isinstance(error, threading.BrokenBarrierError)), failures[0]
        )
    answers = [answer for future in futures for answer in future.result()]
    return sorted(answers, key=lambda answer: answer.started)


def paired(items: Sequence, call) -> list[list[Call]]:
    """Waves in which clients 2k and 2k+1 race on the k-th item of the wave: ``call(item, role,
    wave)`` makes each one's call (``role`` 0 or 1)."""
    pairs = WORKERS // 2
    return [
        [call(item, role, start // pairs) for item in items[start : start + pairs] for role in (0, 1)]
        for start in range(0, len(items), pairs)
    ]


def in_waves(calls: Sequence[Call], width: int = WORKERS) -> list[list[Call]]:
    """Calls in waves of ``width``, in order."""
    return [list(calls[start : start + width]) for start in range(0, len(calls), width)]
