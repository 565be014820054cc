"""What search engines and browsers ask of every site: the canonical address of a public page
(on SITE_URL, never the request's Host), robots.txt and /favicon.ico."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

# URL namespaces whose pages are public and indexable: the catalog. Every other page a crawler
# can reach (account forms, error pages outside the catalog) is `noindex`. Pages that need a
# signed-in member carry no robots directive: a crawler is never signed in, so it only ever
# gets the sign-in redirect there (and a directive on them only costs Lighthouse's SEO check).
PUBLIC_NAMESPACES = {"careers"}


def canonical(request: HttpRequest) -> dict:
    """`canonical_url`: SITE_URL and this page's path, without its query string, for a public
    catalog page; None elsewhere (base.html then says `noindex`). `site_url` for templates
    that build a canonical address with a normalised query (the roles comparison)."""
    match = getattr(request, "resolver_match", None)
    url = None
    if match is not None and match.namespace in PUBLIC_NAMESPACES:
        url = settings.SITE_URL + escape_uri_path(request.path)
    return {"canonical_url": url, "site_url": settings.SITE_URL}


# Paths no crawler needs: account forms, staff pages, calendar feeds, a plan's start form.
# Members' dashboards and plans are not listed: nothing public links to them, and a crawler
# that finds one is sent to sign in.
DISALLOWED = [
    "/accounts/",
    "/calendar/",
    "/transitions/*/start/",
    "/admin/",
    "/staff/",
]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG icon
    (a temporary redirect, as the icon's hashed static name changes with its content)."""
    response = redirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
