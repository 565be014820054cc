"""The path finder ("Which AI role fits me?"): a fit score and plain reasons for every AI role.

Pure: it takes plain dataclasses (built from the catalog by `careers.views.pathfinder_catalog`)
and the visitor's answers, and never touches the database. The page's "How we rank" says the
same as this docstring:

- Skills (up to 55 points): the share of the role's skills you already have. A role whose
  skills the catalog does not list yet gets half marks.
- Time (up to 20 points): the weeks to learn the skills you lack (the guide from your background
  says how many weeks each takes; otherwise the skill's typical weeks), stated at a reference
  pace of REFERENCE_HOURS hours a week and converted to your hours. Full marks if it fits in
  the months you have, less the further it overruns. Without listed skills: the shortest
  guide's timeline instead.
- Interest (up to 15 points): how many of the things you enjoy the role involves (its skills'
  areas, and words in its name, summary and focus areas). Nothing ticked: half marks.
- Ease (up to 10 points): the difficulty of the guide from your background (easier 10,
  moderate 6, challenging 3); no guide from your background yet: 2.
- PhD: a role that usually requires a PhD loses PHD_PENALTY points if you would rather not do
  one.

Ties are broken by the catalog's role order, then the role's slug, so the ranking is a total
order whatever order the roles come in. Adding a skill you have never lowers a role's score:
the score reads your background only through its guide (not through your skills), and the
"closest background" for a start button never changes the score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

# Where the visitor's answers wait (as the form's query parameters) until they sign up or in.
SESSION_KEY = "pathfinder_answers"
REFERENCE_HOURS = 10  # typical_weeks and a guide's weeks assume about this many hours a week
WEEKS_PER_MONTH = 52 / 12
PHD_PENALTY = 25
NO_ROUTE_EASE = 2
EASE_POINTS = {"easier": 10, "moderate": 6, "challenging": 3}
SKILL_POINTS, TIME_POINTS, INTEREST_POINTS, EASE_MAX = 55, 20, 15, 10


@dataclass(frozen=True)
class Interest:
    value: str
    label: str
    areas: frozenset[str]  # SkillArea values
    words: tuple[str, ...]  # lower-case stems looked for in a role's name, summary, focus areas


INTERESTS = (
    Interest(
        "research",
        "Research",
        frozenset({"research", "math"}),
        ("research", "scientist", "interpretab", "alignment", "paper"),
    ),
    Interest(
        "building",
        "Building and shipping",
        frozenset({"programming", "ml", "infrastructure"}),
        ("engineer", "build", "deploy", "production", "mlops", "ship"),
    ),
    Interest(
        "data",
        "Data",
        frozenset({"data", "math"}),
        ("data", "analytic", "statistic", "dataset"),
    ),
    Interest(
        "product",
        "Product and people",
        frozenset({"product"}),
        ("product", "manager", "stakeholder", "customer", "team"),
    ),
    Interest(
        "policy",
        "Policy and ethics",
        frozenset({"policy"}),
        ("policy", "ethic", "governance", "regulat", "safety"),
    ),
)
INTEREST_BY_VALUE = {interest.value: interest for interest in INTERESTS}


# --- What the catalog says (built by the adapter) ------------------------------------------


@dataclass(frozen=True)
class SkillFact:
    slug: str
    name: str
    area: str
    weeks: int  # typical weeks from scratch at REFERENCE_HOURS a week


@dataclass(frozen=True)
class RouteFact:
    """A published transition into a role, with what the path finder needs of it."""

    slug: str
    title: str
    from_slug: str
    from_name: str
    difficulty: str  # Transition.Difficulty value
    difficulty_label: str
    min_months: int
    max_months: int
    learn_weeks: Mapping[str, int] = field(default_factory=dict)  # skill slug -> weeks
    this_week: tuple[str, ...] = ()  # titles of its "this week" action items


@dataclass(frozen=True)
class RoleFact:
    slug: str
    name: str
    order: int
    summary: str = ""
    focus_areas: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # skill slugs the role requires
    phd_usually_required: bool = False
    demand: str = ""
    pay: Mapping[str, str] = field(default_factory=dict)  # market -> "$150,000 – $250,000"
    # market -> where that pay comes from: "Levels.fyi, … (2024)", "Waypoint editorial estimate"
    pay_sources: Mapping[str, str] = field(default_factory=dict)
    routes: tuple[RouteFact, ...] = ()


@dataclass(frozen=True)
class BackgroundFact:
    slug: str
    name: str
    order: int
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Catalog:
    roles: tuple[RoleFact, ...]
    skills: Mapping[str, SkillFact]
    backgrounds: tuple[BackgroundFact, ...] = ()

    @property
    def has_skills(self) -> bool:
        return bool(self.skills)


# --- The visitor's answers ------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    background: str = ""  # a background role's slug, or "" for something else
    skills: frozenset[str] = frozenset()
    enjoy: frozenset[str] = frozenset()
    hours: int = 10
    months: int = 12
    phd_ok: bool = True
    market: str = ""  # "" for every market


# --- The result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToLearn:
    name: str
    weeks: int


@dataclass(frozen=True)
class Fit:
    role: RoleFact
    score: int
    have: tuple[str, ...]  # names of your skills that carry over
    to_learn: tuple[ToLearn, ...]
    learn_weeks: int  # at REFERENCE_HOURS a week
    your_weeks: int | None  # at your hours; None when the role lists no skills
    available_weeks: int
    fits: bool | None  # None when we cannot tell
    pay: str  # the band in your market, or "" if none
    route: RouteFact | None  # your background's guide into the role, if any
    start: RouteFact | None  # the guide the "Start this plan" button starts
    start_is_closest: bool  # start comes from the closest background, not yours
    interests: tuple[str, ...]  # labels of the things you enjoy that the role involves
    reasons: tuple[str, ...]


def weeks_at(reference_weeks: int, hours: int) -> int:
    """Weeks at `hours` a week for work stated at REFERENCE_HOURS a week (rounded up)."""
    if reference_weeks <= 0:
        return 0
    return math.ceil(reference_weeks * REFERENCE_HOURS / max(hours, 1))


def role_interests(role: RoleFact, skills: Mapping[str, SkillFact]) -> frozenset[str]:
    """The interests (values) a role involves: its skills' areas and words in its texts."""
    areas = {skills[slug].area for slug in role.skills if slug in skills}
    text = " ".join((role.name, role.summary, *role.focus_areas)).lower()
    return frozenset(
        interest.value
        for interest in INTERESTS
        if interest.areas & areas or any(word in text for word in interest.words)
    )


