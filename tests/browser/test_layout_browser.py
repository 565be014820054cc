"""Layout on a phone and on paper: nothing scrolls sideways at 375 px, the signed-in header stays
compact with its menu working without JavaScript, chart text is readable, the plan prints."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from careers.models import Role, Transition
from roadmaps.models import CheckIn
from tests.factories import make_plan

SEED = "software-engineer-to-ai-interpretability-researcher"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def browser_context_args(browser_context_args, request):
    if request.node.get_closest_marker("no_javascript"):
        return {**browser_context_args, "java_script_enabled": False}
    return browser_context_args


@pytest.fixture
def plan(signed_in):
    """A plan five months in (its first phase past), one item done, three weekly check-ins."""
    transition = Transition.objects.get(slug=SEED)
    today = timezone.localdate()
    plan = make_plan(signed_in, transition, start_date=today - datetime.timedelta(days=150))
    first = transition.phases.order_by("order").first().items.order_by("order").first()
    plan.set_item_state(first, "done", now=timezone.now())
    for weeks_ago in (1, 2, 3):
        monday = today - datetime.timedelta(days=today.weekday() + 7 * weeks_ago)
        CheckIn.objects.create(plan=plan, week=monday, hours=4 + weeks_ago, confidence=3)
    return plan


def page_urls(plan) -> dict[str, str]:
    role = Role.objects.order_by("slug").first()
    compare = "&".join(f"compare={r.slug}" for r in Role.objects.order_by("slug")[:3])
    return {
        "home": "/",
        "roles": "/roles/",
        "role": role.get_absolute_url(),
        "compare": f"/roles/?{compare}",
        "transitions": "/transitions/",
        "transition": f"/transitions/{SEED}/",
        "glossary": "/glossary/",
        "path finder": "/path-finder/",
        "dashboard": "/dashboard/",
        "plan": plan.get_absolute_url(),
        "check-in": f"/plans/{plan.id}/checkins/",
        "history": f"/plans/{plan.id}/checkins/history/",
        "settings": f"/plans/{plan.id}/settings/",
        "preferences": "/accounts/preferences/",
    }


@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_on_a_phone_and_the_header_stays_compact(
    page: Page, live_catalog, plan
):
    page.set_viewport_size(PHONE)
    for name, url in page_urls(plan).items():
        page.goto(live_catalog.url + url)
        # Open every disclosure (chart tables, past phases) so hidden content is measured too.
        page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths == [375, 375], f"{name} scrolls sideways: {widths}"
        wide = page.evaluate(
            """[...document.querySelectorAll('main table, main svg, main .table-scroll')]
               .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
               .map(e => e.tagName + ' ' + e.getAttribute('class'))"""
        )
        assert wide == [], f"{name} has a box that scrolls sideways: {wide}"
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 100, f"{name}: header {header['height']} px tall"


@pytest.mark.no_javascript
@pytest.mark.django_db(transaction=True)
def test_the_phone_menu_opens_without_javascript_and_marks_the_current_page(
    page: Page, live_catalog, plan
):
    page.set_viewport_size(PHONE)
    page.goto(live_catalog.url + "/dashboard/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= 100

    # On a wide screen the same nav is inline, with no menu button.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Roles")
    ).to_be_visible()
    for _ in range(3):  # skip link, brand, then the first nav link: reachable by keyboard
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Roles")).to_be_focused()


# Labels running past their chart's right edge (cut off, or pushing the page sideways); on the
# left, past the y axis.
LABELS_OUTSIDE_THEIR_CHART = """
[...document.querySelectorAll('.chart-svg text')].filter(t => t.getClientRects().length).filter(t => {
  const box = t.getBoundingClientRect(), svg = t.ownerSVGElement.getBoundingClientRect();
  return box.left < svg.left - 1 || box.right > svg.right + 1;
}).map(t => t.textContent)"""

RENDERED_AXIS_TEXT = """
[...document.querySelectorAll('.chart-axis')].filter(t => t.getClientRects().length).map(t => {
  const svg = t.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""


@pytest.mark.django_db(transaction=True)
def test_chart_axis_text_renders_at_12px_or_more_on_a_phone_and_a_desktop(
    page: Page, live_catalog, plan
):
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        page.set_viewport_size(viewport)
        for url, least in (
            (plan.get_absolute_url(), 5),
            (f"/plans/{plan.id}/checkins/history/", 10),
        ):
            page.goto(live_catalog.url + url)
            sizes = page.evaluate(RENDERED_AXIS_TEXT)
            assert len(sizes) >= least  # the charts' labels, one drawing of each shown
            assert min(sizes) >= 12, (viewport, url, min(sizes))
            assert page.evaluate(LABELS_OUTSIDE_THEIR_CHART) == [], (viewport, url)
    assert page.locator(".chart-svg:visible").count() == 2  # not both drawings at once


@pytest.mark.django_db(transaction=True)
def test_the_plan_prints_as_a_roadmap_with_dates_and_tick_state(page: Page, live_catalog, plan):
    page.goto(live_catalog.url + plan.get_absolute_url())
    assert page.locator(".group details:not([open])").count() >= 1  # a past phase, collapsed
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumb", "form.item-state", ".weeks"):
        expect(page.locator(hidden).first).to_be_hidden()
    items = page.locator("li.item")
    assert items.count() > 30
    for n in range(items.count()):  # every phase printed open: each title and date shows
        row = items.nth(n)
        expect(row.locator(".item-title")).to_be_visible()
        expect(row.locator(".item-meta time").last).to_be_visible()
    marks = page.evaluate(
        """[...document.querySelectorAll('li.item')].map(li =>
             getComputedStyle(li, '::before').content)"""
    )
    assert marks.count('"✓"') == 1 and marks.count('"☐"') == len(marks) - 1
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 2


@pytest.mark.django_db(transaction=True)
def test_staff_insights_charts_read_at_12px_or_more_and_fit_a_phone(
    page: Page, live_catalog, signed_in
):
    from tests.factories import make_member

    today = timezone.localdate()
    member = make_member(email="follower@example.com")
    plan = make_plan(
        member,
        Transition.objects.get(slug=SEED),
        start_date=today - datetime.timedelta(days=60),
    )
    for weeks_ago in (1, 2):
        monday = today - datetime.timedelta(days=today.weekday() + 7 * weeks_ago)
        CheckIn.objects.create(plan=plan, week=monday, hours=5, confidence=3)
    signed_in.is_staff = True
    signed_in.save()
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        page.set_viewport_size(viewport)
        page.goto(live_catalog.url + "/staff/insights/")
        expect(page.locator("h1")).to_have_text("Staff insights")
        sizes = page.evaluate(RENDERED_AXIS_TEXT)
        assert len(sizes) >= 8  # the rate chart's axes and the progress chart's row
        assert min(sizes) >= 12, (viewport, min(sizes))
        assert page.evaluate(LABELS_OUTSIDE_THEIR_CHART) == [], viewport
        assert page.locator(".chart-svg:visible").count() == 2  # one drawing of each chart
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.django_db(transaction=True)
def test_the_first_tick_shows_on_a_phones_first_screen_with_a_full_week(
    page: Page, live_catalog, plan, signed_in
):
    signed_in.checkin_weekday = 0  # a check-in is always due: the banner shows
    signed_in.save(update_fields=["checkin_weekday"])
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_catalog.url + plan.get_absolute_url())
    expect(page.locator(".due-banner")).to_be_visible()
    expect(page.locator(".focus-list").first.locator("li")).to_have_count(3)
    expect(page.locator(".focus-more summary")).to_have_text("5 more due this week")
    tick = page.locator("button.tick:visible").first  # past phases are folded
    box = tick.bounding_box()
    assert box["y"] + box["height"] <= 740, box
    assert page.evaluate("window.scrollY") == 0
    # the rest of the week is one tap away, and every row links to its item
    page.locator(".focus-more summary").click()
    expect(page.locator(".focus-more li")).to_have_count(5)
    first = page.locator(".focus-list a").first
    item = first.get_attribute("href")
    assert page.locator(item).locator("button.tick").count() == 1
