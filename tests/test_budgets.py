"""Performance budgets: one small stylesheet, htmx the only script, compressed HTML, and a fixed
number of queries for each anonymous catalog page rendered afresh (a page cache miss).
tests/careers/test_query_budgets.py checks those counts are the same for a small and a large
catalog; here they are pinned, so a new query on a page is a decision, not an accident."""

import gzip
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import Role, Transition
from tests.factories import make_member, make_plan, make_role, make_transition

pytestmark = pytest.mark.django_db

STYLESHEET_BUDGET = 30 * 1024
HTMX_SRC = re.compile(r"^/static/django_htmx/htmx-2(\.min)?(\.[0-9a-f]{12})?\.js$")


@pytest.fixture
def pages(catalog, frozen):
    """Every kind of page: (client, url), anonymous and a member's."""
    transition = Transition.objects.published().first()
    background = transition.from_role
    member = make_member(email="grace@example.com", display_name="Grace")
    plan = make_plan(member, transition)
    signed_in = Client()
    signed_in.force_login(member)
    anonymous = Client()
    return [
        (anonymous, "/"),
        (anonymous, reverse("careers:roles")),
        (anonymous, reverse("careers:roles") + f"?compare={transition.to_role.slug}"),
        (anonymous, transition.to_role.get_absolute_url()),
        (anonymous, background.get_absolute_url()),
        (anonymous, reverse("careers:transitions")),
        (anonymous, transition.get_absolute_url()),
        (anonymous, reverse("careers:glossary")),
        (anonymous, reverse("careers:pathfinder")),
        (anonymous, reverse("account_login")),
        (anonymous, reverse("account_signup")),
        (anonymous, "/no-such-page/"),
        (signed_in, reverse("roadmaps:dashboard")),
        (signed_in, reverse("roadmaps:plan", args=[plan.pk])),
        (signed_in, reverse("accounts:preferences")),
        (signed_in, "/"),
    ]


def test_every_page_links_one_stylesheet_under_its_budget(pages):
    stylesheet = settings.BASE_DIR / "static" / "css" / "site.css"
    assert stylesheet.stat().st_size < STYLESHEET_BUDGET
    for client, url in pages:
        html = client.get(url).content.decode()
        links = re.findall(r"<link[^>]*>", html)
        sheets = [link for link in links if 'rel="stylesheet"' in link]
        assert sheets == ['<link rel="stylesheet" href="/static/css/site.css">'], url
        assert "<style" not in html, url


def test_the_only_script_on_any_page_is_htmx(pages):
    for client, url in pages:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert len(scripts) == 1, url
        attributes, body = scripts[0]
        assert body == "", url  # nothing inline
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        assert HTMX_SRC.match(src), (url, src)


def test_an_html_page_is_gzipped_for_a_browser_that_accepts_it(catalog):
    url = reverse("careers:transitions")
    plain = Client().get(url)
    assert "Content-Encoding" not in plain
    assert b"</html>" in plain.content
    packed = Client().get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_a_members_page_is_gzipped_too(catalog):
    member = make_member(email="grace@example.com")
    client = Client()
    client.force_login(member)
    url = reverse("accounts:preferences")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "<h1>Preferences</h1>" in html
    assert "no-store" in response["Cache-Control"]


def test_the_preferences_page_is_under_20_kb(catalog):
    member = make_member(email="grace@example.com")
    client = Client()
    client.force_login(member)
    assert len(client.get(reverse("accounts:preferences")).content) < 20 * 1024


def own_queries(client, url) -> int:
    """Queries a page runs when rendered afresh, not counting the page cache's own (the
    database cache's table and savepoints here; Redis commands in production)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.templates  # rendered, not served from the cache
    sql = [q["sql"] for q in ctx.captured_queries]
    return len([q for q in sql if "waypoint_" not in q and "SAVEPOINT" not in q])


# Queries each anonymous catalog page runs on a cache miss, with the shipped catalog.
MISS_QUERIES = {
    "home": 4,
    "roles": 4,
    "compare": 4,
    "role": 5,
    "background": 2,
    "transitions": 2,
    "filtered transitions": 2,
    "transition": 10,  # with its sources (issue 14)
    "glossary": 1,
    "path finder": 9,
}


def test_each_anonymous_catalog_page_runs_a_fixed_number_of_queries(catalog):
    transition = Transition.objects.published().first()
    urls = {
        "home": "/",
        "roles": reverse("careers:roles"),
        "compare": reverse("careers:roles") + f"?compare={transition.to_role.slug}",
        "role": transition.to_role.get_absolute_url(),
        "background": transition.from_role.get_absolute_url(),
        "transitions": reverse("careers:transitions"),
        "filtered transitions": reverse("careers:transitions")
        + f"?background={transition.from_role.slug}&difficulty={transition.difficulty}",
        "transition": transition.get_absolute_url(),
        "glossary": reverse("careers:glossary"),
        "path finder": reverse("careers:pathfinder"),
    }
    counts = {name: own_queries(Client(), url) for name, url in urls.items()}
    assert counts == MISS_QUERIES


def test_the_path_finder_runs_as_many_queries_for_a_small_as_a_large_catalog(db):
    url = reverse("careers:pathfinder") + "?hours=10&months=12&phd=no"
    make_transition(from_role=make_role(kind=Role.Kind.BACKGROUND), phases=1, tasks=1)
    small = own_queries(Client(), url)
    background = make_role(kind=Role.Kind.BACKGROUND)
    for _ in range(12):
        make_transition(from_role=background, phases=6, tasks=8)
    large = own_queries(Client(), url)
    assert small == large
