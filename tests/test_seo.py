"""Page basics that search engines and browsers read: favicon, robots.txt, sitemap.xml,
canonical links or noindex, unique titles and descriptions, the page language, the heading
outline and wording."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import Role, Status, Transition
from tests.factories import make_member, make_plan, make_role, make_transition

pytestmark = pytest.mark.django_db

SITE = "https://waypoint.example"
GENERIC = "Compare AI roles, read honest transition guides and follow a dated roadmap into AI."
SEED = "software-engineer-to-ai-interpretability-researcher"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


class Head(HTMLParser):
    """The bits of a page this file checks: <html lang>, <title>, meta description and
    robots, the canonical link, the icon link, and the headings in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.lang = self.title = self.description = self.robots = None
        self.canonicals: list[str] = []
        self.icon = None
        self.headings: list[tuple[int, str]] = []
        self._in_title = False
        self._heading: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title" and self.title is None:  # the page's, not an SVG's <title>
            self._in_title, self.title = True, ""
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "meta" and a.get("name") == "robots":
            self.robots = a.get("content")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonicals.append(a.get("href"))
        elif tag == "link" and a.get("rel") == "icon":
            self.icon = a
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._heading is not None:
            self._heading[1] += data

    @property
    def canonical(self) -> str | None:
        assert len(self.canonicals) <= 1, self.canonicals
        return self.canonicals[0] if self.canonicals else None


def head(client, url: str, status: int = 200, **extra) -> Head:
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code)
    return Head(response.content.decode())


def public_urls() -> dict[str, str]:
    """One URL for each public page type of the shipped catalog."""
    background = Role.objects.published().backgrounds().first()
    return {
        "home": "/",
        "roles": reverse("careers:roles"),
        "compare": reverse("careers:roles") + "?compare=ai-product-manager&compare=ai-ethicist",
        "role": reverse("careers:role", args=["ai-ethicist"]),
        "other role": reverse("careers:role", args=["ai-product-manager"]),
        "background": background.get_absolute_url(),
        "transitions": reverse("careers:transitions"),
        "transition": reverse("careers:transition", args=[SEED]),
        "glossary": reverse("careers:glossary"),
        "path finder": reverse("careers:pathfinder"),
    }


def skipped_levels(headings: list[tuple[int, str]]) -> list[str]:
    """Headings that go more than one level deeper than the one before (h1 → h3); the first
    heading must be the h1."""
    problems, previous = [], 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"h{previous} → h{level} {text!r}")
        previous = level
    return problems


# --- Favicon, robots.txt ------------------------------------------------------------------


def test_every_page_links_the_svg_favicon_which_exists(client, catalog):
    icon = head(client, "/").icon
    assert icon["type"] == "image/svg+xml" and icon["href"].endswith("favicon.svg")
    svg = finders.find("img/favicon.svg")
    assert svg and "<svg" in Path(svg).read_text()


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/img/favicon.svg")


