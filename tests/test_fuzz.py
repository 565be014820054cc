"""Hostile requests to every URL of the app: whatever comes in, the answer is never a 5xx.

Every URL pattern is found by walking the resolver, so a new URL is covered without touching
this file; its arguments are filled with the signed-in member's own ids, another member's and
junk. Requests go out as an anonymous visitor, a member and a staff member, with every method,
unknown and missing fields, huge numbers, NUL bytes, long strings, invalid UTF-8, other
charsets, JSON bodies, HTMX headers on and off, and junk query strings.

Each request runs in a savepoint that is rolled back afterwards, so every request meets the
same data and a failure can be replayed on its own. The default budget keeps the file under a
minute; `FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py` runs a longer search. The summary at
the end of the run counts the requests and the statuses seen.

Left to the request middleware (config/middleware.py): a body over 1 MB should be a 413 and a
form in an unknown charset a 400/415. The fuzzing sends both and only asks for "not a 5xx";
tests/test_bad_input.py holds the exact expectations.
"""

from __future__ import annotations

import json
import os
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from careers.models import Status
from roadmaps.calendar import reset_feed
from roadmaps.models import CheckIn, Plan
from tests.factories import make_member, make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
PASSWORD = "correct-horse-battery"  # the members' password: never sent, so no account is deleted

# Paths left out: Django's admin (staff-only, not ours; it has its own tests).
EXCLUDED_PREFIXES = ("admin/",)

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
WHO = ["anonymous", "member", "staff"]

HUGE = [str(2**63), str(10**30), "-1", "0", str(2**63 - 1), "9" * 5000]
JUNK = ["", "\x00", "a\x00b", "x" * 10_000, "é🙂", "<script>", "../../etc/passwd", "%ff", " "]
PLAUSIBLE = ["done", "open", "skipped", "active", "paused", "archived", "12", "9", "4", "6.5",
             "2027-03-10", "2027-03-01", "Europe/London", "https://example.com/x", "on",
             "someone@example.com", PASSWORD[::-1]]  # fmt: skip
VALUES = HUGE + JUNK + PLAUSIBLE

# The fields the app's forms (and allauth's) read, and some they do not.
FIELDS = ["state", "status", "pace_months", "start_date", "hours_per_week", "hours", "confidence",
          "wins", "blockers", "next_focus", "focus_items", "note", "evidence_url", "timezone",
          "checkin_weekday", "display_name", "reminders_enabled", "password", "login", "email",
          "password1", "password2", "oldpassword", "action_add", "action_primary",
          "action_send", "action_remove", "code", "remember", "next", "page", "week",
          "background", "difficulty", "compare", "unknown", "\x00", "a" * 300, "é"]  # fmt: skip

QUERIES = ["", "page=2", "page=%00", f"page={2**63}", "page=-1", "page=abc", "week=2027-03-01",
           f"week={10**30}", "status=paused", "status=%00", "compare=%00&compare=x",
           "background=%ff%fe", "difficulty=" + "x" * 3000, "next=//evil.example",
           "next=/%00", "a=1&a=2&a=%00", "%ff=%fe", "=", "&&&"]  # fmt: skip


# --- The URL patterns ---------------------------------------------------------------------------

ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_ARG = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """A URL pattern as a list of literal text and named arguments (with their converter)."""

    name: str
    parts: tuple  # str for literal text, (argument name, converter or None) for an argument

    @property
    def label(self) -> str:
        return "".join(p if isinstance(p, str) else f"<{p[0]}>" for p in self.parts)


def _parts(pattern) -> list:
    text = str(pattern)
    parts: list = []
    if hasattr(pattern, "converters") and not text.startswith("^"):  # RoutePattern
        at = 0
        for match in ROUTE_ARG.finditer(text):
            parts.append(text[at : match.start()])
            parts.append((match["name"], pattern.converters.get(match["name"])))
            at = match.end()
        parts.append(text[at:])
    else:  # RegexPattern: its named groups become arguments, the rest literal text
        text = text.removeprefix("^").removesuffix("$")
        at = 0
        for match in REGEX_ARG.finditer(text):
            parts.append(text[at : match.start()].replace("\\", ""))
            parts.append((match["name"], None))
            at = match.end()
        parts.append(text[at:].replace("\\", ""))
    return [p for p in parts if p != ""]


