import copy
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.catalog.loader import (
    CATALOG_PATH,
    CatalogError,
    LoadReport,
    glossary_match_words,
    load_catalog,
    read_catalog,
)
from careers.models import (
    FAQ,
    GlossaryTerm,
    Phase,
    RealityCheckItem,
    RoadmapItem,
    Role,
    SalaryBand,
    SkillToLearn,
    TransferableSkill,
    Transition,
)
from tests.careers.catalogs import edited, tiny_catalog

SEED_000 = "software-engineer-to-ai-interpretability-researcher"
AI_ROLES = {
    "AI Interpretability Researcher",
    "Machine Learning Engineer",
    "AI Research Scientist",
    "AI Product Manager",
    "AI Ethicist",
    "AI Safety Researcher",
}
BACKGROUNDS = {
    "Software Engineer",
    "Data Scientist",
    "Consultant / Strategy",
    "Academic (non-CS)",
    "Product Manager",
    "Policy",
}


def count_in_file(data):
    items = sum(
        len(p["tasks"]) + len(p["resources"]) for t in data["transitions"] for p in t["phases"]
    )
    actions = sum(len(v) for t in data["transitions"] for v in t["action_plan"].values())
    return {
        "phases": sum(len(t["phases"]) for t in data["transitions"]),
        "items": items + actions,
        "bands": sum(len(r["salary_bands"]) for r in data["roles"]),
    }


@pytest.mark.django_db
def test_it_loads_every_role_and_background():
    load_catalog()
    assert set(Role.objects.ai_roles().values_list("name", flat=True)) == AI_ROLES
    assert set(Role.objects.backgrounds().values_list("name", flat=True)) == BACKGROUNDS
    assert Role.objects.exclude(status="published").count() == 0


@pytest.mark.django_db
def test_it_loads_the_counts_in_the_file():
    data = read_catalog()
    load_catalog()
    expected = count_in_file(data)
    assert Transition.objects.count() == len(data["transitions"]) >= 13
    assert Phase.objects.count() == expected["phases"]
    assert RoadmapItem.objects.count() == expected["items"]
    assert SalaryBand.objects.count() == expected["bands"]
    assert GlossaryTerm.objects.count() == len(data["glossary"]) >= 5


@pytest.mark.django_db
def test_seed_000_transition_is_exact():
    load_catalog()
    t = Transition.objects.get(slug=SEED_000)
    assert (t.from_role.name, t.to_role.name) == (
        "Software Engineer",
        "AI Interpretability Researcher",
    )
    assert t.difficulty == "moderate"
    assert (t.timeline_min_months, t.timeline_max_months) == (9, 15)
    assert (t.salary_change_min_pct, t.salary_change_max_pct) == (40, 70)
    assert "EU AI Act" in t.demand
    assert [p.weeks for p in t.phases.order_by("order")] == [12, 10, 8, 6]
    assert [p.title for p in t.phases.order_by("order")] == [
        "Foundation Building",
        "Hands-On Practice",
        "Specialization & Networking",
        "Portfolio & Job Search",
    ]
    assert t.roadmap_items.filter(kind="task").count() == 16
    assert t.roadmap_items.filter(kind="resource").count() == 15
    for horizon in ("week", "month", "quarter"):
        assert t.roadmap_items.filter(kind="action", horizon=horizon).count() == 3
    assert t.transferable_skills.count() == 5
    skills = {s.name: (s.get_priority_display(), s.weeks) for s in t.skills_to_learn.all()}
    assert skills == {
        "Research Methodology": ("Important", 8),
        "Advanced Visualization": ("Important", 6),
        "Deep Learning Fundamentals": ("Critical", 12),
        "AI Interpretability Methods": ("Critical", 10),
        "Statistical Analysis": ("Nice to have", 4),
        "Academic Writing": ("Nice to have", 4),
    }
    for kind in ("love", "miss", "challenge"):
        assert t.reality_check.filter(kind=kind).count() == 4
    faq = t.faqs.get()
    assert "$130,000" in faq.answer and "$250,000+" in faq.answer
    assert t.roadmap_items.filter(title="Build basic neural networks with PyTorch").exists()
    assert t.roadmap_items.filter(title__contains="Cracking the AI Interview").exists()


