"""A transition is published only when a member has everything they need; staff see what is
missing, with a link to where they fix it, and lose nothing they typed."""

import pytest
from django.urls import reverse

from careers.curation import blockers, publish, publish_problems
from careers.models import RoadmapItem, Status, Transition
from tests.admin_forms import add_inline_row, change_form_data, errors_next_to
from tests.factories import make_role, make_transition

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def messages_of(problems) -> list[str]:
    return [p.message for p in problems]


def make_draft(**kwargs) -> Transition:
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("effort_hours", 10)  # a complete transition has its effort estimates
    return make_transition(**kwargs)


# --- The rules -------------------------------------------------------------------------------


def test_a_complete_transition_has_no_problems():
    assert publish_problems(make_draft()) == []


def test_a_transition_without_phases_is_missing_its_roadmap():
    t = make_draft(phases=0)
    [problem] = publish_problems(t)
    assert problem.message == "The roadmap has no phases."
    assert problem.url == change_url(t) + "#phases-group"
    assert problem.blocks


def test_an_empty_phase_is_named_with_a_link_to_its_page():
    t = make_draft(phases=2)
    empty = t.phases.get(order=2)
    empty.items.update(is_archived=True)  # archived items do not count
    [problem] = publish_problems(t)
    assert problem.message == "Phase 2, “Phase 2”, has no tasks or resources."
    assert problem.url == change_url(empty) + "#items-group"


def test_an_archived_phase_is_not_checked():
    t = make_draft(phases=2)
    t.phases.filter(order=2).update(is_archived=True)
    t.roadmap_items.filter(phase__order=2).delete()
    assert publish_problems(t) == []


def test_a_phase_without_weeks_is_a_problem():
    # The database refuses zero weeks; the rule still stands for content loaded otherwise.
    t = make_draft(phases=1)
    phase = t.phases.get()
    phase.weeks = 0
    from careers.curation import phases_have_weeks

    [problem] = phases_have_weeks(t, [phase])
    assert problem.message == "Phase 1, “Phase 1”, has no length in weeks."
    assert problem.url == change_url(phase)


def test_a_transition_without_an_action_plan_is_a_problem():
    t = make_draft()
    t.roadmap_items.filter(kind=RoadmapItem.Kind.ACTION).update(is_archived=True)
    [problem] = publish_problems(t)
    assert problem.message == "The action plan (this week / this month / next 90 days) is empty."
    assert problem.url == change_url(t) + "#roadmap_items-group"


def test_draft_roles_are_a_warning_not_a_blocker():
    t = make_draft(to_role=make_role(name="Alignment Researcher", status=Status.DRAFT))
    [problem] = publish_problems(t)
    assert "The role “Alignment Researcher” is a draft" in problem.message
    assert problem.url == change_url(t.to_role)
    assert not problem.blocks
    assert blockers([problem]) == []


def test_every_problem_is_listed_at_once_blockers_first():
    t = make_draft(phases=0, from_role=make_role(status=Status.DRAFT, kind="background"))
    t.roadmap_items.all().delete()
    found = publish_problems(t)
    assert [p.blocks for p in found] == [True, True, False]
    assert messages_of(found)[:2] == [
        "The roadmap has no phases.",
        "The action plan (this week / this month / next 90 days) is empty.",
    ]


def test_publish_refuses_and_keeps_the_draft():
    t = make_draft(phases=0)
    problems = publish(t)
    t.refresh_from_db()
    assert t.status == Status.DRAFT
    assert messages_of(problems) == ["The roadmap has no phases."]


def test_publish_publishes_a_complete_draft():
    t = make_draft()
    assert publish(t) == []
    t.refresh_from_db()
    assert t.status == Status.PUBLISHED
    assert Transition.objects.published().filter(pk=t.pk).exists()


# --- Publishing through the change form ----------------------------------------------------


def test_publishing_an_incomplete_draft_shows_the_form_again_with_every_problem(admin_client):
    t = make_draft(phases=1, tasks=0, resources=0)
    t.roadmap_items.filter(kind="action").delete()
    phase = t.phases.get()
    page = admin_client.get(change_url(t))
    data = change_form_data(page)
    data |= {"status": "published", "overview": "Typed overview, kept on the form."}
    add_inline_row(data, "phases", order=2, title="Typed new phase", weeks=3, transition=t.pk)

    response = admin_client.post(change_url(t), data)

    assert response.status_code == 200
    said = errors_next_to(response, "status")
    assert "Not published: a member would miss these. It stays a draft" in said
    assert "Phase 1, “Phase 1”, has no tasks or resources. Add tasks and resources" in said
    # The new phase was saved in the trial and rolled back: it is empty too, but not linked.
    assert "Phase 2, “Typed new phase”, has no tasks or resources." in said
    assert "The action plan (this week / this month / next 90 days) is empty." in said
    html = response.content.decode()
    assert f'href="{change_url(phase)}#items-group"' in html
    assert f'href="{change_url(t)}#roadmap_items-group"' in html
    # Everything typed is on the form again; nothing was written.
    assert "Typed overview, kept on the form." in html
    assert 'value="Typed new phase"' in html
    t.refresh_from_db()
    assert (t.status, t.overview) == (Status.DRAFT, "")
    assert list(t.phases.values_list("title", flat=True)) == ["Phase 1"]