def walk(patterns, prefix=()) -> list[Route]:
    routes = []
    for entry in patterns:
        parts = (*prefix, *_parts(entry.pattern))
        if isinstance(entry, URLResolver):
            routes += walk(entry.url_patterns, parts)
        elif isinstance(entry, URLPattern):
            routes.append(Route(entry.name or "", parts))
    return routes


def app_routes() -> list[Route]:
    routes, seen = [], set()
    for route in walk(get_resolver().url_patterns):
        if route.label.startswith(EXCLUDED_PREFIXES) or route.label in seen:
            continue
        seen.add(route.label)
        routes.append(route)
    return routes


ROUTES = app_routes()


# --- The data the requests meet -------------------------------------------------------------


@dataclass
class World:
    """Two members with plans in every state, check-ins, calendar feeds, and a staff member."""

    member: object
    other: object
    staff: object
    args: dict  # argument name -> values worth sending (own ids first, then others', junk)
    cookies: dict = field(default_factory=dict)  # who -> the session cookie of their login


def build_world() -> World:
    member = make_member(email="member@example.com")
    other = make_member(email="other@example.com")
    staff = make_member(email="staff@example.com", is_staff=True, is_superuser=True)
    ours, theirs = make_transition(), make_transition()
    draft = make_transition(status=Status.DRAFT)
    active = make_plan(member, ours, start_date=date(2027, 2, 3))
    paused = make_plan(member, theirs, start_date=date(2027, 1, 4))
    paused.set_status(Plan.Status.PAUSED, date(2027, 3, 1))
    archived = make_plan(member, draft, start_date=date(2026, 12, 7))
    archived.set_status(Plan.Status.ARCHIVED, date(2027, 2, 1))
    foreign = make_plan(other, ours, start_date=date(2027, 2, 1))
    for plan in (active, archived, foreign):
        CheckIn.objects.create(plan=plan, week=date(2027, 3, 1), hours=Decimal(2), confidence=3)
    own_item = ours.roadmap_items.first()
    other_item = theirs.roadmap_items.filter(kind="resource").first()
    junk_ids = ["0", str(2**63), str(10**30), str(2**63 - 1)]
    weeks = ["2027-03-08", "2027-03-01", "2027-03-10", "2026-01-05", "2027-12-27", "0001-01-01",
             "9999-12-31", "99999-01-01", "2027-02-30", "2027-W10", "\x00", "x" * 500]  # fmt: skip
    args = {
        "plan_id": [active.pk, paused.pk, archived.pk, foreign.pk, *junk_ids],
        "item_id": [own_item.pk, other_item.pk, *junk_ids],
        "slug": [
            ours.slug,
            draft.slug,
            ours.to_role.slug,
            ours.from_role.slug,
            "no-such",
            "a" * 300,
        ],  # fmt: skip
        "week": weeks,
        "token": [reset_feed(member).token, reset_feed(other).token, "A" * 43, "a" * 64],
        "key": ["abc", "1-abc", "MQ:1t2:abc", "x" * 500, "\x00"],
        "uidb36": ["1", "zzzzzzzzzzzzzzzzzzzzzz", "0"],
        IntConverter: ["1", *junk_ids],
        SlugConverter: ["a", "a" * 300],
        None: ["1", "abc", "\x00", "x" * 500],
    }
    return World(member, other, staff, args)


@pytest.fixture
def world(db, settings):
    # A cheap hasher for the members made here (Argon2 would spend most of the file's budget).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    for who, user in (("member", world.member), ("staff", world.staff)):
        client = Client()
        client.force_login(user)
        world.cookies[who] = client.cookies
    return world


def arg_values(world: World, name: str, converter) -> list:
    values = world.args.get(name) or world.args.get(type(converter)) or world.args[None]
    return [str(v) for v in values]


# --- Requests, sent and counted --------------------------------------------------------------


@dataclass
class Hostile:
    who: str
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    content_type: str = ""
    htmx: bool = False

    def __str__(self) -> str:
        body = (
            self.body
            if len(self.body) <= 300
            else self.body[:300] + b"...(%d bytes)" % len(self.body)
        )
        return (
            f"{self.who}: {self.method} {self.path}{'?' + self.query if self.query else ''}"
            f" content_type={self.content_type!r} htmx={self.htmx} body={body!r}"
        )


STATUSES: Counter = Counter()
TIMING = {"requests": 0, "seconds": 0.0}