@pytest.mark.django_db
def test_seed_004_salary_figures_are_integers_with_currency():
    load_catalog()
    mle = Role.objects.get(name="Machine Learning Engineer")
    big_tech = mle.salary_bands.get(market__startswith="US Big Tech")
    assert (big_tech.currency, big_tech.low, big_tech.high) == ("USD", 180_000, 350_000)
    assert big_tech.basis == "total_compensation" and big_tech.year == 2024
    uk = mle.salary_bands.get(market="UK")
    assert (uk.currency, uk.low, uk.high) == ("GBP", 70_000, 150_000)
    scientist = Role.objects.get(name="AI Research Scientist")
    frontier = scientist.salary_bands.get(market="US frontier AI labs")
    assert (frontier.low, frontier.high, frontier.open_ended) == (200_000, 500_000, True)
    assert scientist.phd_usually_required is True
    amounts = set(SalaryBand.objects.values_list("low", flat=True))
    amounts |= set(SalaryBand.objects.values_list("high", flat=True))
    for figure in (
        120_000,
        200_000,
        60_000,
        110_000,
        100_000,
        180_000,
        170_000,
        280_000,
        160_000,
        250_000,
        90_000,
        220_000,
        80_000,
        140_000,
        40_000,
        150_000,
        400_000,
    ):
        assert figure in amounts, figure


@pytest.mark.django_db
def test_seed_004_definitions_and_faqs_are_loaded():
    load_catalog()
    terms = set(GlossaryTerm.objects.values_list("term", flat=True))
    for term in (
        "Machine Learning (ML)",
        "Large Language Model (LLM)",
        "Fine-tuning",
        "Interpretability (Explainability)",
        "AI Alignment",
    ):
        assert term in terms
    questions = set(FAQ.objects.values_list("question", flat=True))
    for question in (
        "What is the best career path to get into AI?",
        "Do you need a PhD to work in AI?",
        "What does an ML engineer earn?",
        "What is AI safety research?",
        "Can a non-technical person work in AI?",
    ):
        assert question in questions


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    first = load_catalog()
    assert first.changed > 0
    stamps = dict(Transition.objects.values_list("slug", "updated_at"))
    ids = set(RoadmapItem.objects.values_list("id", flat=True))
    second = load_catalog()
    assert second.changed == 0
    assert dict(Transition.objects.values_list("slug", "updated_at")) == stamps
    assert set(RoadmapItem.objects.values_list("id", flat=True)) == ids


@pytest.mark.django_db
def test_it_updates_changed_rows_in_place_and_archives_removed_items():
    load_catalog()
    data = copy.deepcopy(read_catalog())
    seed = next(t for t in data["transitions"] if t["slug"] == SEED_000)
    tasks = seed["phases"][0]["tasks"]
    needed = {key for t in seed["phases"] for i in t["tasks"] for key in i.get("depends_on", [])}
    # A task no other item depends on (removing one that others need is a file error).
    removed = tasks.pop(next(n for n, task in enumerate(tasks) if task["key"] not in needed))
    seed["phases"][0]["tasks"][0]["title"] = "Renamed task"
    item_id = RoadmapItem.objects.get(key=seed["phases"][0]["tasks"][0]["key"]).id

    report = load_catalog(data)

    assert sum(report.removed.values()) == 1
    archived = RoadmapItem.objects.get(key=removed["key"], transition__slug=SEED_000)
    assert archived.is_archived
    renamed = RoadmapItem.objects.get(id=item_id)
    assert renamed.title == "Renamed task" and not renamed.is_archived


