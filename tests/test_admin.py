"""The admin as staff use it: every page loads; constraint errors are said on their field and
nothing is written; item keys are made from titles; phases reorder; transitions are counted,
filtered, searched and duplicated."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from careers.models import FAQ, Phase, RoadmapItem, Role, SalaryBand, Status, Transition
from tests.admin_forms import add_inline_row, change_form_data, errors_next_to, inline_prefix
from tests.factories import make_member, make_plan, make_role, make_transition

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_changelist_and_add_pages_load(admin_client, catalog, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert escape(opts.verbose_name_plural).lower() in changelist.content.decode().lower()
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200
    assert "<form" in add.content.decode()


def test_transition_change_page_has_its_inlines_and_view_on_site(admin_client, catalog):
    t = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    html = admin_client.get(reverse("admin:careers_transition_change", args=[t.pk])).content
    html = html.decode()
    assert "Deep Learning Fundamentals" in html  # skills inline
    assert "Foundation Building" in html  # phases inline
    assert "Enroll in the first course" in html  # action plan inline
    assert "View on site" in html


def test_phase_change_page_edits_its_tasks_and_resources(admin_client, catalog):
    phase = Phase.objects.get(title="Foundation Building")
    html = admin_client.get(reverse("admin:careers_phase_change", args=[phase.pk])).content
    assert "Build basic neural networks with PyTorch" in html.decode()


# --- Item keys: made from the title, never typed, never changed ---------------------------


def test_a_new_action_item_gets_its_key_from_its_title(admin_client):
    t = make_transition(phases=0, status=Status.DRAFT)
    url = change_url(t)
    page = admin_client.get(url)
    assert 'name="roadmap_items-0-key"' not in page.content.decode()  # staff never type keys
    data = change_form_data(page)
    prefix = inline_prefix(page, "actionitem")
    add_inline_row(
        data, prefix, horizon="month", order=9, title="A new monthly action", transition=t.pk
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    item = t.roadmap_items.get(title="A new monthly action")
    assert (item.key, item.kind, item.horizon, item.phase) == (
        "a-new-monthly-action",
        "action",
        "month",
        None,
    )


def test_two_new_items_with_one_title_get_different_keys(admin_client):
    t = make_transition(phases=1, status=Status.DRAFT)
    phase = t.phases.get()
    url = change_url(phase)
    page = admin_client.get(url)
    data = change_form_data(page)
    for _ in range(2):
        add_inline_row(data, "items", kind="task", order=5, title="Read the paper!", phase=phase.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_next_to(response, "title")
    keys = sorted(phase.items.filter(title="Read the paper!").values_list("key", flat=True))
    assert keys == ["read-the-paper", "read-the-paper-2"]
    assert {i.transition_id for i in phase.items.all()} == {t.pk}


def test_renaming_an_item_keeps_its_key(admin_client):
    t = make_transition(phases=1)
    item = t.roadmap_items.get(key="p1-task-0")
    page = admin_client.get(change_url(item))
    assert 'name="key"' not in page.content.decode()
    assert "p1-task-0" in page.content.decode()  # shown, read-only
    data = change_form_data(page)
    data["title"] = "A wholly new title"
    assert admin_client.post(change_url(item), data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.key) == ("A wholly new title", "p1-task-0")


def test_an_item_or_phase_never_moves_to_another_transition(admin_client):
    t, other = make_transition(phases=1), make_transition(phases=1)
    item = t.roadmap_items.get(key="p1-task-0")
    phase = t.phases.get()
    for obj in (item, phase):
        data = change_form_data(admin_client.get(change_url(obj)))
        assert "transition" not in data
        data |= {"transition": other.pk, "title": "Renamed"}
        if obj is item:
            data["phase"] = phase.pk
        assert admin_client.post(change_url(obj), data).status_code == 302
        obj.refresh_from_db()
        assert (obj.title, obj.transition_id) == ("Renamed", t.pk)


def test_an_item_added_on_its_own_page_gets_a_key_unique_in_its_transition(admin_client):
    t = make_transition(phases=1, tasks=0, resources=0, status=Status.DRAFT)
    phase = t.phases.get()
    RoadmapItem.objects.create(
        transition=t, phase=phase, kind="task", key="build-a-model", title="Old"
    )
    data = {"transition": t.pk, "phase": phase.pk, "kind": "task", "order": 0}
    data["title"] = "Build a model"
    response = admin_client.post(add_url(RoadmapItem), data)
    assert response.status_code == 302
    assert t.roadmap_items.filter(title="Build a model").get().key == "build-a-model-2"


# --- Every constraint error is a message on its field, and nothing is written --------------


def test_a_duplicate_slug_is_said_on_the_slug_field(admin_client):
    make_role(slug="ml-engineer")
    page = admin_client.get(add_url(Role))
    data = change_form_data(page) | {"slug": "ml-engineer", "name": "Another", "order": 0}
    response = admin_client.post(add_url(Role), data)
    assert response.status_code == 200
    assert "Role with this Slug already exists." in errors_next_to(response, "slug")
    assert Role.objects.filter(slug="ml-engineer").count() == 1


def test_a_salary_band_whose_low_is_above_its_high_is_refused_on_the_high_field(admin_client):
    role = make_role()
    data = {"role": role.pk, "market": "UK", "currency": "GBP", "basis": "base", "order": 0}
    data |= {"low": 90_000, "high": 60_000}
    response = admin_client.post(add_url(SalaryBand), data)
    assert response.status_code == 200
    assert "The top of the band is below its bottom (90,000)." in errors_next_to(response, "high")
    assert not SalaryBand.objects.exists()


def test_an_open_ended_band_without_its_top_figure_is_refused_on_the_high_field(admin_client):
    role = make_role()
    data = {"role": role.pk, "market": "UK", "currency": "GBP", "basis": "base", "order": 0}
    data |= {"low": 90_000, "open_ended": "on"}
    response = admin_client.post(add_url(SalaryBand), data)
    assert "An open-ended band needs its top figure" in errors_next_to(response, "high")
    assert not SalaryBand.objects.exists()


def test_a_phase_of_zero_weeks_is_refused_in_the_transition_inline(admin_client):
    t = make_transition(phases=2)
    page = admin_client.get(change_url(t))
    data = change_form_data(page)
    data["phases-1-weeks"] = 0
    data["title"] = "Typed but not saved"
    response = admin_client.post(change_url(t), data)
    assert response.status_code == 200
    assert "A phase lasts at least 1 week." in errors_next_to(response, "weeks", within="phases-1")
    assert "A phase lasts at least" not in errors_next_to(response, "weeks", within="phases-0")
    assert list(t.phases.values_list("weeks", flat=True)) == [5, 6]
    t.refresh_from_db()
    assert t.title != "Typed but not saved"


def test_a_phase_of_zero_weeks_is_refused_on_its_own_page(admin_client):
    phase = make_transition(phases=1).phases.get()
    data = change_form_data(admin_client.get(change_url(phase))) | {"weeks": 0}
    response = admin_client.post(change_url(phase), data)
    assert "A phase lasts at least 1 week." in errors_next_to(response, "weeks")
    phase.refresh_from_db()
    assert phase.weeks == 5


def test_a_skill_of_zero_weeks_is_refused_on_its_weeks_field(admin_client):
    t = make_transition()
    data = {"transition": t.pk, "name": "PyTorch", "priority": 1, "weeks": 0, "order": 0}
    response = admin_client.post(reverse("admin:careers_skilltolearn_add"), data)
    assert "Learning a skill takes at least 1 week." in errors_next_to(response, "weeks")
    assert not t.skills_to_learn.exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://files.example.com/course.pdf", "Give a web address starting with https://"),
        ("javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_a_resource_url_that_is_not_http_is_refused_on_the_url_field(admin_client, url, message):
    t = make_transition(phases=1)
    item = t.roadmap_items.get(key="p1-resource-0")
    data = change_form_data(admin_client.get(change_url(item))) | {"url": url}
    response = admin_client.post(change_url(item), data)
    assert response.status_code == 200
    assert message in errors_next_to(response, "url")
    item.refresh_from_db()
    assert item.url == ""


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"kind": "task", "phase": None}, "phase", "Tasks and resources belong to a phase."),
        ({"kind": "task", "horizon": "week"}, "horizon", "Only action-plan items have a horizon."),
        ({"kind": "action", "horizon": "week"}, "phase", "Action-plan items have a horizon"),
        ({"kind": "action", "phase": None}, "horizon", "Choose when this action falls due."),
    ],
    ids=["task-without-phase", "task-with-horizon", "action-with-phase", "action-no-horizon"],
)
def test_kind_phase_and_horizon_mismatches_are_said_on_the_field(
    admin_client, values, field, message
):
    t = make_transition(phases=1)
    data = {"transition": t.pk, "phase": t.phases.get().pk, "order": 0, "title": "Mismatched"}
    data = {k: v for k, v in (data | values).items() if v is not None}
    response = admin_client.post(add_url(RoadmapItem), data)
    assert response.status_code == 200
    assert message in errors_next_to(response, field)
    assert "violated" not in response.content.decode()
    assert not RoadmapItem.objects.filter(title="Mismatched").exists()


def test_a_timeline_ending_before_it_starts_is_said_on_its_field(admin_client):
    t = make_transition()
    data = change_form_data(admin_client.get(change_url(t)))
    data |= {"timeline_min_months": 12, "timeline_max_months": 6}
    response = admin_client.post(change_url(t), data)
    message = "The longest timeline is shorter than the shortest (12 months)."
    assert message in errors_next_to(response, "timeline_max_months")
    t.refresh_from_db()
    assert (t.timeline_min_months, t.timeline_max_months) == (9, 15)


def test_a_question_cannot_belong_to_a_role_and_a_transition(admin_client):
    t = make_transition()
    data = {"role": t.to_role.pk, "transition": t.pk, "question": "Q?", "answer": "A.", "order": 0}
    response = admin_client.post(add_url(FAQ), data)
    assert "belongs to a role or to a transition, not both" in errors_next_to(
        response, "transition"
    )
    assert not FAQ.objects.exists()


def test_a_second_published_transition_for_the_same_roles_is_said_on_status(admin_client):
    first = make_transition()
    second = make_transition(
        from_role=first.from_role, to_role=first.to_role, status=Status.DRAFT, slug="second"
    )
    data = change_form_data(admin_client.get(change_url(second))) | {"status": "published"}
    response = admin_client.post(change_url(second), data)
    assert response.status_code == 200
    assert f"“{first}” is already published for the same two roles" in errors_next_to(
        response, "status"
    )
    second.refresh_from_db()
    assert second.status == Status.DRAFT


def test_a_taken_phase_position_is_said_on_the_order_field(admin_client):
    t = make_transition(phases=2)
    second = t.phases.get(order=2)
    data = change_form_data(admin_client.get(change_url(second))) | {"order": 1}
    response = admin_client.post(change_url(second), data)
    assert "“Phase 1” is already phase 1." in errors_next_to(response, "order")
    assert list(t.phases.values_list("title", "order")) == [("Phase 1", 1), ("Phase 2", 2)]


def test_two_phases_given_one_position_in_the_inline_are_told_on_the_order_field(admin_client):
    t = make_transition(phases=2)
    data = change_form_data(admin_client.get(change_url(t))) | {"phases-1-order": 1}
    response = admin_client.post(change_url(t), data)
    assert response.status_code == 200
    assert "“Phase 1” is already phase 1." in errors_next_to(response, "order", within="phases-1")
    assert list(t.phases.values_list("title", "order")) == [("Phase 1", 1), ("Phase 2", 2)]


# --- Phases and items in order, reordered by their order field ----------------------------


def test_phases_swap_places_by_their_order_field(admin_client):
    t = make_transition(phases=3, effort_hours=10)
    data = change_form_data(admin_client.get(change_url(t)))
    data |= {"phases-0-order": 2, "phases-1-order": 1}
    response = admin_client.post(change_url(t), data)
    assert response.status_code == 302
    assert list(t.phases.values_list("title", flat=True)) == ["Phase 2", "Phase 1", "Phase 3"]
    page = admin_client.get(change_url(t))
    titles = [f.instance.title for f in page.context["inline_admin_formsets"][2].formset.forms]
    assert titles == ["Phase 2", "Phase 1", "Phase 3"]


def test_the_transition_page_lists_phases_and_actions_in_their_order(admin_client):
    t = make_transition(phases=2)
    t.phases.filter(order=1).update(order=9)  # the first phase moves to the end
    page = admin_client.get(change_url(t))
    inlines = {
        i.formset.model._meta.model_name: i.formset for i in page.context["inline_admin_formsets"]
    }
    assert [f.instance.title for f in inlines["phase"].forms] == ["Phase 2", "Phase 1"]
    horizons = [f.instance.horizon for f in inlines["actionitem"].forms]
    assert horizons == ["week", "month", "quarter"]
    assert "3 tasks and resources" in page.content.decode()


def test_a_phase_page_lists_tasks_before_resources_in_their_order(admin_client):
    phase = make_transition(phases=1, tasks=2, resources=2).phases.get()
    phase.items.filter(key="p1-task-0").update(order=7)
    page = admin_client.get(change_url(phase))
    titles = [f.instance.title for f in page.context["inline_admin_formsets"][0].formset.forms]
    assert titles == [
        "Task 1 of phase 1",
        "Task 0 of phase 1",
        "Resource 0 of phase 1",
        "Resource 1 of phase 1",
    ]


# --- The transition list: members counted, filters, search --------------------------------


def test_the_transition_list_counts_members_in_one_query(
    admin_client, django_assert_max_num_queries
):
    busy, quiet = make_transition(), make_transition()
    members = [make_member() for _ in range(3)]
    for member in members:
        make_plan(member, busy)
    url = reverse("admin:careers_transition_changelist")
    response = admin_client.get(url)
    rows = {t.pk: t.member_count for t in response.context["cl"].result_list}
    assert rows == {busy.pk: 3, quiet.pk: 0}
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for _ in range(12):
        make_plan(make_member(), make_transition())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 14


def test_the_transition_list_is_searched_by_role_name(admin_client):
    wanted = make_transition(to_role=make_role(name="Interpretability Researcher"))
    make_transition()
    url = reverse("admin:careers_transition_changelist")
    response = admin_client.get(url, {"q": "interpretability"})
    assert [t.pk for t in response.context["cl"].result_list] == [wanted.pk]


@pytest.mark.parametrize(
    "model, filters",
    [
        (Transition, {"status", "difficulty", "featured", "from_role", "to_role"}),
        (Role, {"kind", "status", "phd_usually_required"}),
        (RoadmapItem, {"kind", "is_archived", "resource_type", "horizon", "transition"}),
    ],
)
def test_lists_have_filters_and_search(model, filters):
    model_admin = admin.site._registry[model]
    assert filters <= set(model_admin.list_filter)
    assert model_admin.search_fields


def test_archiving_one_item_says_one_item(admin_client):
    t = make_transition(phases=1)
    item = t.roadmap_items.get(key="p1-task-0")
    url = reverse("admin:careers_roadmapitem_changelist")
    data = {"action": "archive", "_selected_action": [item.pk]}
    response = admin_client.post(url, data, follow=True)
    assert "1 item archived." in response.content.decode()
    assert "item(s)" not in response.content.decode()


# --- Duplicate as draft ---------------------------------------------------------------------


def test_duplicate_as_draft_copies_the_whole_transition_with_its_keys(admin_client):
    from careers.models import RealityCheckItem, SkillToLearn, TransferableSkill

    source = make_transition(phases=2, slug="se-to-mle", title="SE to MLE")
    TransferableSkill.objects.create(transition=source, name="Python")
    SkillToLearn.objects.create(transition=source, name="PyTorch", priority=1, weeks=4)
    RealityCheckItem.objects.create(transition=source, kind="love", text="Research")
    FAQ.objects.create(transition=source, question="How long?", answer="A year.")
    source.roadmap_items.filter(key="p1-task-1").update(is_archived=True)
    member = make_member()
    plan = make_plan(member, source)
    make_transition(slug="se-to-mle-copy")  # the first name is taken

    url = reverse("admin:careers_transition_changelist")
    data = {"action": "duplicate_as_draft", "_selected_action": [source.pk]}
    response = admin_client.post(url, data, follow=True)

    copy = Transition.objects.get(slug="se-to-mle-copy-2")
    assert (copy.title, copy.status, copy.from_role, copy.to_role) == (
        "SE to MLE (copy)",
        Status.DRAFT,
        source.from_role,
        source.to_role,
    )
    assert "was copied as a new draft" in response.content.decode()
    assert list(copy.phases.values_list("order", "title", "weeks")) == list(
        source.phases.values_list("order", "title", "weeks")
    )
    copied = set(copy.roadmap_items.values_list("key", "title", "phase__order"))
    current = set(source.roadmap_items.current().values_list("key", "title", "phase__order"))
    assert copied == current and len(copied) == 8  # 2×(2 tasks + 1 resource) − 1 + 3 actions
    assert "p1-task-1" not in {k for k, _, _ in copied}  # archived items stay behind
    assert [s.name for s in copy.transferable_skills.all()] == ["Python"]
    assert [s.name for s in copy.skills_to_learn.all()] == ["PyTorch"]
    assert [r.text for r in copy.reality_check.all()] == ["Research"]
    assert [f.question for f in copy.faqs.all()] == ["How long?"]
    # The source and members' plans are untouched.
    plan.refresh_from_db()
    assert plan.transition_id == source.pk
    assert source.roadmap_items.count() == 9
    assert source.faqs.count() == 1
