"""The catalog's schema, checked in full before the loader writes anything.

Plain Python, no database: `validate(data)` walks the whole catalog, collects every problem
with the JSON path of the value (``transitions[3].phases[1].weeks``) and the slug of the role,
transition or glossary term it belongs to, and raises CatalogError listing them all.

The choices below mirror the models' choices and field sizes; a test keeps them in step.

`status` (roles, transitions) and `archived` (phases, roadmap items) may be left out: a file
written by hand publishes everything and archives nothing. `export_catalog` always writes
`status`, and `archived` only when it is true.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

STATUSES = ("draft", "published")
ROLE_KINDS = ("ai_role", "background")
CURRENCIES = ("USD", "GBP", "EUR")
BASES = ("total_compensation", "base", "cash", "not_stated")
DIFFICULTIES = ("easier", "moderate", "challenging")
PRIORITIES = ("critical", "important", "nice_to_have")
RESOURCE_TYPES = (
    "course",
    "book",
    "docs",
    "community",
    "dataset",
    "event",
    "programme",
    "platform",
    "job_board",
    "other",
)
HORIZONS = ("week", "month", "quarter")
SKILL_AREAS = (
    "programming",
    "math",
    "ml",
    "data",
    "research",
    "infrastructure",
    "product",
    "policy",
)
EFFORT_HOURS_MAX = 2000  # RoadmapItem.effort_hours
REALITY_SECTIONS = ("love", "miss", "challenges")

SMALLINT_MAX = 32767  # (Positive)SmallIntegerField
INT_MAX = 2147483647  # PositiveIntegerField
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
URL = re.compile(r"https?://\S+\Z")
SHOWN = 40  # characters of a bad string quoted in a message


class Problem(str):
    """One problem's message; `path` is the JSON path of the value it is about."""

    path: str = ""

    def __new__(cls, message: str, path: str = "") -> Problem:
        problem = super().__new__(cls, message)
        problem.path = path
        return problem


class CatalogError(ValueError):
    """The catalog file does not have the expected shape. `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:
            message = problems[0]
        else:
            message = f"{len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(message)


class JSONObject(dict):
    """A JSON object that remembers the keys its text gave more than once."""

    repeated: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, Any]]) -> JSONObject:
    """`object_pairs_hook` for json.load: plain json keeps the last of a repeated key silently."""
    obj = JSONObject(pairs)
    obj.repeated = tuple(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)
    return obj


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def describe(value: Any) -> str:
    """A bad value as a message shows it: `the string "12"`, `the number 1.5`, `null`."""
    if isinstance(value, str):
        shown = value if len(value) <= SHOWN else value[: SHOWN - 3] + "..."
        return f"the string {quote(shown)}"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a Python {type(value).__name__}"


@dataclass(frozen=True)
class At:
    """Where a value sits: its JSON path, and the role/transition/term it belongs to."""

    problems: list[str]
    path: str = ""
    owner: str = ""

    def __str__(self) -> str:
        where = self.path or "catalog"
        return f"{where} ({self.owner})" if self.owner else where

    def key(self, name: str) -> At:
        return At(self.problems, f"{self.path}.{name}" if self.path else name, self.owner)

    def index(self, number: int) -> At:
        return At(self.problems, f"{self.path}[{number}]", self.owner)

    def owned_by(self, kind: str, slug: str) -> At:
        return At(self.problems, self.path, f"{kind} {quote(slug)}")

    def fail(self, message: str) -> bool:
        self.problems.append(Problem(f"{self}: {message}", self.path))
        return False


# --- value specs ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One kind of value. `check` records problems at `at` and says whether the value is good."""

    null: bool = False
    what: ClassVar[str]

    def accepts(self, value: Any) -> bool:
        raise NotImplementedError

    def check(self, value: Any, at: At) -> bool:
        if value is None and self.null:
            return True
        if not self.accepts(value):
            return at.fail(
                f"expected {self.what}{' or null' if self.null else ''}, got {describe(value)}"
            )
        return self.check_value(value, at)

    def check_value(self, value: Any, at: At) -> bool:
        return True


@dataclass(frozen=True)
class Text(Spec):
    max_length: int | None = None
    blank: bool = True
    what: ClassVar[str] = "a string"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def check_value(self, value: str, at: At) -> bool:
        if not (self.blank or value.strip()):
            return at.fail("must not be empty")
        if self.max_length is not None and len(value) > self.max_length:
            return at.fail(f"is {len(value)} characters long; the most is {self.max_length}")
        return True