@pytest.mark.django_db
def test_it_rejects_a_malformed_catalog_and_writes_nothing():
    data = copy.deepcopy(read_catalog())
    last = data["transitions"][-1]
    last["difficulty"] = "impossible"
    with pytest.raises(CatalogError) as error:
        load_catalog(data)
    assert error.value.problems == [
        f'transitions[{len(data["transitions"]) - 1}].difficulty (transition "{last["slug"]}"): '
        'expected one of "easier", "moderate", "challenging", got the string "impossible"'
    ]
    assert Transition.objects.count() == 0
    assert Role.objects.count() == 0


@pytest.mark.django_db
def test_it_rejects_duplicate_item_keys():
    data = copy.deepcopy(read_catalog())
    phase = data["transitions"][0]["phases"][0]
    phase["tasks"][1]["key"] = phase["tasks"][0]["key"]
    with pytest.raises(CatalogError) as error:
        load_catalog(data)
    # ... and the items that depended on the renamed one now name a key that is gone.
    assert error.value.problems[0] == (
        f'transitions[0].phases[0].tasks[1].key (transition "{SEED_000}"): the item key '
        f'"{phase["tasks"][0]["key"]}" is already used at transitions[0].phases[0].tasks[0]'
    )
    assert all("no item of this transition" in p for p in error.value.problems[1:])
    assert Transition.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_an_up_to_date_catalog(capsys):
    call_command("load_catalog")
    assert "created" in capsys.readouterr().out
    call_command("load_catalog")
    assert capsys.readouterr().out == (
        f"Nothing to change: the database already has {CATALOG_PATH}.\n"
    )


@pytest.mark.django_db
def test_skills_are_ordered_by_priority():
    load_catalog()
    t = Transition.objects.get(slug=SEED_000)
    priorities = list(t.skills_to_learn.values_list("priority", flat=True))
    assert priorities == sorted(priorities)
    assert priorities[0] == SkillToLearn.Priority.CRITICAL


# --- a tiny catalog: exact outcomes ---------------------------------------------------------

CATALOG_MODELS = [
    Role,
    SalaryBand,
    FAQ,
    GlossaryTerm,
    Transition,
    TransferableSkill,
    SkillToLearn,
    RealityCheckItem,
    Phase,
    RoadmapItem,
]
TINY_ROWS = Counter(
    {
        "FAQs": 4,
        "glossary terms": 1,
        "phases": 2,
        "reality check items": 4,
        "roadmap items": 7,
        "roles": 2,
        "salary bands": 2,
        "skills to learn": 3,
        "transferable skills": 2,
        "transitions": 1,
    }
)
TINY = "engineer-to-ml-engineer"


