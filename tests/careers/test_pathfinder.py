"""The path finder's scoring (careers/pathfinder.py): pure, so no database here."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from careers.pathfinder import (
    Answers,
    BackgroundFact,
    Catalog,
    RoleFact,
    RouteFact,
    SkillFact,
    rank,
    score_role,
    sort_key,
    weeks_at,
)

SKILLS = {
    "python": SkillFact("python", "Python", "programming", 4),
    "stats": SkillFact("stats", "Statistics", "math", 6),
    "dl": SkillFact("dl", "Deep learning", "ml", 8),
    "research-methods": SkillFact("research-methods", "Research methods", "research", 8),
    "product-sense": SkillFact("product-sense", "Product sense", "product", 4),
    "communication": SkillFact("communication", "Communication", "product", 3),
}
BACKGROUNDS = (
    BackgroundFact("software-engineer", "Software Engineer", 1, frozenset({"python"})),
    BackgroundFact("product-manager", "Product Manager", 2, frozenset({"product-sense"})),
)


def route(slug, from_slug, difficulty, **kwargs):
    names = {b.slug: b.name for b in BACKGROUNDS}
    kwargs.setdefault("min_months", 9)
    kwargs.setdefault("max_months", 15)
    return RouteFact(
        slug=slug,
        title=f"{names[from_slug]} to {slug}",
        from_slug=from_slug,
        from_name=names[from_slug],
        difficulty=difficulty,
        difficulty_label=difficulty.capitalize(),
        **kwargs,
    )


ML_ENGINEER = RoleFact(
    slug="ml-engineer",
    name="ML Engineer",
    order=1,
    skills=("python", "stats", "dl"),
    demand="High.",
    pay={"US Big Tech": "$150,000 – $250,000"},
    routes=(
        route(
            "swe-to-mle",
            "software-engineer",
            "moderate",
            learn_weeks={"dl": 10},
            this_week=("Set up a PyTorch environment",),
        ),
    ),
)
RESEARCH_SCIENTIST = RoleFact(
    slug="research-scientist",
    name="Research Scientist",
    order=2,
    skills=("python", "stats", "dl", "research-methods"),
    phd_usually_required=True,
    routes=(route("swe-to-rs", "software-engineer", "challenging"),),
)
AI_PM = RoleFact(
    slug="ai-pm",
    name="AI Product Manager",
    order=3,
    skills=("product-sense", "python", "communication"),
    routes=(route("pm-to-aipm", "product-manager", "easier"),),
)
CATALOG = Catalog(
    roles=(AI_PM, RESEARCH_SCIENTIST, ML_ENGINEER), skills=SKILLS, backgrounds=BACKGROUNDS
)
ANSWERS = Answers(
    background="software-engineer",
    skills=frozenset({"python"}),
    enjoy=frozenset({"building"}),
    hours=5,
    months=12,
    phd_ok=False,
    market="US Big Tech",
)


def test_it_ranks_the_known_example():
    fits = rank(ANSWERS, CATALOG)
    assert [(f.role.slug, f.score) for f in fits] == [
        ("ml-engineer", 59),  # 55/3 skills + 20 time + 15 interest + 6 moderate
        ("ai-pm", 55),  # 55/3 + 20 + 15 + 2 (no guide from software engineering)
        ("research-scientist", 27),  # 55/4 + 20 + 15 + 3 challenging - 25 PhD
    ]


def test_it_explains_the_top_role_in_plain_words():
    fit = score_role(ML_ENGINEER, ANSWERS, CATALOG)
    assert fit.reasons == (
        "You already have 1 of its 3 skills: Python.",
        "Still to learn: Deep learning (10 weeks) and Statistics (6 weeks).",
        "About 16 weeks of learning at 10 hours a week: 32 weeks at your 5 hours a week, "
        "which fits in your 12 months.",
        "It involves what you enjoy: building and shipping.",
        "Pay in US Big Tech: $150,000 – $250,000.",
        "Difficulty from your background: moderate.",
        "Demand: High.",
    )
    assert fit.start.slug == "swe-to-mle"
    assert not fit.start_is_closest
    assert fit.start.this_week == ("Set up a PyTorch environment",)


def test_it_says_when_the_learning_overruns_your_months():
    fit = score_role(ML_ENGINEER, replace(ANSWERS, hours=1, months=3), CATALOG)
    assert fit.your_weeks == 160
    assert not fit.fits
    assert (
        "About 16 weeks of learning at 10 hours a week: 160 weeks at your 1 hour a week, "
        "longer than your 3 months (13 weeks)."
    ) in fit.reasons
    assert fit.score == 18 + 2 + 15 + 6  # time: 20 * 13/160


def test_it_lowers_a_phd_role_and_says_so_when_a_phd_is_not_acceptable():
    refused = score_role(RESEARCH_SCIENTIST, ANSWERS, CATALOG)
    accepted = score_role(RESEARCH_SCIENTIST, replace(ANSWERS, phd_ok=True), CATALOG)
    assert accepted.score - refused.score == 25
    assert "It usually requires a PhD, which you would rather not do (−25 points)." in (
        refused.reasons
    )
    assert "It usually requires a PhD." in accepted.reasons


def test_it_starts_from_the_closest_background_when_yours_has_no_guide():
    fit = score_role(AI_PM, ANSWERS, CATALOG)
    assert fit.route is None
    assert fit.start.slug == "pm-to-aipm"
    assert fit.start_is_closest
    assert "We have no guide from your background to this role yet." in fit.reasons


def test_the_closest_background_is_the_one_sharing_most_of_your_skills():
    both = replace(
        AI_PM,
        routes=(
            route("swe-to-aipm", "software-engineer", "moderate"),
            route("pm-to-aipm", "product-manager", "easier"),
        ),
    )
    something_else = replace(ANSWERS, background="", skills=frozenset({"product-sense"}))
    assert score_role(both, something_else, CATALOG).start.slug == "pm-to-aipm"
    python_only = replace(something_else, skills=frozenset({"python"}))
    assert score_role(both, python_only, CATALOG).start.slug == "swe-to-aipm"


def test_it_ranks_by_the_other_answers_when_the_catalog_lists_no_skills():
    bare = Catalog(
        roles=tuple(replace(r, skills=()) for r in CATALOG.roles),
        skills={},
        backgrounds=BACKGROUNDS,
    )
    fits = rank(replace(ANSWERS, skills=frozenset()), bare)
    ml = next(f for f in fits if f.role.slug == "ml-engineer")
    assert ml.score == 28 + 20 + 15 + 6  # half the skill points, 9-month guide fits in 12
    assert "The shortest guide takes 9 months, which fits in your 12 months." in ml.reasons
    assert not any("skills" in reason for reason in ml.reasons)


def test_weeks_at_converts_from_the_reference_pace():
    assert weeks_at(16, 10) == 16
    assert weeks_at(16, 5) == 32
    assert weeks_at(16, 20) == 8
    assert weeks_at(15, 20) == 8  # rounded up
    assert weeks_at(0, 7) == 0


# --- Properties ---------------------------------------------------------------------------

SLUGS = [f"s{i}" for i in range(8)]
AREAS = ["programming", "math", "ml", "data", "research", "infrastructure", "product", "policy"]
BG_SLUGS = ["b0", "b1", "b2"]
DIFFICULTIES = ["easier", "moderate", "challenging"]

skill_facts = st.fixed_dictionaries(
    {
        slug: st.builds(
            SkillFact,
            st.just(slug),
            st.just(slug.upper()),
            st.sampled_from(AREAS),
            st.integers(1, 20),
        )
        for slug in SLUGS
    }
)


@st.composite
def catalogs(draw):
    skills = draw(st.one_of(st.just({}), skill_facts))
    pool = sorted(skills)
    backgrounds = tuple(
        BackgroundFact(
            slug,
            slug.upper(),
            draw(st.integers(0, 2)),
            frozenset(draw(st.lists(st.sampled_from(SLUGS), max_size=4))),
        )
        for slug in BG_SLUGS
    )
    roles = []
    for n in range(draw(st.integers(0, 6))):
        routes = tuple(
            RouteFact(
                slug=f"r{n}-{bg}",
                title=f"{bg} to role {n}",
                from_slug=bg,
                from_name=bg.upper(),
                difficulty=(d := draw(st.sampled_from(DIFFICULTIES))),
                difficulty_label=d,
                min_months=draw(st.integers(1, 24)),
                max_months=30,
                learn_weeks={
                    s: draw(st.integers(1, 20))
                    for s in draw(st.lists(st.sampled_from(SLUGS), max_size=3))
                },
            )
            for bg in draw(st.lists(st.sampled_from(BG_SLUGS), unique=True, max_size=3))
        )
        roles.append(
            RoleFact(
                slug=f"role-{n}",
                name=draw(
                    st.sampled_from(
                        [
                            "Research Engineer",
                            "Data Analyst",
                            "AI Product Lead",
                            "Policy Adviser",
                            "X",
                        ]
                    )
                ),
                order=draw(st.integers(0, 3)),  # ties on purpose: the slug breaks them
                skills=tuple(draw(st.lists(st.sampled_from(pool), unique=True, max_size=5)))
                if pool
                else (),
                phd_usually_required=draw(st.booleans()),
                routes=routes,
            )
        )
    return Catalog(roles=tuple(roles), skills=skills, backgrounds=backgrounds)


answers_strategy = st.builds(
    Answers,
    background=st.sampled_from(["", *BG_SLUGS]),
    skills=st.frozensets(st.sampled_from(SLUGS)),
    enjoy=st.frozensets(st.sampled_from(["research", "building", "data", "product", "policy"])),
    hours=st.integers(1, 60),
    months=st.integers(3, 36),
    phd_ok=st.booleans(),
    market=st.just(""),
)

PROPERTY = settings(derandomize=True, max_examples=300, deadline=None)


@PROPERTY
@given(catalogs(), answers_strategy)
def test_every_score_is_between_0_and_100(catalog, answers):
    assert all(0 <= fit.score <= 100 for fit in rank(answers, catalog))


@PROPERTY
@given(catalogs(), answers_strategy, st.sampled_from(SLUGS))
def test_adding_a_skill_you_have_never_lowers_a_roles_fit(catalog, answers, skill):
    before = {fit.role.slug: fit.score for fit in rank(answers, catalog)}
    more = replace(answers, skills=answers.skills | {skill})
    after = {fit.role.slug: fit.score for fit in rank(more, catalog)}
    assert all(after[slug] >= before[slug] for slug in before)


@PROPERTY
@given(catalogs(), answers_strategy, st.randoms(use_true_random=False))
def test_the_ranking_is_a_total_order_whatever_the_input_order(catalog, answers, random):
    fits = rank(answers, catalog)
    keys = [sort_key(fit) for fit in fits]
    assert all(a < b for a, b in zip(keys, keys[1:], strict=False))  # strictly: no ties left
    roles, backgrounds = list(catalog.roles), list(catalog.backgrounds)
    random.shuffle(roles)
    random.shuffle(backgrounds)
    shuffled = Catalog(
        roles=tuple(
            replace(r, routes=tuple(random.sample(r.routes, len(r.routes)))) for r in roles
        ),
        skills=dict(random.sample(sorted(catalog.skills.items()), len(catalog.skills))),
        backgrounds=tuple(backgrounds),
    )
    again = rank(answers, shuffled)
    assert [(f.role.slug, f.score, f.start and f.start.slug, f.reasons) for f in again] == [
        (f.role.slug, f.score, f.start and f.start.slug, f.reasons) for f in fits
    ]