@dataclass(frozen=True)
class Slug(Text):
    def check_value(self, value: str, at: At) -> bool:
        if not SLUG.match(value):
            return at.fail(
                f"{describe(value)} is not a slug (letters, digits, hyphens and underscores)"
            )
        return super().check_value(value, at)


@dataclass(frozen=True)
class Url(Text):
    def check_value(self, value: str, at: At) -> bool:
        if value and not URL.match(value):
            return at.fail(f"expected an http:// or https:// address, got {describe(value)}")
        return super().check_value(value, at)


@dataclass(frozen=True)
class Int(Spec):
    minimum: int = 0
    maximum: int = SMALLINT_MAX
    what: ClassVar[str] = "a whole number"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def check_value(self, value: int, at: At) -> bool:
        if value < self.minimum:
            return at.fail(f"must be at least {self.minimum}, got {value}")
        if value > self.maximum:
            return at.fail(f"must be at most {self.maximum}, got {value}")
        return True


@dataclass(frozen=True)
class Bool(Spec):
    what: ClassVar[str] = "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Choice(Spec):
    values: tuple[str, ...]

    @property
    def what(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(map(quote, self.values))

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    what: ClassVar[str] = "a list"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def check_value(self, value: list, at: At) -> bool:
        good = [self.item.check(item, at.index(n)) for n, item in enumerate(value)]
        return all(good)


@dataclass(frozen=True)
class Obj(Spec):
    """An object with exactly these keys (`optional` ones may be left out).

    `owner` names what the object is ("role"): problems inside it then name its slug.
    `rule` checks the object as a whole once every value in it is good; what it finds does
    not make the object's shape bad, so the checks across the catalog still run.
    """

    fields: dict[str, Spec]
    optional: frozenset[str] = frozenset()
    owner: str = ""
    rule: Callable[[dict[str, Any], At], None] | None = None
    what: ClassVar[str] = "an object"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def check_value(self, value: dict, at: At) -> bool:
        fields = self.fields
        if self.owner and isinstance(value.get("slug"), str):
            at = at.owned_by(self.owner, value["slug"])
        good = True
        for key in getattr(value, "repeated", ()):
            good = at.fail(f"the key {quote(key)} is given more than once")
        for key in fields:
            if key not in value and key not in self.optional:
                good = at.fail(f"missing the key {quote(key)}")
        for key in value:
            if key not in fields:
                close = difflib.get_close_matches(key, fields)
                hint = f" (did you mean {quote(close[0])}?)" if close else ""
                good = at.fail(f"unknown key {quote(key)}{hint}")
        for key, spec in fields.items():
            if key in value:
                good = spec.check(value[key], at.key(key)) and good
        if good and self.rule is not None:
            self.rule(value, at)
        return good


# --- rules across the values of one object -------------------------------------------------


def not_below(data: dict[str, Any], at: At, low: str, high: str) -> None:
    """`high` must not be below `low` when both are given."""
    if data[low] is not None and data[high] is not None and data[high] < data[low]:
        at.key(high).fail(f"must not be below {low} ({data[low]}), got {data[high]}")


def band_rule(band: dict[str, Any], at: At) -> None:
    if band["open_ended"] and band["high"] is None:
        at.key("high").fail("must be a number when open_ended is true")
    not_below(band, at, "low", "high")


def transition_rule(data: dict[str, Any], at: At) -> None:
    not_below(data, at, "timeline_min_months", "timeline_max_months")
    not_below(data, at, "salary_change_min_pct", "salary_change_max_pct")


# --- the catalog ---------------------------------------------------------------------------

NAME = Text(120, blank=False)
LINE = Text(blank=False)  # an entry in a list of strings
FAQS = ListOf(Obj({"question": Text(300, blank=False), "answer": Text(blank=False)}))
SKILL_SLUG = Slug(80)
SKILL_SLUGS = ListOf(SKILL_SLUG)  # references to the top-level `skills`
ITEM_FIELDS = {
    "key": Slug(80),
    "title": Text(300, blank=False),
    "resource_type": Choice(RESOURCE_TYPES),
    "url": Url(500),
    "effort_hours": Int(minimum=1, maximum=EFFORT_HOURS_MAX),
    "skills": SKILL_SLUGS,
    "depends_on": ListOf(Slug(80)),  # keys of items of the same transition
    "archived": Bool(),
}
ITEM_OPTIONAL = frozenset({"url", "effort_hours", "skills", "depends_on", "archived"})
TASK = Obj(ITEM_FIELDS, optional=ITEM_OPTIONAL | {"resource_type"})
RESOURCE = Obj(ITEM_FIELDS, optional=ITEM_OPTIONAL)
SKILL = Obj(
    owner="skill",
    fields={
        "slug": Slug(80),
        "name": NAME,
        "area": Choice(SKILL_AREAS),
        "description": Text(300),
        "typical_weeks": Int(minimum=1),
    },
)

SOURCE_SLUG = Slug(80)  # a reference to the top-level `sources`
SOURCE = Obj(
    owner="source",
    fields={
        "slug": Slug(80),
        "name": NAME,
        "title": Text(200),
        "year": Int(null=True, minimum=1900, maximum=2100),
        "url": Url(500),
    },
)

SALARY_BAND = Obj(
    fields={
        "market": NAME,
        "currency": Choice(CURRENCIES),
        "low": Int(null=True, maximum=INT_MAX),
        "high": Int(null=True, maximum=INT_MAX),
        "open_ended": Bool(),
        "basis": Choice(BASES),
        "year": Int(null=True, minimum=1900, maximum=2100),
        "note": Text(300),
        "source": Slug(80, null=True),  # null: a Waypoint editorial estimate
    },
    rule=band_rule,
)
ROLE = Obj(
    owner="role",
    fields={
        "slug": Slug(80),
        "name": NAME,
        "kind": Choice(ROLE_KINDS),
        "status": Choice(STATUSES),
        "summary": Text(300),
        "what_they_do": Text(),
        "required_background": ListOf(LINE),
        "demand": Text(),
        "phd_usually_required": Bool(),
        "focus_areas": ListOf(LINE),
        "skills": SKILL_SLUGS,
        "salary_bands": ListOf(SALARY_BAND),
        "faqs": FAQS,
    },
    optional=frozenset({"status", "skills"}),
)
PHASE = Obj(
    fields={
        "title": Text(160, blank=False),
        "weeks": Int(minimum=1),
        "summary": Text(),
        "archived": Bool(),
        "tasks": ListOf(TASK),
        "resources": ListOf(RESOURCE),
    },
    optional=frozenset({"archived"}),
)
TRANSITION = Obj(
    owner="transition",
    fields={
        "slug": Slug(120),
        "from_role": Slug(80),
        "to_role": Slug(80),
        "title": Text(200, blank=False),
        "status": Choice(STATUSES),
        "difficulty": Choice(DIFFICULTIES),
        "timeline_min_months": Int(minimum=1),
        "timeline_max_months": Int(minimum=1),
        "salary_change_min_pct": Int(null=True, minimum=-SMALLINT_MAX - 1),
        "salary_change_max_pct": Int(null=True, minimum=-SMALLINT_MAX - 1),
        "demand": Text(),
        "overview": Text(),
        "featured": Bool(),
        "source_note": Text(),
        "figures_source": Slug(80, null=True),  # null/left out: a Waypoint editorial estimate
        "sources": ListOf(SOURCE_SLUG),
        "transferable_skills": ListOf(
            Obj(
                {"name": NAME, "skill": SKILL_SLUG, "description": Text()},
                optional=frozenset({"skill"}),
            )
        ),
        "skills_to_learn": ListOf(
            item=Obj(
                fields={
                    "name": NAME,
                    "skill": SKILL_SLUG,
                    "priority": Choice(PRIORITIES),
                    "weeks": Int(minimum=1),
                    "how_to_learn": Text(),
                },
                optional=frozenset({"skill"}),
            )
        ),
        "phases": ListOf(PHASE),
        "reality_check": Obj(dict.fromkeys(REALITY_SECTIONS, ListOf(Text(300, blank=False)))),
        "action_plan": Obj(dict.fromkeys(HORIZONS, ListOf(TASK))),
        "faqs": FAQS,
    },
    optional=frozenset({"status", "figures_source", "sources"}),
    rule=transition_rule,
)
GLOSSARY_TERM = Obj(
    owner="glossary term",
    fields={
        "slug": Slug(80),
        "term": NAME,
        "definition": Text(blank=False),
        "match_words": ListOf(LINE, null=True),
    },
    optional=frozenset({"match_words"}),
)
CATALOG = Obj(
    fields={
        "roles": ListOf(ROLE),
        "skills": ListOf(SKILL),
        "sources": ListOf(SOURCE),
        "glossary": ListOf(GLOSSARY_TERM),
        "faqs": FAQS,
        "transitions": ListOf(TRANSITION),
    },
    optional=frozenset({"skills", "sources"}),
)


# --- rules across the catalog --------------------------------------------------------------


def unique_slugs(
    entries: list[dict[str, Any]], at: At, kind: str, field: str = "slug", what: str = "slug"
) -> None:
    first: dict[str, int] = {}
    for n, entry in enumerate(entries):
        value = entry[field]
        if value in first:
            at.index(n).owned_by(kind, entry["slug"]).key(field).fail(
                f"{at.index(first[value]).path} already has this {what}"
            )
        else:
            first[value] = n


def check_skill_refs(slugs: list[str], at: At, skills: set[str]) -> None:
    """A list of skill slugs: each one a skill of the catalog, and each one once."""
    seen: set[str] = set()
    for n, slug in enumerate(slugs):
        if slug not in skills:
            at.index(n).fail(f"no skill has the slug {quote(slug)}")
        elif slug in seen:
            at.index(n).fail(f"the skill {quote(slug)} is listed more than once")
        seen.add(slug)


def check_skill_ref(entry: dict[str, Any], at: At, skills: set[str]) -> None:
    if entry.get("skill") is not None and entry["skill"] not in skills:
        at.key("skill").fail(f"no skill has the slug {quote(entry['skill'])}")


def check_dependencies(transition: dict[str, Any], at: At) -> None:
    """`depends_on` names items of the same transition, never the item itself, and no chain
    of dependencies comes back to where it started."""
    places = {item["key"]: item_at for item, item_at in item_places(transition, at)}
    graph: dict[str, list[str]] = {}
    for item, item_at in item_places(transition, at):
        key, deps, seen = item["key"], item.get("depends_on", []), set()
        for n, dep in enumerate(deps):
            dep_at = item_at.key("depends_on").index(n)
            if dep == key:
                dep_at.fail(f"the item {quote(key)} cannot depend on itself")
            elif dep not in places:
                dep_at.fail(f"no item of this transition has the key {quote(dep)}")
            elif dep in seen:
                dep_at.fail(f"{quote(dep)} is listed more than once")
            seen.add(dep)
        graph.setdefault(key, [d for d in deps if d in places and d != key])
    for cycle in find_cycles(graph):
        places[cycle[0]].key("depends_on").fail(
            "the dependencies go round in a circle: " + " -> ".join(cycle)
        )


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each circle of dependencies once, as keys from its first item (in the graph's order)
    back to that item: ["a", "b", "a"]."""
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(key: str, path: list[str], on_path: dict[str, int]) -> None:
        on_path[key] = len(path)
        path.append(key)
        for dep in graph.get(key, ()):
            if dep in on_path:
                cycles.append([*path[on_path[dep] :], dep])
            elif dep not in done:
                visit(dep, path, on_path)
        path.pop()
        del on_path[key]
        done.add(key)

    for key in graph:
        if key not in done:
            visit(key, [], {})
    return cycles


def item_places(transition: dict[str, Any], at: At):
    """Every roadmap item of a transition, with where it sits, in the order the loader reads."""
    for p, phase in enumerate(transition["phases"]):
        for section in ("tasks", "resources"):
            for n, item in enumerate(phase[section]):
                yield item, at.key("phases").index(p).key(section).index(n)
    for horizon in HORIZONS:
        for n, item in enumerate(transition["action_plan"][horizon]):
            yield item, at.key("action_plan").key(horizon).index(n)


def check_source_ref(slug: str | None, at: At, sources: set[str]) -> None:
    if slug is not None and slug not in sources:
        at.fail(f"no source has the slug {quote(slug)}")


def check_source_refs(slugs: list[str], at: At, sources: set[str]) -> None:
    """A list of source slugs: each one a source of the catalog, and each one once."""
    seen: set[str] = set()
    for n, slug in enumerate(slugs):
        if slug in seen:
            at.index(n).fail(f"the source {quote(slug)} is listed more than once")
        check_source_ref(slug, at.index(n), sources)
        seen.add(slug)


def check_transition_links(
    transition: dict[str, Any], at: At, kinds: dict[str, str], skills: set[str]
) -> None:
    for end, kind in (("from_role", "background"), ("to_role", "ai_role")):
        slug = transition[end]
        if slug not in kinds:
            at.key(end).fail(f"no role has the slug {quote(slug)}")
        elif kinds[slug] != kind:
            at.key(end).fail(
                f"{quote(slug)} is a role of kind {quote(kinds[slug])}, not {quote(kind)}"
            )
    for section in ("transferable_skills", "skills_to_learn"):
        for n, entry in enumerate(transition[section]):
            check_skill_ref(entry, at.key(section).index(n), skills)
    seen: dict[str, str] = {}
    for item, item_at in item_places(transition, at):
        key = item["key"]
        if key in seen:
            item_at.key("key").fail(f"the item key {quote(key)} is already used at {seen[key]}")
        else:
            seen[key] = item_at.path
        check_skill_refs(item.get("skills", []), item_at.key("skills"), skills)
    check_dependencies(transition, at)


def check_catalog(data: dict[str, Any], at: At) -> None:
    """Rules that span entries: unique slugs, names and keys, transitions between known roles,
    skills that exist, and dependencies within a transition that never go round in a circle."""
    roles, transitions = at.key("roles"), at.key("transitions")
    unique_slugs(data["roles"], roles, "role")
    unique_slugs(data["transitions"], transitions, "transition")
    unique_slugs(data["glossary"], at.key("glossary"), "glossary term")
    catalog_skills = data.get("skills", [])
    unique_slugs(catalog_skills, at.key("skills"), "skill")
    unique_slugs(catalog_skills, at.key("skills"), "skill", "name", "name")
    skills = {skill["slug"] for skill in catalog_skills}
    catalog_sources = data.get("sources", [])
    unique_slugs(catalog_sources, at.key("sources"), "source")
    sources = {source["slug"] for source in catalog_sources}
    for n, role in enumerate(data["roles"]):
        here = roles.index(n).owned_by("role", role["slug"])
        check_skill_refs(role.get("skills", []), here.key("skills"), skills)
        for b, band in enumerate(role["salary_bands"]):
            check_source_ref(
                band["source"], here.key("salary_bands").index(b).key("source"), sources
            )
    kinds = {role["slug"]: role["kind"] for role in data["roles"]}
    pairs: dict[tuple[str, str], int] = {}
    for n, transition in enumerate(data["transitions"]):
        here = transitions.index(n).owned_by("transition", transition["slug"])
        check_transition_links(transition, here, kinds, skills)
        check_source_ref(transition.get("figures_source"), here.key("figures_source"), sources)
        check_source_refs(transition.get("sources", []), here.key("sources"), sources)
        pair = (transition["from_role"], transition["to_role"])
        if pair in pairs:
            here.fail(
                f"{transitions.index(pairs[pair]).path} already goes from {quote(pair[0])} to {quote(pair[1])}"
            )
        else:
            pairs[pair] = n


def validate(data: Any) -> None:
    """Raise CatalogError naming every problem in `data`; return quietly if there is none."""
    problems: list[str] = []
    at = At(problems)
    if CATALOG.check(data, at):
        check_catalog(data, at)
    if problems:
        raise CatalogError(problems)


# --- where a problem sits in the file's text -------------------------------------------------

SPACE = re.compile(r"\s*")
SCALAR = json.JSONDecoder()


def value_lines(text: str) -> dict[str, int]:
    """The line of every value in a valid JSON text, by JSON path ("" is the whole text)."""
    newlines = [n for n, char in enumerate(text) if char == "\n"]
    lines: dict[str, int] = {}

    def skip(pos: int) -> int:
        return SPACE.match(text, pos).end()

    def value(pos: int, path: str) -> int:
        pos = skip(pos)
        lines.setdefault(path, bisect.bisect_left(newlines, pos) + 1)
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            while text[pos] != "}":
                key, pos = json.decoder.scanstring(text, pos + 1)
                pos = value(skip(pos) + 1, f"{path}.{key}" if path else key)
                pos = skip(pos)
                if text[pos] == ",":
                    pos = skip(pos + 1)
            return pos + 1
        if char == "[":
            pos, number = skip(pos + 1), 0
            while text[pos] != "]":
                pos = skip(value(pos, f"{path}[{number}]"))
                number += 1
                if text[pos] == ",":
                    pos = skip(pos + 1)
            return pos + 1
        return SCALAR.raw_decode(text, pos)[1]

    value(0, "")
    return lines


def with_lines(error: CatalogError, text: str) -> CatalogError:
    """The same problems, each starting with the line of the file its value is on."""
    lines = value_lines(text)
    return CatalogError(
        [Problem(f"line {lines.get(p.path, 1)}: {p}", p.path) for p in error.problems]
    )
