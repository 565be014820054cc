"""Cross-cutting: CSP, no inline script or style, health check."""

import re

import pytest
from django.urls import reverse

from careers.models import Role, Transition

pytestmark = pytest.mark.django_db


def public_urls():
    role = Role.objects.ai_roles().first()
    return [
        "/",
        reverse("careers:roles"),
        role.get_absolute_url(),
        reverse("careers:background", args=["software-engineer"]),
        reverse("careers:transitions"),
        Transition.objects.first().get_absolute_url(),
        reverse("careers:glossary"),
    ]


def test_public_pages_send_a_strict_csp(client, catalog):
    for url in public_urls():
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_public_pages_have_no_inline_script_style_or_handlers(client, catalog):
    for url in public_urls():
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"\s(data-)?hx-on", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "<style" not in html, url


def test_htmx_is_served_by_the_app(client, catalog):
    html = client.get("/").content.decode()
    src = re.search(r'<script[^>]+src="([^"]*htmx[^"]*)"', html).group(1)
    assert src.startswith("/static/")
    assert '"includeIndicatorStyles": false' in html


def test_healthz_answers_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_unknown_page_is_a_friendly_404(client, catalog):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_templates_write_htmx_attributes_as_valid_data_attributes():
    """The Nu HTML checker rejects bare hx-* attributes; htmx reads data-hx-* the same way."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    bare = []
    for path in root.rglob("*.html"):
        for match in re.finditer(r"(?<![\w-])hx-[a-z-]+=", path.read_text()):
            bare.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert bare == []
    assert "data-hx-post=" in (root / "roadmaps" / "plan.html").read_text()