class Summary:
    """Prints the requests sent and the statuses seen at the end of the run."""

    def pytest_terminal_summary(self, terminalreporter):
        if TIMING["requests"]:
            histogram = dict(sorted(STATUSES.items()))
            terminalreporter.write_line(
                f"fuzz: {TIMING['requests']} requests in {TIMING['seconds']:.1f} s, "
                f"statuses {histogram}"
            )


@pytest.fixture(autouse=True)
def _summary(request):
    if not request.config.pluginmanager.has_plugin("waypoint-fuzz-summary"):
        request.config.pluginmanager.register(Summary(), "waypoint-fuzz-summary")


def fill(world: World, route: Route, choose) -> str:
    """The route's path with each argument chosen by `choose(values)` and percent-encoded."""
    out = []
    for part in route.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(quote(choose(arg_values(world, *part)), safe=""))
    return "/" + "".join(out)


def send(world: World, hostile: Hostile):
    """Send `hostile` in a savepoint rolled back afterwards; fail on a 5xx, showing it."""
    client = Client(raise_request_exception=False)
    if hostile.who in world.cookies:
        client.cookies = type(world.cookies[hostile.who])(world.cookies[hostile.who])
    headers = {"HX-Request": "true"} if hostile.htmx else {}
    path = hostile.path + ("?" + hostile.query if hostile.query else "")
    started = time.perf_counter()
    savepoint = transaction.savepoint()
    try:
        response = client.generic(
            hostile.method,
            path,
            hostile.body,
            content_type=hostile.content_type or "application/octet-stream",
            headers=headers,
        )
    finally:
        transaction.savepoint_rollback(savepoint)
    TIMING["seconds"] += time.perf_counter() - started
    TIMING["requests"] += 1
    STATUSES[response.status_code] += 1
    if response.status_code >= 500:
        where = ""
        if response.exc_info:
            where = "".join(traceback.format_exception(*response.exc_info)[-4:])
        pytest.fail(f"{response.status_code} for {hostile}\n{where}", pytrace=False)
    return response


def form_body(fields: list[tuple[str, str]]) -> bytes:
    return urlencode(fields, doseq=True).encode()


def body_of(kind: str, fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    """A body of the given kind, with the given fields where it has any."""
    form = "application/x-www-form-urlencoded"
    if kind == "none":
        return b"", ""
    if kind == "form":
        return form_body(fields), form
    if kind == "multipart":
        data: dict = {}
        for key, value in fields:
            data.setdefault(key, []).append(value)
        return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
    if kind == "invalid-utf8":
        return b"wins=\xff\xfe\xfd&hours=\xc3\x28&\xff=\xfe&" + form_body(fields), form
    if kind == "json":
        return json.dumps(dict(fields)).encode(), "application/json"
    if kind == "utf-16":
        return form_body(fields).decode().encode("utf-16"), form + "; charset=utf-16"
    if kind == "latin-1":
        return "wins=caf\xe9&hours=6".encode("latin-1"), form + "; charset=latin-1"
    if kind == "unknown-charset":
        return form_body(fields), form + "; charset=x-no-such-charset"
    if kind == "multipart-utf-16":
        body, _ = body_of("multipart", fields)
        return body, MULTIPART_CONTENT + "; charset=utf-16"
    if kind == "broken-multipart":
        return b"--nope\r\ngarbage\r\n\x00\xff", "multipart/form-data; boundary=BoUnDaRy"
    if kind == "no-boundary":
        return b"garbage", "multipart/form-data"
    if kind == "big":
        return b"wins=" + b"a" * (1024 * 1024 + 512 * 1024), form
    raise ValueError(kind)


BODY_KINDS = ["none", "form", "multipart", "invalid-utf8", "json", "utf-16", "latin-1",
              "unknown-charset", "multipart-utf-16", "broken-multipart", "no-boundary", "big"]  # fmt: skip


# --- A few hostile requests to every URL, always the same ---------------------------------------


def sweep(world: World, route: Route) -> list[Hostile]:
    """For each identity: every method with no body, then a POST with each kind of body, with
    the first (own) ids, another's ids and junk in the path."""
    paths = sorted({fill(world, route, lambda v, i=i: v[min(i, len(v) - 1)]) for i in range(8)})
    hostile = []
    for who in WHO:
        for n, path in enumerate(paths):
            for method in METHODS:
                hostile.append(Hostile(who, method, path, htmx=method == "POST"))
            fields = [("state", "done"), ("status", "paused"), ("pace_months", str(2**63)),
                      ("hours", "1e999999"), ("focus_items", str(2**63)), ("wins", "\x00"),
                      ("email", "x" * 5000), ("unknown", "1")]  # fmt: skip
            kinds = BODY_KINDS if n == 0 else ["form", "invalid-utf8"]
            for kind in kinds:
                body, content_type = body_of(kind, fields)
                hostile.append(Hostile(who, "POST", path, QUERIES[n % len(QUERIES)], body,
                                       content_type, htmx=n % 2 == 1))  # fmt: skip
    return hostile


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label or "/")
def test_a_sweep_of_hostile_requests_gets_no_server_error(world, route):
    for hostile in sweep(world, route):
        response = send(world, hostile)
        assert 100 <= response.status_code < 500, hostile


