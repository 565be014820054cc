"""The whole personal path on the shipped catalog: path finder answers, the top role's plan
started with the skills held, those items already known and the plan shorter for them."""

import re

import pytest
from playwright.sync_api import Page, expect

from careers.models import Transition
from roadmaps.models import Plan


@pytest.mark.django_db(transaction=True)
def test_from_the_path_finder_to_a_tailored_plan(page: Page, live_catalog, signed_in):
    base = live_catalog.url
    page.goto(base + "/")
    page.get_by_role("link", name="Which AI role fits me?").click()
    page.get_by_label("Your background").select_option(label="Software Engineer")
    page.get_by_text("Skills you already have").first.click()  # opens the <details>
    skills = page.get_by_role("group", name="Programming and engineering")
    skills.get_by_label("Python programming").check()
    skills.get_by_label("Version control (git)").check()
    page.get_by_role("group", name="What you enjoy").get_by_label("Research").check()
    page.get_by_label("Hours a week").fill("10")
    page.get_by_label("Months available").fill("12")
    page.get_by_role("group", name="Would you do a PhD?").get_by_label("No").check()
    page.get_by_role("button", name="Rank the roles").click()

    # Ranked, with reasons in plain words.
    results = page.get_by_role("region", name="Your AI roles, best fit first")
    first = results.locator(".pathfinder-result").first
    # Ranked by fit (the scores descend), each role saying why in plain words.
    scores = [
        int(re.search(r"(\d+) out of 100", text).group(1))
        for text in results.locator(".pathfinder-score").all_text_contents()
    ]
    assert len(scores) >= 5 and scores == sorted(scores, reverse=True)
    expect(first).to_contain_text(re.compile(r"You already have \d+ of its \d+ skills: .*Python"))
    expect(first).to_contain_text("Still to learn:")
    expect(first).to_contain_text("at your 10 hours a week")
    first.get_by_role("link", name="Start this plan").click()

    # The start form carries the answers: the skills held that this roadmap teaches are ticked,
    # and they shorten the plan.
    expect(page).to_have_url(re.compile(r"/start/\?.*skills=python.*hours=10"))
    slug = re.search(r"/transitions/([^/]+)/start/", page.url).group(1)
    transition = Transition.objects.get(slug=slug)
    taught = {s for i in transition.roadmap_items.all() for s in i.skills.all()}
    held = [s for s in taught if s.slug in {"python", "version-control"}]
    assert held, "the top role's roadmap teaches one of the skills held"
    for skill in held:
        expect(page.get_by_label(skill.name)).to_be_checked()
    preview = page.locator("#start-preview")
    expect(preview).to_contain_text("will start as “Already know”")
    shorter = preview.locator("#preview-end").get_attribute("datetime")
    page.get_by_label(held[0].name).uncheck()  # htmx asks for the preview again
    expect(preview.locator("#preview-end")).not_to_have_attribute("datetime", shorter)
    assert preview.locator("#preview-end").get_attribute("datetime") > shorter
    page.get_by_label(held[0].name).check()
    expect(preview.locator("#preview-end")).to_have_attribute("datetime", shorter)

    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")
    expect(page.get_by_text(re.compile(r"\d+ items? marked “Already know”"))).to_be_visible()
    plan = Plan.objects.get(user=signed_in)
    known = plan.progress.filter(state="known")
    assert known.exists()
    expect(page.locator(".state-known")).to_have_count(known.count())
    assert all(
        {s.slug for s in p.item.skills.all()} <= {"python", "version-control"} for p in known
    )
    # The plan page ends where the start form said.
    expect(page.locator(f'time[datetime="{shorter}"]').first).to_be_visible()