def test_robots_txt_allows_the_catalog_and_keeps_crawlers_off_member_pages(client):
    response = client.get("/robots.txt", HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    for path in ["/accounts/", "/admin/", "/staff/", "/calendar/"]:
        assert f"Disallow: {path}" in lines
    for path in ["/dashboard/", "/plans/"]:  # sign-in only: a crawler is sent to sign in
        assert f"Disallow: {path}" not in lines
    assert "Disallow: /transitions/*/start/" in lines
    assert not any(line in {"Disallow: /", "Disallow: /roles/"} for line in lines)
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "evil.example" not in response.content.decode()


# --- sitemap.xml --------------------------------------------------------------------------


def sitemap_locs(client, **extra) -> list[str]:
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_sitemap_lists_every_public_catalog_page_on_site_url(client, catalog):
    locs = sitemap_locs(client)
    expected = {SITE + path for path in ["/", "/roles/", "/transitions/", "/glossary/"]}
    expected.add(SITE + "/path-finder/")
    expected |= {SITE + r.get_absolute_url() for r in Role.objects.published()}
    expected |= {SITE + t.get_absolute_url() for t in Transition.objects.published()}
    assert set(locs) == expected
    assert len(locs) == len(expected)  # each once
    assert SITE + reverse("careers:transition", args=[SEED]) in locs
    assert any("/from/" in loc for loc in locs)  # background pages too


def test_sitemap_leaves_out_drafts_and_transitions_into_draft_roles(client, catalog):
    draft = make_transition(status=Status.DRAFT, slug="a-draft-guide")
    hidden_role = make_role(status=Status.DRAFT, slug="a-draft-role")
    into_draft_role = make_transition(to_role=hidden_role, slug="into-a-draft-role")
    locs = "\n".join(sitemap_locs(client))
    assert draft.get_absolute_url() not in locs
    assert into_draft_role.get_absolute_url() not in locs
    assert "/roles/a-draft-role/" not in locs


def test_sitemap_ignores_a_spoofed_host(client, catalog):
    locs = sitemap_locs(client, HTTP_HOST="evil.example")
    assert locs and all(loc.startswith(SITE + "/") for loc in locs)


def test_sitemap_gives_lastmod_from_the_rows_update_time(client, catalog):
    transition = Transition.objects.get(slug=SEED)
    xml = client.get("/sitemap.xml").content.decode()
    entry = xml[xml.index(SITE + transition.get_absolute_url()) :]
    entry = entry[: entry.index("</url>")]
    assert f"<lastmod>{transition.updated_at.date().isoformat()}" in entry


def test_sitemap_queries_do_not_grow_with_the_catalog(client, catalog):
    with CaptureQueriesContext(connection) as before:
        client.get("/sitemap.xml")
    for _ in range(3):
        make_transition()
    with CaptureQueriesContext(connection) as after:
        locs = sitemap_locs(client)
    assert len(after) == len(before)
    assert (
        len(locs) == Role.objects.published().count() + Transition.objects.published().count() + 5
    )


# --- Canonical links and noindex ----------------------------------------------------------


def test_public_pages_name_their_canonical_address_on_site_url(client, catalog):
    for name, url in public_urls().items():
        if name == "compare":
            continue
        page = head(client, url, HTTP_HOST="evil.example")
        assert page.canonical == SITE + url, name
        assert page.robots is None, name


def test_filtered_transitions_canonicalise_to_the_plain_list(client, catalog):
    background = Role.objects.published().backgrounds().first()
    url = reverse("careers:transitions") + f"?background={background.slug}&difficulty=moderate"
    assert head(client, url).canonical == SITE + "/transitions/"


def test_a_comparison_canonicalises_to_its_roles_once_each_in_catalog_order(client, catalog):
    roles = list(Role.objects.published().ai_roles())
    first, second = roles[1], roles[3]
    query = f"?compare={second.slug}&compare=nope&compare={first.slug}&compare={second.slug}"
    canonical = head(client, "/roles/" + query).canonical
    assert canonical == f"{SITE}/roles/?compare={first.slug}&compare={second.slug}"
    # The same two roles asked for the other way round: the same canonical address.
    other = head(client, f"/roles/?compare={first.slug}&compare={second.slug}").canonical
    assert other == canonical


def test_comparing_every_role_or_none_canonicalises_to_the_plain_list(client, catalog):
    everything = "&".join(f"compare={r.slug}" for r in Role.objects.published().ai_roles())
    assert head(client, "/roles/?" + everything).canonical == SITE + "/roles/"
    assert head(client, "/roles/?compare=nope").canonical == SITE + "/roles/"


def test_path_finder_results_canonicalise_to_the_path_finder(client, catalog):
    url = reverse("careers:pathfinder") + "?hours=10&months=12&phd=no"
    assert head(client, url).canonical == SITE + "/path-finder/"


def test_a_draft_previewed_by_staff_is_noindex(admin_client, catalog):
    draft = make_transition(status=Status.DRAFT)
    page = head(admin_client, draft.get_absolute_url())
    assert page.robots == "noindex" and page.canonical is None
    role = make_role(status=Status.DRAFT)
    page = head(admin_client, role.get_absolute_url())
    assert page.robots == "noindex" and page.canonical is None


def test_not_found_pages_are_noindex(client, catalog):
    for url in ["/roles/no-such-role/", "/no-such-page/"]:
        page = head(client, url, status=404)
        assert page.robots == "noindex" and page.canonical is None


# --- Every page type: titles, descriptions, language, headings ----------------------------


@pytest.fixture
def walker(db):
    return make_member(email="walker@example.com")


@pytest.fixture
def member_pages(catalog, frozen, walker):
    """Member and account pages for a signed-in member (`walker`), by name."""
    member = walker
    transition = Transition.objects.get(slug=SEED)
    plan = make_plan(member, transition, start_date=frozen.date() - timedelta(weeks=3))
    others = Transition.objects.published().exclude(pk=transition.pk)
    other = make_plan(member, others[0])
    item = transition.roadmap_items.filter(kind="task").first()
    this_week = frozen.date() - timedelta(days=frozen.weekday())
    last_week = this_week - timedelta(weeks=1)
    return {
        "dashboard": reverse("roadmaps:dashboard"),
        "plan": plan.get_absolute_url(),
        "other plan": other.get_absolute_url(),
        "start": reverse("roadmaps:start", args=[others[1].slug]),
        "settings": reverse("roadmaps:settings", args=[plan.id]),
        "other settings": reverse("roadmaps:settings", args=[other.id]),
        "pause": reverse("roadmaps:status", args=[plan.id]) + "?status=paused",
        "leave": reverse("roadmaps:status", args=[plan.id]) + "?status=archived",
        "check-in": reverse("roadmaps:checkin", args=[plan.id]),
        "last week's check-in": reverse(
            "roadmaps:checkin_week", args=[plan.id, last_week.isoformat()]
        ),
        "check-ins": reverse("roadmaps:checkin_history", args=[plan.id]),
        "note": reverse("roadmaps:item_note", args=[plan.id, item.id]),
        "calendar": reverse("roadmaps:calendar"),
        "preferences": reverse("accounts:preferences"),
        "delete": reverse("accounts:delete"),
        "email": reverse("account_email"),
        "password": reverse("account_change_password"),
        "sign out": reverse("account_logout"),
    }


ANONYMOUS_ACCOUNT_PAGES = {
    "sign in": "/accounts/login/",
    "sign up": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
    "reset sent": "/accounts/password/reset/done/",
    "verification sent": "/accounts/confirm-email/",
    "bad reset link": "/accounts/password/reset/key/x-y/",
}


def test_every_page_type_has_its_own_title(client, catalog, member_pages, superuser, walker):
    titles: dict[str, str] = {}
    for name, url in {**public_urls(), **ANONYMOUS_ACCOUNT_PAGES}.items():
        titles[name] = head(client, url).title
    client.force_login(walker)
    for name, url in member_pages.items():
        titles[name] = head(client, url).title
    client.force_login(superuser)
    titles["insights"] = head(client, "/staff/insights/").title
    seen: dict[str, str] = {}
    for name, title in titles.items():
        assert title and title.endswith(" · Waypoint"), (name, title)
        assert title not in seen, f"{name!r} and {seen.get(title)!r} are both titled {title!r}"
        seen[title] = name
    assert titles["pause"] == "Pause your plan · Waypoint"
    assert titles["leave"] == "Leave your plan · Waypoint"
    assert titles["check-in"] == "Check-in for week of 8 Mar 2027 · Waypoint"
    assert titles["last week's check-in"] == "Check-in for week of 1 Mar 2027 · Waypoint"


def test_public_pages_have_their_own_content_based_descriptions(client, catalog):
    descriptions = {name: head(client, url).description for name, url in public_urls().items()}
    for name, description in descriptions.items():
        assert description and description != GENERIC, name
        assert "\n" not in description and "{" not in description, name
    assert len(set(descriptions.values()) - {descriptions["roles"]}) == len(descriptions) - 2
    assert descriptions["compare"] == descriptions["roles"]  # one page, canonically
    role = Role.objects.get(slug="ai-ethicist")
    assert descriptions["role"] == role.summary
    transition = Transition.objects.get(slug=SEED)
    expected = (
        f"From {transition.from_role.name} to {transition.to_role.name}: a "
        f"{transition.get_difficulty_display().lower()} move over "
        f"{transition.timeline_min_months}–{transition.timeline_max_months} months"
    )
    assert descriptions["transition"].startswith(expected)


def test_account_pages_are_noindex_and_member_pages_have_no_canonical_link(
    client, catalog, member_pages, walker
):
    """Crawlers reach the account forms, which say noindex; member pages need signing in, so
    a crawler only ever gets the sign-in redirect there, and they carry no directive."""
    for name, url in ANONYMOUS_ACCOUNT_PAGES.items():
        page = head(client, url)
        assert page.robots == "noindex" and page.canonical is None, name
    for name, url in member_pages.items():
        assert client.get(url).status_code == 302, name  # a crawler: sent to sign in
    client.force_login(walker)
    for name, url in member_pages.items():
        page = head(client, url)
        assert page.robots is None and page.canonical is None, name


def test_pages_declare_the_site_language(client, catalog):
    assert settings.LANGUAGE_CODE == "en-gb"
    assert head(client, "/").lang == "en-gb"
    assert head(client, "/accounts/login/").lang == "en-gb"


def test_no_page_skips_a_heading_level(client, catalog, member_pages, walker):
    background = Role.objects.published().backgrounds().first()
    pages = {
        **public_urls(),
        "filtered transitions": f"/transitions/?background={background.slug}",
        "path finder results": "/path-finder/?hours=10&months=12&phd=no",
        **ANONYMOUS_ACCOUNT_PAGES,
    }
    for name, url in pages.items():
        headings = head(client, url).headings
        assert headings and headings[0][0] == 1, name
        assert skipped_levels(headings) == [], name
    client.force_login(walker)
    for name, url in member_pages.items():
        assert skipped_levels(head(client, url).headings) == [], name


def test_the_transition_list_puts_its_cards_under_an_h2(client, catalog):
    headings = head(client, "/transitions/").headings
    assert headings[:2] == [(1, "Transitions into AI"), (2, "All transitions")]
    assert {level for level, _ in headings[2:]} == {3}


def test_skipped_levels_finds_a_jump():
    assert skipped_levels([(1, "a"), (3, "b")]) == ["h1 → h3 'b'"]
    assert skipped_levels([(2, "a")]) == ["h0 → h2 'a'"]
    assert skipped_levels([(1, "a"), (2, "b"), (3, "c"), (2, "d"), (3, "e")]) == []


# --- Wording ------------------------------------------------------------------------------


def test_sign_in_offers_to_keep_me_signed_in(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Keep me signed in" in html
    assert "Remember Me" not in html


def test_no_page_says_s_in_brackets(client, catalog, member_pages, walker):
    for url in [*public_urls().values(), *ANONYMOUS_ACCOUNT_PAGES.values()]:
        assert "(s)" not in client.get(url).content.decode(), url
    client.force_login(walker)
    for url in member_pages.values():
        assert "(s)" not in client.get(url).content.decode(), url


def test_the_pace_preview_says_one_hour_not_one_hours(client, catalog, frozen):
    member = make_member()
    plan = make_plan(member, Transition.objects.get(slug=SEED))
    client.force_login(member)
    url = reverse("roadmaps:settings", args=[plan.id])
    response = client.get(url, {"pace_months": plan.pace_months, "hours_per_week": 1, "preview": 1})
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "At 1 hour a week (about" in text
    assert "1 hours" not in text
