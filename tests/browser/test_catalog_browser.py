import re

from playwright.sync_api import Page, expect


def test_visitor_goes_from_home_to_the_seed_000_roadmap(page: Page, live_catalog):
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(live_catalog.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("AI career")

    page.get_by_role("link", name="Software Engineer", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("From Software Engineer into AI")

    page.get_by_role("link", name="Software Engineer → AI Interpretability Researcher").click()
    expect(page).to_have_url(re.compile(r"/transitions/software-engineer-to-ai-interpretability"))
    roadmap = page.get_by_role("region", name="Learning roadmap")
    expect(roadmap.locator(".phase")).to_have_count(4)
    expect(roadmap.locator(".phase-weeks")).to_have_text(
        ["12 weeks", "10 weeks", "8 weeks", "6 weeks"]
    )
    expect(roadmap.locator(".task-list li")).to_have_count(16)
    expect(
        roadmap.get_by_text("Set up a GitHub repository for interpretability projects")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Start this transition")).to_be_visible()
    # Nothing was blocked by the Content-Security-Policy, and the stylesheet applied.
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")


def test_pages_fit_a_phone_screen(page: Page, live_catalog):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in [
        "/",
        "/roles/",
        "/transitions/software-engineer-to-ai-interpretability-researcher/",
    ]:
        page.goto(live_catalog.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)


def test_dark_mode_follows_the_system_setting(page: Page, live_catalog):
    page.emulate_media(color_scheme="dark")
    page.goto(live_catalog.url + "/")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="light")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark == "rgb(17, 20, 27)"
    assert light == "rgb(251, 250, 247)"


def test_keyboard_focus_is_visible(page: Page, live_catalog):
    page.goto(live_catalog.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