# --- The findings of issue 12, finding 4, as requests -------------------------------------------


NOT_FOUND = "We could not find that page"


def findings(world: World) -> list[tuple[Hostile, int, str]]:
    """Each request of the finding, the status it gets and a text its answer (page or
    Location) must hold."""
    active, paused, archived = world.args["plan_id"][:3]
    form = "application/x-www-form-urlencoded"
    checkin = form_body([("hours", "1"), ("confidence", "3")])
    focus = checkin + b"&focus_items=" + str(2**63).encode()
    return [
        (Hostile("anonymous", "GET", "/calendar/a%00b.ics"), 404, NOT_FOUND),
        (Hostile("member", "POST", f"/plans/{paused}/settings/", content_type=form), 200,
         "Resume or restore the plan before changing its pace."),
        (Hostile("member", "POST", f"/plans/{archived}/checkins/2027-03-01/", "", checkin, form),
         302, f"/plans/{archived}/checkins/2027-03-01/"),
        (Hostile("member", "POST", f"/plans/{active}/checkins/", "", focus, form), 200,
         "Pick items that are still open on your plan."),
        (Hostile("member", "GET", f"/plans/{active}/checkins/history/", f"page={2**63}"), 404,
         NOT_FOUND),
        (Hostile("member", "POST", f"/plans/{active}/items/{2**63}/state/", "", b"state=done",
                 form), 400, "That item is not on this plan"),
        (Hostile("member", "GET", f"/plans/{10**30}/"), 404, NOT_FOUND),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(7))
def test_each_finding_is_answered_as_it_should_be(world, index):
    hostile, status, text = findings(world)[index]
    response = send(world, hostile)
    assert response.status_code == status, hostile
    assert text in response.content.decode() + response.get("Location", ""), hostile


# --- Random hostile requests ------------------------------------------------------------------


@st.composite
def hostile_requests(draw, world: World) -> Hostile:
    route = draw(st.sampled_from(ROUTES))
    path = fill(world, route, lambda values: draw(st.sampled_from(values)))
    if draw(st.booleans()):
        path += draw(st.sampled_from(["", "x", "%00", "%ff%fe/", "/../", "//"]))
    fields = draw(
        st.lists(
            st.tuples(
                st.sampled_from(FIELDS),
                st.one_of(st.sampled_from(VALUES), st.text(max_size=40)),
            ),
            max_size=8,
        )
    )
    kind = draw(st.sampled_from(BODY_KINDS))
    body, content_type = body_of(kind, fields)
    query = draw(st.one_of(st.sampled_from(QUERIES), st.just(form_body(fields).decode())))
    return Hostile(
        who=draw(st.sampled_from(WHO)),
        method=draw(st.sampled_from(METHODS)),
        path=path,
        query=query,
        body=body,
        content_type=content_type,
        htmx=draw(st.booleans()),
    )


@settings(
    derandomize=True,
    database=None,
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # each failure is shown as sent, not shrunk
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # `world` is built once; each request rolls back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_random_hostile_requests_get_no_server_error(world, data):
    hostile = data.draw(hostile_requests(world), label="request")
    response = send(world, hostile)
    assert 100 <= response.status_code < 500, hostile


def test_every_url_pattern_is_fuzzed():
    labels = {route.label for route in ROUTES}
    # A sample of what the walk must find: ours, allauth's (regex ones too), none of the admin's.
    assert "plans/<plan_id>/items/<item_id>/state/" in labels
    assert "calendar/<token>.ics" in labels
    assert "accounts/login/" in labels
    assert "accounts/password/reset/key/<uidb36>-<key>/" in labels
    assert not any(label.startswith("admin/") for label in labels)