def closest_route(role: RoleFact, answers: Answers, catalog: Catalog) -> RouteFact | None:
    """The route from the background sharing most of your skills (ties: catalog order, slug)."""
    if not role.routes:
        return None
    backgrounds = {b.slug: b for b in catalog.backgrounds}

    def key(route: RouteFact):
        background = backgrounds.get(route.from_slug)
        shared = len(background.skills & answers.skills) if background else 0
        order = background.order if background else 0
        return (-shared, order, route.from_slug, route.slug)

    return min(role.routes, key=key)


def score_role(role: RoleFact, answers: Answers, catalog: Catalog) -> Fit:
    skills = catalog.skills
    listed = [skills[slug] for slug in role.skills if slug in skills]
    listed.sort(key=lambda s: (s.name, s.slug))
    route = next((r for r in role.routes if r.from_slug == answers.background), None)
    have = [s for s in listed if s.slug in answers.skills]
    missing = [s for s in listed if s.slug not in answers.skills]
    learn = [
        ToLearn(s.name, (route.learn_weeks.get(s.slug) if route else None) or s.weeks)
        for s in missing
    ]
    learn_weeks = sum(item.weeks for item in learn)
    available = math.floor(answers.months * WEEKS_PER_MONTH)

    # Skills and time.
    if listed:
        skill_points = SKILL_POINTS * len(have) / len(listed)
        your_weeks = weeks_at(learn_weeks, answers.hours)
        fits = your_weeks <= available
        time_points = TIME_POINTS if fits else TIME_POINTS * available / your_weeks
    else:
        skill_points = SKILL_POINTS / 2
        your_weeks = None
        timelines = [r.min_months for r in ([route] if route else role.routes)]
        if timelines:
            shortest = min(timelines)
            fits = shortest <= answers.months
            time_points = TIME_POINTS if fits else TIME_POINTS * answers.months / shortest
        else:
            fits = None
            time_points = TIME_POINTS / 2

    # Interest and ease.
    involved = role_interests(role, skills)
    if answers.enjoy:
        matched = answers.enjoy & involved
        interest_points = INTEREST_POINTS * len(matched) / len(answers.enjoy)
    else:
        matched = frozenset()
        interest_points = INTEREST_POINTS / 2
    ease_points = EASE_POINTS.get(route.difficulty, NO_ROUTE_EASE) if route else NO_ROUTE_EASE

    total = skill_points + time_points + interest_points + ease_points
    phd_penalised = role.phd_usually_required and not answers.phd_ok
    if phd_penalised:
        total -= PHD_PENALTY
    score = max(0, min(100, math.floor(total + 0.5)))  # halves round up

    start = route or closest_route(role, answers, catalog)
    interest_labels = tuple(i.label for i in INTERESTS if i.value in matched)
    pay = role.pay.get(answers.market, "") if answers.market else ""
    fit = Fit(
        role=role,
        score=score,
        have=tuple(s.name for s in have),
        to_learn=tuple(learn),
        learn_weeks=learn_weeks,
        your_weeks=your_weeks,
        available_weeks=available,
        fits=fits,
        pay=pay,
        route=route,
        start=start,
        start_is_closest=start is not None and route is None,
        interests=interest_labels,
        reasons=(),
    )
    return _with_reasons(fit, answers, catalog, phd_penalised, listed)


