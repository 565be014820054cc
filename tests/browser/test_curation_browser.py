"""Staff build a transition in the admin, meet the publish checks, fix them, preview the draft,
publish it and edit an item: members see the edit."""

import re

import pytest
from playwright.sync_api import Page, expect

from careers.models import Role, Status, Transition
from tests.makerun import run_make_run_steps


@pytest.fixture
def staff(live_server, context, django_user_model):
    """A superuser signed in by session cookie, and two published roles to connect."""
    from django.conf import settings
    from django.test import Client

    Role.objects.create(slug="software-engineer", name="Software Engineer", kind="background")
    Role.objects.filter(slug="software-engineer").update(status=Status.PUBLISHED)
    Role.objects.create(slug="ml-engineer", name="ML Engineer", status=Status.PUBLISHED)
    user = django_user_model.objects.create_superuser(
        email="curator@example.com", password="a-long-staff-password"
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    return live_server


def choose(page: Page, field: str, text: str) -> None:
    """Pick `text` in an admin autocomplete (select2) field."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(text)  # the open one
    page.locator(".select2-results__option", has_text=text).click()


def add_inline_row(page: Page, group: str) -> None:
    page.locator(f"#{group}-group .add-row a").click()


def test_staff_build_check_preview_publish_and_edit_a_transition(page: Page, staff):
    page.goto(staff.url + "/admin/careers/transition/add/")
    page.get_by_label("Title:").fill("Software Engineer to ML Engineer")
    page.get_by_label("Title:").press("Tab")  # the slug follows on change
    expect(page.get_by_label("Slug:")).to_have_value("software-engineer-to-ml-engineer")
    choose(page, "from_role", "Software Engineer")
    choose(page, "to_role", "ML Engineer")
    page.get_by_label("Difficulty:").select_option("moderate")
    page.get_by_label("Timeline min months:").fill("9")
    page.get_by_label("Timeline max months:").fill("12")
    # Two phases, in the phases inline.
    for n, (title, weeks) in enumerate([("Foundations", "6"), ("Portfolio", "8")]):
        add_inline_row(page, "phases")
        page.locator(f"#id_phases-{n}-order").fill(str(n + 1))
        page.locator(f"#id_phases-{n}-title").fill(title)
        page.locator(f"#id_phases-{n}-weeks").fill(weeks)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success").first).to_contain_text("was added successfully")

    # The draft's change page lists what a member would miss, with links to fix each.
    checks = page.locator(".publish-checks")
    expect(checks).to_contain_text("Before this can be published:")
    expect(checks.locator(".publish-problems li")).to_have_text(
        [
            re.compile(r"Phase 1, “Foundations”, has no tasks or resources\."),
            re.compile(r"Phase 2, “Portfolio”, has no tasks or resources\."),
            re.compile(r"The action plan .* is empty\."),
        ]
    )

    # Publishing now is refused, on the status field, and the form keeps what was typed.
    page.get_by_label("Overview:").fill("From shipping code to shipping models.")
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    status_errors = page.locator(".field-status .errorlist")
    expect(status_errors).to_contain_text("Not published: a member would miss these.")
    expect(status_errors.get_by_role("link", name="Add tasks and resources")).to_have_count(2)
    expect(page.get_by_label("Overview:")).to_have_value("From shipping code to shipping models.")
    transition = Transition.objects.get(slug="software-engineer-to-ml-engineer")
    assert transition.status == Status.DRAFT

    # Fix: a task in each phase, through the links, then an action for this week.
    for n, task in enumerate(["Finish a deep learning course", "Ship a model to production"]):
        page.goto(staff.url + f"/admin/careers/transition/{transition.pk}/change/")
        page.locator(".publish-checks").get_by_role(
            "link", name="Add tasks and resources"
        ).first.click()
        expect(page.get_by_role("heading", level=2).first).to_contain_text(
            ["Foundations", "Portfolio"][n]
        )
        add_inline_row(page, "items")
        page.locator("#id_items-0-kind").select_option("task")
        page.locator("#id_items-0-order").fill("0")
        page.locator("#id_items-0-title").fill(task)
        page.locator("#id_items-0-effort_hours").fill("20")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist .success").first).to_be_visible()
    page.goto(staff.url + f"/admin/careers/transition/{transition.pk}/change/")
    page.locator(".publish-checks").get_by_role("link", name="Add action-plan items").click()
    add_inline_row(page, "roadmap_items")
    page.locator("#id_roadmap_items-0-horizon").select_option("week")
    page.locator("#id_roadmap_items-0-order").fill("0")
    page.locator("#id_roadmap_items-0-title").fill("Pick a first course")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".publish-checks")).to_contain_text("Publish checks pass")

    # Preview the draft as members will see it.
    page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(re.compile(r"/transitions/software-engineer-to-ml-engineer/$"))
    expect(page.get_by_role("status")).to_contain_text("Draft: only staff can see this page")
    expect(page.get_by_text("Finish a deep learning course")).to_be_visible()

    # Publish.
    page.goto(staff.url + f"/admin/careers/transition/{transition.pk}/change/")
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success").first).to_contain_text("was changed successfully")
    transition.refresh_from_db()
    assert transition.status == Status.PUBLISHED

    # Edit an item's title; its key stays.
    item = transition.roadmap_items.get(title="Finish a deep learning course")
    page.goto(staff.url + f"/admin/careers/roadmapitem/{item.pk}/change/")
    expect(page.locator(".field-key .readonly")).to_have_text("finish-a-deep-learning-course")
    page.get_by_label("Title:").fill("Finish fast.ai's Practical Deep Learning course")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success").first).to_be_visible()

    # A visitor (no staff session) sees the published transition with the edit.
    page.context.clear_cookies()
    page.goto(staff.url + "/transitions/software-engineer-to-ml-engineer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Software Engineer to ML Engineer")
    expect(page.get_by_text("Finish fast.ai's Practical Deep Learning course")).to_be_visible()
    expect(page.get_by_text("Finish a deep learning course")).to_have_count(0)
    expect(page.get_by_text("Draft: only staff")).to_have_count(0)
    item.refresh_from_db()
    assert item.key == "finish-a-deep-learning-course"

    # A restart (what `make run` runs before it serves) keeps the edit: the database is the
    # catalog's source of truth once it has one.
    out = run_make_run_steps()
    assert "nothing was loaded" in out
    page.reload()
    expect(page.get_by_text("Finish fast.ai's Practical Deep Learning course")).to_be_visible()
    item.refresh_from_db()
    assert item.title == "Finish fast.ai's Practical Deep Learning course"