def snapshot():
    """Every catalog row, every field: equal snapshots mean nothing was written."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in CATALOG_MODELS}


def counts():
    return {model._meta.verbose_name_plural: model.objects.count() for model in CATALOG_MODELS}


@pytest.mark.django_db
def test_a_first_load_creates_every_row_and_reports_them():
    report = load_catalog(tiny_catalog())
    assert report.created == TINY_ROWS
    assert (report.updated, report.removed, report.unchanged) == (Counter(), Counter(), Counter())
    assert report.changed == 28
    assert counts() == dict(TINY_ROWS)
    assert report.summary() == (
        "created: 4 FAQs, 1 glossary terms, 2 phases, 4 reality check items, 7 roadmap items, "
        "2 roles, 2 salary bands, 3 skills to learn, 2 transferable skills, 1 transitions"
    )


@pytest.mark.django_db
def test_roles_and_their_bands_are_loaded_as_given():
    load_catalog(tiny_catalog())
    ml, engineer = Role.objects.get(slug="ml-engineer"), Role.objects.get(slug="engineer")
    assert (ml.name, ml.kind, ml.status, ml.order) == ("ML Engineer", "ai_role", "published", 0)
    assert (engineer.kind, engineer.status, engineer.order) == ("background", "published", 1)
    assert ml.summary == "Builds and ships models."
    assert ml.what_they_do == "Trains models and puts them in production."
    assert ml.required_background == ["Python", "Statistics"]
    assert ml.focus_areas == ["Training", "Serving"]
    assert ml.demand == "High."
    assert (ml.phd_usually_required, engineer.phd_usually_required) == (False, True)
    bands = list(ml.salary_bands.order_by("order").values())
    bands = [{("source" if k == "source_id" else k): v for k, v in band.items()} for band in bands]
    assert [{k: v for k, v in band.items() if k not in ("id", "role_id")} for band in bands] == [
        {**tiny_catalog()["roles"][0]["salary_bands"][0], "order": 0},
        {**tiny_catalog()["roles"][0]["salary_bands"][1], "order": 1},
    ]
    assert list(ml.faqs.values_list("question", "answer", "order", "transition")) == [
        ("Is it coding?", "Mostly.", 0, None)
    ]


@pytest.mark.django_db
def test_a_transition_and_its_guide_are_loaded_as_given():
    load_catalog(tiny_catalog())
    t = Transition.objects.get(slug=TINY)
    assert (t.from_role.slug, t.to_role.slug, t.status, t.order) == (
        "engineer",
        "ml-engineer",
        "published",
        0,
    )
    assert (t.title, t.difficulty, t.featured) == (
        "Software Engineer to ML Engineer",
        "moderate",
        True,
    )
    assert (t.timeline_min_months, t.timeline_max_months) == (6, 12)
    assert (t.salary_change_min_pct, t.salary_change_max_pct) == (10, 30)
    assert (t.demand, t.overview, t.source_note) == ("Strong.", "Learn the maths, then build.", "")
    assert list(t.transferable_skills.values_list("name", "description", "order")) == [
        ("Coding", "You write code daily.", 0),
        ("Testing", "You test what you ship.", 1),
    ]
    assert list(t.skills_to_learn.values_list("name", "priority", "weeks", "how_to_learn")) == [
        ("Statistics", 1, 4, "A"),
        ("MLOps", 2, 3, "B"),
        ("Papers", 3, 2, ""),
    ]
    assert list(t.reality_check.order_by("order").values_list("kind", "text", "order")) == [
        ("love", "Research", 0),
        ("love", "Impact", 1),
        ("miss", "Shipping fast", 2),
        ("challenge", "Maths", 3),
    ]
    assert list(t.faqs.values_list("question", "answer", "role")) == [
        ("How long?", "About a year.", None)
    ]
    general = FAQ.objects.filter(role=None, transition=None).order_by("order")
    assert list(general.values_list("question", "order")) == [
        ("Why AI?", 0),
        ("Do I need a PhD?", 1),
    ]


@pytest.mark.django_db
def test_the_roadmap_is_loaded_as_given():
    load_catalog(tiny_catalog())
    t = Transition.objects.get(slug=TINY)
    assert list(t.phases.values_list("order", "title", "weeks", "summary")) == [
        (1, "Foundations", 4, "Learn the basics."),
        (2, "Practice", 6, ""),
    ]
    items = t.roadmap_items.order_by("id").values_list(
        "key", "kind", "phase__order", "horizon", "title", "resource_type", "url", "order"
    )
    assert list(items) == [
        ("learn-stats", "task", 1, "", "Learn statistics", "", "", 0),
        ("learn-torch", "task", 1, "", "Learn PyTorch", "", "", 1),
        (
            "stats-book",
            "resource",
            1,
            "",
            "A statistics book",
            "book",
            "https://example.com/stats",
            0,
        ),
        ("build-model", "task", 2, "", "Build a model", "", "", 0),
        ("enrol", "action", None, "week", "Enrol in a course", "", "", 0),
        ("finish-course", "action", None, "month", "Finish the course", "", "", 0),
        ("publish", "action", None, "quarter", "Publish a project", "", "", 0),
    ]
    assert not t.roadmap_items.filter(is_archived=True).exists()


@pytest.mark.django_db
def test_a_second_load_writes_nothing():
    load_catalog(tiny_catalog())
    before = snapshot()
    report = load_catalog(tiny_catalog())
    assert report.unchanged == TINY_ROWS
    assert (report.created, report.updated, report.removed) == (Counter(), Counter(), Counter())
    assert report.changed == 0
    assert report.summary() == (
        "unchanged: 4 FAQs, 1 glossary terms, 2 phases, 4 reality check items, 7 roadmap items, "
        "2 roles, 2 salary bands, 3 skills to learn, 2 transferable skills, 1 transitions"
    )
    assert snapshot() == before  # updated_at included


def faq(question):
    return FAQ.objects.get(question=question)


@pytest.mark.parametrize(
    "path, value, model, read",
    [
        ("roles[1].name", "Engineer", Role, lambda: Role.objects.get(slug="engineer").name),
        ("roles[1].phd_usually_required", False, Role, lambda: Role.objects.get(slug="engineer").phd_usually_required),
        ("roles[0].focus_areas", ["Serving"], Role, lambda: Role.objects.get(slug="ml-engineer").focus_areas),
        ("roles[0].salary_bands[1].note", "Soon.", SalaryBand, lambda: SalaryBand.objects.get(market="US").note),
        ("roles[0].salary_bands[1].high", 100, SalaryBand, lambda: SalaryBand.objects.get(market="US").high),
        ("faqs[1].answer", "Never.", FAQ, lambda: faq("Do I need a PhD?").answer),
        ("glossary[0].definition", "Big.", GlossaryTerm, lambda: GlossaryTerm.objects.get().definition),
        ("transitions[0].featured", False, Transition, lambda: Transition.objects.get().featured),
        ("transitions[0].transferable_skills[1].description", "New.", TransferableSkill, lambda: TransferableSkill.objects.get(name="Testing").description),
        ("transitions[0].skills_to_learn[2].priority", "critical", SkillToLearn, lambda: SkillToLearn.objects.get(name="Papers").priority),
        ("transitions[0].reality_check.miss[0]", "Meetings", RealityCheckItem, lambda: RealityCheckItem.objects.get(kind="miss").text),
        ("transitions[0].phases[1].weeks", 7, Phase, lambda: Phase.objects.get(order=2).weeks),
        ("transitions[0].action_plan.week[0].title", "Sign up", RoadmapItem, lambda: RoadmapItem.objects.get(key="enrol").title),
        ("transitions[0].phases[0].resources[0].url", "", RoadmapItem, lambda: RoadmapItem.objects.get(key="stats-book").url),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_a_changed_field_updates_exactly_that_row(path, value, model, read):
    load_catalog(tiny_catalog())
    before = snapshot()
    report = load_catalog(edited(path, value))
    name = model._meta.verbose_name_plural
    assert report.updated == Counter({name: 1})
    assert (report.created, report.removed) == (Counter(), Counter())
    assert report.unchanged == TINY_ROWS - Counter({name: 1})
    assert report.summary().splitlines()[0] == f"updated: 1 {name}"
    assert read() == (SkillToLearn.Priority.CRITICAL if value == "critical" else value)
    after = snapshot()
    changed = [m for m in before if before[m] != after[m]]
    assert changed == [model.__name__]
    assert (
        sum(a != b for a, b in zip(before[model.__name__], after[model.__name__], strict=True)) == 1
    )


@pytest.mark.django_db
def test_an_update_stamps_only_the_changed_row():
    load_catalog(tiny_catalog())
    stamps = dict(Role.objects.values_list("slug", "updated_at"))
    load_catalog(edited("roles[1].demand", "Steady."))
    after = dict(Role.objects.values_list("slug", "updated_at"))
    assert after["ml-engineer"] == stamps["ml-engineer"]
    assert after["engineer"] > stamps["engineer"]


@pytest.mark.django_db
def test_children_that_left_the_file_are_removed():
    load_catalog(tiny_catalog())
    data = tiny_catalog()
    role, t = data["roles"][0], data["transitions"][0]
    role["faqs"] = []
    del role["salary_bands"][1]
    del t["transferable_skills"][1]
    del t["skills_to_learn"][2]
    del t["reality_check"]["love"][1]
    t["faqs"] = []
    del data["faqs"][1]

    report = load_catalog(data)

    assert report.removed == Counter(
        {
            "FAQs": 3,
            "salary bands": 1,
            "transferable skills": 1,
            "skills to learn": 1,
            "reality check items": 1,
        }
    )
    # the reality check items after the removed one move up a place
    assert report.updated == Counter({"reality check items": 2})
    assert report.created == Counter()
    assert counts() == {
        **TINY_ROWS,
        "FAQs": 1,
        "salary bands": 1,
        "transferable skills": 1,
        "skills to learn": 2,
        "reality check items": 3,
    }
    assert list(FAQ.objects.values_list("question", flat=True)) == ["Why AI?"]
    assert list(RealityCheckItem.objects.order_by("order").values_list("text", flat=True)) == [
        "Research",
        "Shipping fast",
        "Maths",
    ]
    assert load_catalog(data).changed == 0


@pytest.mark.django_db
def test_general_faqs_leaving_do_not_touch_role_or_transition_faqs():
    load_catalog(tiny_catalog())
    report = load_catalog(edited("faqs", []))
    assert report.removed == Counter({"FAQs": 2})
    assert set(FAQ.objects.values_list("question", flat=True)) == {"Is it coding?", "How long?"}


@pytest.mark.django_db
def test_a_role_losing_its_faqs_leaves_other_faqs_alone():
    load_catalog(tiny_catalog())
    report = load_catalog(edited("roles[0].faqs", []))
    assert report.removed == Counter({"FAQs": 1})
    assert set(FAQ.objects.values_list("question", flat=True)) == {
        "Why AI?",
        "Do I need a PhD?",
        "How long?",
    }


@pytest.mark.django_db
def test_items_that_left_the_file_are_archived_not_deleted():
    load_catalog(tiny_catalog())
    ids = dict(RoadmapItem.objects.values_list("key", "id"))
    data = edited("transitions[0].action_plan.quarter", [])
    del data["transitions"][0]["phases"][0]["tasks"][0]

    report = load_catalog(data)

    assert report.removed == Counter({"roadmap items": 2})
    assert report.updated == Counter({"roadmap items": 1})  # learn-torch moved up
    assert dict(RoadmapItem.objects.values_list("key", "id")) == ids
    archived = RoadmapItem.objects.filter(is_archived=True).values_list("key", flat=True)
    assert sorted(archived) == ["learn-stats", "publish"]
    assert RoadmapItem.objects.get(key="learn-torch").order == 0
    # archived items are not counted again
    again = load_catalog(data)
    assert (again.removed, again.changed) == (Counter(), 0)
    # and they come back when the file names them again
    back = load_catalog(tiny_catalog())
    assert back.updated == Counter({"roadmap items": 3})
    assert not RoadmapItem.objects.filter(is_archived=True).exists()
    assert dict(RoadmapItem.objects.values_list("key", "id")) == ids


@pytest.mark.django_db
def test_items_of_other_transitions_are_not_archived():
    data = tiny_catalog()
    second = copy.deepcopy(data["transitions"][0])
    second.update(slug="ml-engineer-2", from_role="engineer-2")
    data["transitions"].append(second)
    data["roles"].append(dict(data["roles"][1], slug="engineer-2"))
    load_catalog(data)
    del data["transitions"][0]["phases"][0]["tasks"][0]
    report = load_catalog(data)
    assert report.removed == Counter({"roadmap items": 1})
    archived = RoadmapItem.objects.filter(is_archived=True)
    assert list(archived.values_list("transition__slug", "key")) == [(TINY, "learn-stats")]


@pytest.mark.django_db
def test_a_phase_that_left_the_file_is_archived_with_its_items_and_comes_back_with_them():
    load_catalog(tiny_catalog())
    one_phase = tiny_catalog()["transitions"][0]["phases"][:1]
    report = load_catalog(edited("transitions[0].phases", one_phase))
    assert report.removed == Counter({"roadmap items": 1, "phases": 1})
    assert list(Phase.objects.values_list("order", "is_archived")) == [(1, False), (2, True)]
    assert list(Phase.objects.current().values_list("order", flat=True)) == [1]
    assert RoadmapItem.objects.get(key="build-model").is_archived
    assert load_catalog(edited("transitions[0].phases", one_phase)).removed == Counter()
    # Back in the file: the phase and its item return to the roadmap.
    report = load_catalog(tiny_catalog())
    assert list(Phase.objects.current().values_list("order", flat=True)) == [1, 2]
    assert not RoadmapItem.objects.get(key="build-model").is_archived


@pytest.mark.django_db
def test_glossary_terms_get_match_words_from_the_term_unless_given():
    data = tiny_catalog()
    term = data["glossary"][0]
    data["glossary"] += [
        dict(term, slug="ml", term="Machine Learning (ML)", match_words=["ML", "machine learning"]),
        dict(term, slug="rl", term="Reinforcement learning", match_words=None),
        dict(term, slug="ft", term="Fine-tuning (FT)", match_words=[]),
    ]
    load_catalog(data)
    words = dict(GlossaryTerm.objects.values_list("slug", "match_words"))
    assert words == {
        "llm": ["Large Language Model", "LLM"],
        "ml": ["ML", "machine learning"],
        "rl": ["Reinforcement learning"],
        "ft": ["Fine-tuning", "FT"],
    }
    term = GlossaryTerm.objects.get(slug="llm")
    assert (term.term, term.definition) == ("Large Language Model (LLM)", "A big model.")


@pytest.mark.parametrize(
    "term, words",
    [
        ("Large Language Model (LLM)", ["Large Language Model", "LLM"]),
        ("Fine-tuning", ["Fine-tuning"]),
        ("  Model ( ML )  ", ["Model", "ML"]),
        ("Interpretability (Explainability)", ["Interpretability", "Explainability"]),
        ("(LLM)", ["LLM"]),
        ("Model ()", ["Model"]),
        ("A (B) (C)", ["A", "B) (C"]),
        ("Model (ML) extra", ["Model (ML) extra"]),
        ("", []),
    ],
)
def test_glossary_match_words_splits_a_term_and_its_abbreviation(term, words):
    assert glossary_match_words(term) == words


def test_the_load_report_summary_is_exact():
    assert LoadReport().summary() == "nothing to load"
    report = LoadReport()
    report.record(Role, "unchanged")
    report.record(Role, "created")
    report.record(FAQ, "removed")
    report.record(SalaryBand, "created")
    report.record(SalaryBand, "created")
    report.record(Transition, "updated")
    assert report.summary() == (
        "created: 1 roles, 2 salary bands\n"
        "updated: 1 transitions\n"
        "removed: 1 FAQs\n"
        "unchanged: 1 roles"
    )
    assert report.changed == 5


# --- a failed load writes nothing --------------------------------------------------------------


@pytest.mark.django_db
def test_a_problem_late_in_the_file_stops_the_early_writes_too():
    load_catalog(tiny_catalog())
    before = snapshot()
    data = edited("roles[0].name", "Renamed")  # would be written first
    data["roles"].append(dict(data["roles"][1], slug="new-role"))  # would be created
    edited("transitions[0].action_plan.quarter[0].key", "enrol", data)  # the very last item
    with pytest.raises(CatalogError) as error:
        load_catalog(data)
    assert error.value.problems == [
        f'transitions[0].action_plan.quarter[0].key (transition "{TINY}"): the item key "enrol" '
        "is already used at transitions[0].action_plan.week[0]"
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_bad_first_load_creates_nothing():
    with pytest.raises(CatalogError):
        load_catalog(edited("transitions[0].featured", "false"))
    assert set(counts().values()) == {0}


def write(tmp_path, data):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def write_lines(tmp_path, data):
    """The catalog as export_catalog lays it out: one value a line."""
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_and_writes_nothing(tmp_path):
    load_catalog(tiny_catalog())
    before = snapshot()
    data = edited("roles[1].phd_usually_required", "false")
    edited("transitions[0].phases[1].weeks", "6", data)
    path = write_lines(tmp_path, data)
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", path, "--apply")
    assert str(error.value) == (
        f"Could not load {path}: 2 problems:\n"
        '  - line 58: roles[1].phd_usually_required (role "engineer"): expected true or false, '
        'got the string "false"\n'
        f'  - line 152: transitions[0].phases[1].weeks (transition "{TINY}"): expected a whole '
        'number, got the string "6"'
    )
    text = path.read_text().splitlines()
    assert text[57].strip() == '"phd_usually_required": "false",'
    assert text[151].strip() == '"weeks": "6",'
    assert snapshot() == before


@pytest.mark.django_db
def test_the_command_reports_invalid_json_and_a_missing_file(tmp_path):
    path = write(tmp_path, '{"roles": [}')
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", path)
    assert str(error.value) == (
        f"Could not load {path}: invalid JSON at line 1, column 12: Expecting value"
    )
    missing = tmp_path / "missing.json"
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", missing)
    assert str(error.value) == (
        f"Could not load {missing}: [Errno 2] No such file or directory: '{missing}'"
    )


@pytest.mark.django_db
def test_the_command_turns_a_database_clash_into_an_error_and_writes_nothing(tmp_path):
    load_catalog(tiny_catalog())
    before = snapshot()
    renamed = edited("roles[1].name", "Engineer")
    edited("transitions[0].slug", "renamed", renamed)  # the old row still holds the pair
    path = write(tmp_path, renamed)
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", path, "--apply")
    assert str(error.value).startswith(
        f"Could not load {path}: it clashes with rows already in the database ("
    )
    assert str(error.value).endswith("); nothing was written.")
    assert snapshot() == before


@pytest.mark.django_db
def test_the_command_prints_what_it_did(tmp_path, capsys):
    path = write(tmp_path, tiny_catalog())
    call_command("load_catalog", path)  # an empty catalog: loaded at once, rows not listed
    assert capsys.readouterr().out == "Loaded 28 created, 0 updated, 0 removed.\n"
    call_command("load_catalog", write(tmp_path, edited("faqs", [])), "--apply", verbosity=2)
    assert capsys.readouterr().out == (
        "- FAQ faqs/0: removed (not in the file)\n"
        "- FAQ faqs/1: removed (not in the file)\n"
        "removed: 2 FAQs\n"
        "unchanged: 2 FAQs, 1 glossary terms, 2 phases, 4 reality check items, "
        "7 roadmap items, 2 roles, 2 salary bands, 3 skills to learn, 2 transferable skills, "
        "1 transitions\n"
        "Loaded 0 created, 0 updated, 2 removed.\n"
    )


def test_manage_py_prints_the_problem_without_a_traceback(tmp_path):
    path = write(tmp_path, edited("transitions[0].phases[1].weeks", "12"))
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "load_catalog", str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "x", "STATIC_MANIFEST": "0"},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: Could not load {path}: line 1: transitions[0].phases[1].weeks "
        f'(transition "{TINY}"): expected a whole number, got the string "12"\n'
    )
    assert result.stdout == ""


@pytest.mark.django_db
def test_an_update_writes_only_the_changed_columns():
    load_catalog(tiny_catalog())
    with CaptureQueriesContext(connection) as queries:
        load_catalog(edited("roles[1].demand", "Steady."))
    sql = [q["sql"] for q in queries.captured_queries]
    updates = [q for q in sql if q.startswith('UPDATE "careers_role"')]
    assert len(updates) == 1
    columns = re.findall(r'"(\w+)" = ', updates[0].split(" WHERE ")[0])
    assert columns == ["demand", "updated_at"]