def _names(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _weeks(n: int) -> str:
    return f"{n} week{'' if n == 1 else 's'}"


def _months(n: int) -> str:
    return f"{n} month{'' if n == 1 else 's'}"


def _hours(n: int) -> str:
    return f"{n} hour{'' if n == 1 else 's'}"


def _with_reasons(fit: Fit, answers: Answers, catalog: Catalog, phd_penalised, listed) -> Fit:
    role, reasons = fit.role, []
    if listed:
        if fit.have:
            reasons.append(
                f"You already have {len(fit.have)} of its {len(listed)} skills: {_names(fit.have)}."
            )
        else:
            reasons.append(f"You have none of its {len(listed)} skills yet.")
        if fit.to_learn:
            items = _names(f"{item.name} ({_weeks(item.weeks)})" for item in fit.to_learn)
            reasons.append(f"Still to learn: {items}.")
            pace = (
                f"About {_weeks(fit.learn_weeks)} of learning at {REFERENCE_HOURS} hours a "
                f"week: {_weeks(fit.your_weeks)} at your {_hours(answers.hours)} a week"
            )
            if fit.fits:
                reasons.append(f"{pace}, which fits in your {answers.months} months.")
            else:
                reasons.append(
                    f"{pace}, longer than your {answers.months} months "
                    f"({_weeks(fit.available_weeks)})."
                )
        else:
            reasons.append("Nothing left to learn on its skills list.")
    elif catalog.has_skills:
        reasons.append("The catalog does not list this role's skills yet.")
    if not listed:
        routes = [fit.route] if fit.route else list(role.routes)
        if routes:
            shortest = min(r.min_months for r in routes)
            verdict = "fits in" if fit.fits else "is longer than"
            reasons.append(
                f"The shortest guide takes {_months(shortest)}, which {verdict} "
                f"your {answers.months} months."
            )
    if answers.enjoy:
        if fit.interests:
            reasons.append(f"It involves what you enjoy: {_names(fit.interests).lower()}.")
        else:
            reasons.append("It involves little of what you said you enjoy.")
    if answers.market:
        if fit.pay:
            source = role.pay_sources.get(answers.market)
            reasons.append(
                f"Pay in {answers.market}: {fit.pay}." + (f" Source: {source}." if source else "")
            )
        else:
            reasons.append(f"We have no pay figures for {answers.market}.")
    if fit.route:
        reasons.append(f"Difficulty from your background: {fit.route.difficulty_label.lower()}.")
    else:
        reasons.append("We have no guide from your background to this role yet.")
    if role.demand:
        reasons.append(f"Demand: {role.demand}")
    if role.phd_usually_required:
        if phd_penalised:
            reasons.append(
                f"It usually requires a PhD, which you would rather not do (−{PHD_PENALTY} points)."
            )
        else:
            reasons.append("It usually requires a PhD.")
    return replace(fit, reasons=tuple(reasons))


def sort_key(fit: Fit) -> tuple:
    return (-fit.score, fit.role.order, fit.role.slug)


def rank(answers: Answers, catalog: Catalog) -> list[Fit]:
    """Every role's fit, best first; ties by catalog order, then slug."""
    return sorted((score_role(role, answers, catalog) for role in catalog.roles), key=sort_key)
