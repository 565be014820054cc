"""Skills, effort hours and dependencies as catalog data: the file's schema, the loader and
exporter, the admin, and the publish checks."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from careers.catalog.exporter import dump, export_catalog
from careers.catalog.loader import CATALOG_PATH, load_catalog, read_catalog, read_checked_catalog
from careers.catalog.schema import CatalogError, validate
from careers.curation import publish_problems
from careers.models import RoadmapItem, Role, Skill, SkillToLearn, Status, Transition
from tests.admin_forms import change_form_data, errors_next_to
from tests.careers.catalogs import tiny_catalog
from tests.careers.test_load_catalog import CATALOG_MODELS
from tests.factories import make_transition

T = 'transition "engineer-to-ml-engineer"'


def skilled_catalog() -> dict:
    """The tiny catalog with skills, effort hours and a chain of dependencies."""
    data = tiny_catalog()
    data["skills"] = [
        {
            "slug": "python",
            "name": "Python",
            "area": "programming",
            "description": "Code.",
            "typical_weeks": 6,
        },  # fmt: skip
        {
            "slug": "stats",
            "name": "Statistics",
            "area": "math",
            "description": "",
            "typical_weeks": 4,
        },  # fmt: skip
    ]
    data["roles"][0]["skills"] = ["python", "stats"]
    data["roles"][1]["skills"] = ["python"]
    t = data["transitions"][0]
    t["transferable_skills"][0]["skill"] = "python"
    t["skills_to_learn"][0]["skill"] = "stats"
    foundations, practice = t["phases"]
    foundations["tasks"][0].update(effort_hours=32, skills=["stats"])
    foundations["tasks"][1].update(effort_hours=48, skills=["python"])
    foundations["resources"][0].update(effort_hours=2, skills=["stats"])
    practice["tasks"][0].update(
        effort_hours=40, skills=["python", "stats"], depends_on=["learn-stats", "learn-torch"]
    )
    t["action_plan"]["month"][0].update(effort_hours=20, depends_on=["enrol"])
    return data


def problems(data) -> list[str]:
    with pytest.raises(CatalogError) as error:
        validate(data)
    return error.value.problems


def item(key: str) -> RoadmapItem:
    return RoadmapItem.objects.get(key=key)


# --- The schema --------------------------------------------------------------------------------


def test_the_skilled_catalog_is_valid_and_the_new_keys_are_optional():
    validate(skilled_catalog())
    validate(tiny_catalog())


def test_unknown_skill_slugs_are_named_where_they_are():
    data = skilled_catalog()
    data["roles"][0]["skills"] = ["python", "rust"]
    data["transitions"][0]["skills_to_learn"][1]["skill"] = "mlops"
    data["transitions"][0]["phases"][1]["tasks"][0]["skills"] = ["stats", "stats"]
    assert (
        problems(data)
        == [
            'roles[0].skills[1] (role "ml-engineer"): no skill has the slug "rust"',
            f'transitions[0].skills_to_learn[1].skill ({T}): no skill has the slug "mlops"',
            f'transitions[0].phases[1].tasks[0].skills[1] ({T}): the skill "stats" is listed more than once',  # fmt: skip
        ]
    )


def test_skill_slugs_and_names_are_unique():
    data = skilled_catalog()
    data["skills"].append({**data["skills"][0], "name": "Python 3"})
    data["skills"].append({**data["skills"][1], "slug": "statistics"})
    assert problems(data) == [
        'skills[2].slug (skill "python"): skills[0] already has this slug',
        'skills[3].name (skill "statistics"): skills[1] already has this name',
    ]


@pytest.mark.parametrize(
    "value, problem",
    [
        (0, "must be at least 1, got 0"),
        (2001, "must be at most 2000, got 2001"),
        (1.5, "expected a whole number, got the number 1.5"),
        ("12", 'expected a whole number, got the string "12"'),
    ],
)
def test_effort_hours_are_a_whole_number_from_1_to_2000(value, problem):
    data = skilled_catalog()
    data["transitions"][0]["phases"][0]["tasks"][0]["effort_hours"] = value
    assert problems(data) == [f"transitions[0].phases[0].tasks[0].effort_hours ({T}): {problem}"]


def test_effort_hours_at_the_edges_are_accepted():
    data = skilled_catalog()
    data["transitions"][0]["phases"][0]["tasks"][0]["effort_hours"] = 1
    data["transitions"][0]["phases"][0]["tasks"][1]["effort_hours"] = 2000
    validate(data)


def test_a_dependency_names_an_item_of_the_same_transition_other_than_itself():
    data = skilled_catalog()
    practice = data["transitions"][0]["phases"][1]
    practice["tasks"][0]["depends_on"] = ["learn-stats", "nowhere", "build-model"]
    assert (
        problems(data)
        == [
            f'transitions[0].phases[1].tasks[0].depends_on[1] ({T}): no item of this transition has the key "nowhere"',  # fmt: skip
            f'transitions[0].phases[1].tasks[0].depends_on[2] ({T}): the item "build-model" cannot depend on itself',  # fmt: skip
        ]
    )


def test_a_cycle_is_named_from_its_first_item_back_to_it():
    data = skilled_catalog()
    data["transitions"][0]["phases"][0]["tasks"][0]["depends_on"] = ["build-model"]
    assert problems(data) == [
        f"transitions[0].phases[0].tasks[0].depends_on ({T}): the dependencies go round in a "
        "circle: learn-stats -> build-model -> learn-stats"
    ]


def test_a_cycle_in_a_file_names_its_line(tmp_path):
    data = skilled_catalog()
    data["transitions"][0]["action_plan"]["week"][0]["depends_on"] = ["finish-course"]
    path = tmp_path / "catalog.json"
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        read_checked_catalog(path)
    lines = text.splitlines()
    line = next(
        n for n, t in enumerate(lines, 1) if '"depends_on"' in t and "finish-course" in lines[n]
    )
    assert error.value.problems == [
        f"line {line}: transitions[0].action_plan.week[0].depends_on ({T}): the dependencies "
        "go round in a circle: enrol -> finish-course -> enrol"
    ]


# --- Loading and exporting ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_load_writes_skills_links_effort_and_dependencies():
    load_catalog(skilled_catalog())
    assert list(Skill.objects.order_by("order").values_list("slug", "area", "typical_weeks")) == [
        ("python", "programming", 6),
        ("stats", "math", 4),
    ]
    assert sorted(Role.objects.get(slug="ml-engineer").skills.values_list("slug", flat=True)) == [
        "python",
        "stats",
    ]
    t = Transition.objects.get()
    assert t.transferable_skills.get(order=0).skill.slug == "python"
    assert t.skills_to_learn.get(order=0).skill.slug == "stats"
    assert t.skills_to_learn.get(order=1).skill is None
    build = item("build-model")
    assert build.effort_hours == 40
    assert sorted(build.depends_on.values_list("key", flat=True)) == ["learn-stats", "learn-torch"]
    assert list(item("learn-stats").unlocks.values_list("key", flat=True)) == ["build-model"]
    assert item("publish").effort_hours is None


@pytest.mark.django_db
def test_export_load_export_of_skills_is_byte_identical(tmp_path):
    load_catalog(skilled_catalog())
    first = dump(export_catalog())
    data = json.loads(first)
    assert data["skills"][0] == skilled_catalog()["skills"][0]
    assert data["transitions"][0]["phases"][1]["tasks"][0] == {
        "key": "build-model",
        "title": "Build a model",
        "effort_hours": 40,
        "skills": ["python", "stats"],
        "depends_on": ["learn-stats", "learn-torch"],
    }
    for model in reversed(CATALOG_MODELS):  # staff emptied the catalog; the file brings it back
        model.objects.all().delete()
    load_catalog(data)
    assert dump(export_catalog()) == first


@pytest.mark.django_db
def test_an_admin_edit_of_an_items_skills_is_an_edit_the_load_keeps():
    load_catalog(skilled_catalog())
    item("build-model").skills.remove(Skill.objects.get(slug="stats"))  # staff, in the admin
    data = skilled_catalog()
    data["transitions"][0]["phases"][1]["tasks"][0]["effort_hours"] = 45
    report = load_catalog(data)
    assert report.lines == [
        "! ~ roadmap item transitions/engineer-to-ml-engineer/items/build-model: effort_hours 40 "
        '-> 45, skills ["python"] -> ["python", "stats"] [kept: edited in the admin since the '
        "last load]"
    ]
    assert list(item("build-model").skills.values_list("slug", flat=True)) == ["python"]
    load_catalog(data, overwrite_edits=True)
    build = item("build-model")
    assert (build.effort_hours, build.skills.count()) == (45, 2)


@pytest.mark.django_db
def test_a_dependency_change_in_the_file_is_planned_and_applied():
    load_catalog(skilled_catalog())
    data = skilled_catalog()
    data["transitions"][0]["phases"][1]["tasks"][0]["depends_on"] = ["learn-torch"]
    report = load_catalog(data)
    assert report.lines == [
        "~ roadmap item transitions/engineer-to-ml-engineer/items/build-model: depends_on "
        '["learn-stats", "learn-torch"] -> ["learn-torch"]'
    ]
    assert list(item("build-model").depends_on.values_list("key", flat=True)) == ["learn-torch"]
    assert load_catalog(data).changed == 0


@pytest.mark.django_db
def test_an_item_waits_while_a_skill_it_needs_is_kept_deleted():
    load_catalog(skilled_catalog())
    item("build-model").skills.clear()
    Skill.objects.get(slug="python").roles.clear()
    Transition.objects.get().transferable_skills.update(skill=None)
    Skill.objects.filter(slug="python").delete()  # staff deleted it; the file still has it
    report = load_catalog(skilled_catalog())
    assert "! + skill skills/python [kept: deleted in the admin since the last load]" in (
        report.lines
    )
    assert not Skill.objects.filter(slug="python").exists()
    assert item("build-model").skills.count() == 0


@pytest.mark.django_db
def test_the_shipped_catalog_has_skills_effort_and_dependencies():
    data = read_catalog(CATALOG_PATH)
    load_catalog(data)
    assert Skill.objects.count() == len(data["skills"]) >= 40
    assert not RoadmapItem.objects.filter(effort_hours=None).exists()
    assert not SkillToLearn.objects.filter(skill=None).exists()
    assert not Role.objects.filter(skills=None).exists()
    dls = RoadmapItem.objects.get(key="p1-complete-deep-learning-specialization")
    assert 80 <= dls.effort_hours <= 120  # ~12 weeks at a part-time pace
    assert set(dls.skills.values_list("slug", flat=True)) >= {"deep-learning"}
    github = RoadmapItem.objects.get(key="p1-set-up-github-repository-interpretability-projects")
    assert github.effort_hours <= 6
    assert RoadmapItem.depends_on.through.objects.count() > 20
    for transition in Transition.objects.all():
        assert [p.message for p in publish_problems(transition) if p.blocks] == []


# --- The admin ---------------------------------------------------------------------------------


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
def test_the_skill_admin_lists_searches_and_filters_by_area(admin_client):
    load_catalog(skilled_catalog())
    url = reverse("admin:careers_skill_changelist")
    page = admin_client.get(url, {"area__exact": "math"})
    assert list(page.context["cl"].result_list) == [Skill.objects.get(slug="stats")]
    page = admin_client.get(url, {"q": "pyth"})
    assert list(page.context["cl"].result_list) == [Skill.objects.get(slug="python")]


@pytest.mark.django_db
def test_an_item_can_only_depend_on_items_of_its_own_transition(admin_client):
    t, other = make_transition(effort_hours=10), make_transition(effort_hours=10)
    target = t.roadmap_items.get(key="p2-task-0")
    page = admin_client.get(change_url(target))
    choices = page.context["adminform"].form.fields["depends_on"].queryset
    assert set(choices) == set(t.roadmap_items.exclude(pk=target.pk))
    data = change_form_data(page) | {"skills": [], "effort_hours": 12}
    foreign = other.roadmap_items.get(key="p1-task-0")
    response = admin_client.post(change_url(target), data | {"depends_on": [foreign.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in errors_next_to(response, "depends_on")
    before = t.roadmap_items.get(key="p1-task-0")
    response = admin_client.post(change_url(target), data | {"depends_on": [before.pk]})
    assert response.status_code == 302
    assert list(target.depends_on.all()) == [before]
    # the other way round would be a circle
    page = admin_client.get(change_url(before))
    data = change_form_data(page) | {"skills": [], "effort_hours": 5}
    response = admin_client.post(change_url(before), data | {"depends_on": [target.pk]})
    assert response.status_code == 200
    assert "already depends on this item" in errors_next_to(response, "depends_on")
    assert before.depends_on.count() == 0


@pytest.mark.django_db
def test_the_model_says_what_is_wrong_with_a_dependency_on_its_field():
    t, other = make_transition(effort_hours=10), make_transition(effort_hours=10)
    a, b = t.roadmap_items.filter(kind="task")[:2]
    foreign = other.roadmap_items.first()
    assert a.dependency_problem([a]) == "An item cannot depend on itself."
    assert "belongs to another transition" in a.dependency_problem([foreign])
    assert a.dependency_problem([b]) == ""
    a.depends_on.add(foreign)
    with pytest.raises(ValidationError) as error:
        a.full_clean()
    assert "belongs to another transition" in str(error.value.message_dict["depends_on"])


@pytest.mark.django_db
def test_role_skills_and_skill_links_are_on_their_admin_pages(admin_client):
    load_catalog(skilled_catalog())
    role = Role.objects.get(slug="ml-engineer")
    assert "skills" in admin_client.get(change_url(role)).context["adminform"].form.fields
    page = admin_client.get(change_url(Transition.objects.get()))
    inline_fields = {
        inline.formset.prefix: list(inline.formset.forms[0].fields)
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.forms
    }
    assert "skill" in inline_fields["skills_to_learn"]
    assert "skill" in inline_fields["transferable_skills"]


# --- Publish checks ----------------------------------------------------------------------------


def draft():
    return make_transition(status=Status.DRAFT, effort_hours=10)


@pytest.mark.django_db
def test_a_phase_item_without_effort_blocks_publishing_with_a_link_to_it():
    t = draft()
    task = t.roadmap_items.get(key="p2-task-1")
    RoadmapItem.objects.filter(pk=task.pk).update(effort_hours=None)
    RoadmapItem.objects.filter(kind="action").update(effort_hours=None)  # not phase items
    [problem] = publish_problems(t)
    assert problem.message == "“Task 1 of phase 2” (Phase 2, “Phase 2”) has no effort in hours."
    assert problem.url == change_url(task)
    assert problem.blocks


@pytest.mark.django_db
def test_a_dependency_on_an_archived_item_or_another_transition_blocks_publishing():
    t, other = draft(), make_transition(effort_hours=10)
    a = t.roadmap_items.get(key="p2-task-0")
    earlier = t.roadmap_items.get(key="p1-task-0")
    a.depends_on.add(earlier)
    assert publish_problems(t) == []
    a.depends_on.add(other.roadmap_items.get(key="p1-task-0"))
    RoadmapItem.objects.filter(pk=earlier.pk).update(is_archived=True)
    assert [(p.message, p.url, p.blocks) for p in publish_problems(t)] == [
        (
            "“Task 0 of phase 2” depends on “Task 0 of phase 1”, which is archived.",
            change_url(a),
            True,
        ),  # fmt: skip
        (
            "“Task 0 of phase 2” depends on “Task 0 of phase 1”, which is in another transition.",
            change_url(a),
            True,
        ),  # fmt: skip
    ]


@pytest.mark.django_db
def test_a_skill_to_learn_without_a_skill_blocks_publishing():
    t = draft()
    skill = Skill.objects.create(slug="stats", name="Statistics", area="math", typical_weeks=4)
    linked = SkillToLearn.objects.create(
        transition=t, name="Stats", skill=skill, priority=1, weeks=4
    )
    unlinked = SkillToLearn.objects.create(transition=t, name="MLOps", priority=2, weeks=3)
    [problem] = publish_problems(t)
    assert problem.message == "The skill to learn “MLOps” is not linked to a skill of the catalog."
    assert problem.url == change_url(unlinked)
    assert linked.skill == skill