def test_publishing_a_new_incomplete_transition_creates_nothing(admin_client):
    from_role, to_role = make_role(kind="background"), make_role()
    url = reverse("admin:careers_transition_add")
    data = change_form_data(admin_client.get(url))
    data |= {"title": "Brand new", "slug": "brand-new", "status": "published"}
    data |= {"from_role": from_role.pk, "to_role": to_role.pk, "difficulty": "moderate"}
    data |= {"timeline_min_months": 9, "timeline_max_months": 12, "order": 0}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The roadmap has no phases." in errors_next_to(response, "status")
    assert 'value="Brand new"' in response.content.decode()
    assert not Transition.objects.filter(slug="brand-new").exists()
    data["status"] = "draft"
    assert admin_client.post(url, data).status_code == 302
    assert Transition.objects.get(slug="brand-new").status == Status.DRAFT


def test_a_complete_draft_is_published_from_the_form(admin_client):
    t = make_draft()
    data = change_form_data(admin_client.get(change_url(t))) | {"status": "published"}
    response = admin_client.post(change_url(t), data)
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Status.PUBLISHED


def test_publishing_with_a_draft_role_goes_ahead_with_a_warning(admin_client):
    t = make_draft(to_role=make_role(name="Alignment Researcher", status=Status.DRAFT))
    data = change_form_data(admin_client.get(change_url(t))) | {"status": "published"}
    response = admin_client.post(change_url(t), data, follow=True)
    t.refresh_from_db()
    assert t.status == Status.PUBLISHED
    html = response.content.decode()
    assert "is published, but:" in html
    assert "members will not see this transition until it is published" in html
    assert f'href="{change_url(t.to_role)}"' in html


def test_emptying_a_published_transition_is_refused(admin_client):
    t = make_transition(effort_hours=10)
    page = admin_client.get(change_url(t))
    data = change_form_data(page)
    for i in range(3):  # delete the whole action plan
        data[f"roadmap_items-{i}-DELETE"] = "on"
    response = admin_client.post(change_url(t), data)
    assert response.status_code == 200
    assert "The action plan (this week / this month / next 90 days) is empty." in errors_next_to(
        response, "status"
    )
    assert t.roadmap_items.filter(kind="action").count() == 3


# --- The panel on the change page ------------------------------------------------------------


def test_a_draft_change_page_says_what_is_missing_before_publishing(admin_client):
    t = make_draft(phases=0, to_role=make_role(name="Alignment Researcher", status="draft"))
    html = admin_client.get(change_url(t)).content.decode()
    panel = html[html.index('class="publish-checks"') : html.index("</section>")]
    assert "Before this can be published:" in panel
    assert "The roadmap has no phases." in panel
    assert f'<a href="{change_url(t)}#phases-group">Add phases</a>' in panel
    assert "Also note:" in panel
    assert "The role “Alignment Researcher” is a draft" in panel


def test_a_complete_draft_change_page_says_it_can_be_published(admin_client):
    html = admin_client.get(change_url(make_draft())).content.decode()
    assert "Publish checks pass" in html
    assert "this draft can be published" in html
    assert "Before this can be published:" not in html


# --- Publishing from the list ----------------------------------------------------------------


def test_the_publish_action_publishes_complete_drafts_and_lists_the_others_problems(
    admin_client,
):
    ready = make_draft(title="Ready")
    unready = make_draft(title="Unready", phases=0)
    url = reverse("admin:careers_transition_changelist")
    data = {"action": "publish", "_selected_action": [ready.pk, unready.pk]}
    response = admin_client.post(url, data, follow=True)
    ready.refresh_from_db()
    unready.refresh_from_db()
    assert (ready.status, unready.status) == (Status.PUBLISHED, Status.DRAFT)
    html = response.content.decode()
    assert "1 transition published." in html
    assert "“Unready” was not published; it stays a draft." in html
    assert f'<a href="{change_url(unready)}#phases-group">Add phases</a>' in html


def test_the_unpublish_action_sets_transitions_back_to_draft(admin_client):
    t = make_transition(effort_hours=10)
    url = reverse("admin:careers_transition_changelist")
    response = admin_client.post(
        url, {"action": "unpublish", "_selected_action": [t.pk]}, follow=True
    )
    t.refresh_from_db()
    assert t.status == Status.DRAFT
    assert "1 transition is a draft again." in response.content.decode()
