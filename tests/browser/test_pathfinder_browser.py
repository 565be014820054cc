"""A visitor answers the path finder from the home page, on a phone, and sees ranked roles."""

import re

from playwright.sync_api import Page, expect

from tests.careers.test_pathfinder_page import build_pathfinder_catalog


def test_a_visitor_answers_the_path_finder_and_sees_ranked_roles(page: Page, live_server):
    build_pathfinder_catalog()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Which AI role fits me?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which AI role fits me?")

    page.get_by_label("Your background").select_option(label="Software Engineer")
    page.get_by_label("Pay market").select_option("US Big Tech")
    page.get_by_text("Skills you already have").first.click()  # opens the <details>
    page.get_by_role("group", name="Programming and engineering").get_by_label("Python").check()
    page.get_by_role("group", name="What you enjoy").get_by_label("Building and shipping").check()
    page.get_by_label("Hours a week").fill("5")
    page.get_by_label("Months available").fill("12")
    page.get_by_role("group", name="Would you do a PhD?").get_by_label("No").check()
    page.get_by_role("button", name="Rank the roles").click()

    expect(page).to_have_url(re.compile(r"/path-finder/\?.*skills=python.*#results"))
    results = page.get_by_role("region", name="Your AI roles, best fit first")
    first = results.locator(".pathfinder-result").first
    expect(first.get_by_role("heading")).to_contain_text("ML Engineer")
    expect(first.get_by_role("heading")).to_contain_text("59")
    expect(first).to_contain_text("You already have 1 of its 3 skills: Python.")
    expect(first).to_contain_text("32 weeks at your 5 hours a week, which fits in your 12 months.")
    expect(first).to_contain_text("Pay in US Big Tech: $150,000 – $250,000.")
    start = first.get_by_role("link", name="Start this plan")
    expect(start).to_have_attribute(
        "href", "/transitions/swe-to-mle/start/?skills=python&hours=5&months=12"
    )
    expect(results).to_contain_text("It usually requires a PhD, which you would rather not do")
    # The answers stay on the form, nothing overflows a phone and the CSP blocked nothing.
    expect(page.get_by_label("Hours a week")).to_have_value("5")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert not [e for e in errors if "Content Security Policy" in e], errors
