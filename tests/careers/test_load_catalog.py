import copy

import pytest
from django.core.management import call_command

from careers.catalog.loader import CatalogError, load_catalog, read_catalog
from careers.models import FAQ, GlossaryTerm, Role, SalaryBand, SkillToLearn, Transition
from roadmaps.models import Phase, RoadmapItem

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
    removed = seed["phases"][0]["tasks"].pop(0)
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
    assert error.value.problems == [
        f'transitions[0].phases[0].tasks[1].key (transition "{SEED_000}"): the item key '
        f'"{phase["tasks"][0]["key"]}" is already used at transitions[0].phases[0].tasks[0]'
    ]
    assert Transition.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_an_up_to_date_catalog(capsys):
    call_command("load_catalog")
    assert "created" in capsys.readouterr().out
    call_command("load_catalog")
    assert "already up to date; 0 created, 0 updated, 0 removed" in capsys.readouterr().out


@pytest.mark.django_db
def test_skills_are_ordered_by_priority():
    load_catalog()
    t = Transition.objects.get(slug=SEED_000)
    priorities = list(t.skills_to_learn.values_list("priority", flat=True))
    assert priorities == sorted(priorities)
    assert priorities[0] == SkillToLearn.Priority.CRITICAL
