"""sitemap.xml: the public catalog's pages, on SITE_URL whatever Host the request named."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from careers.models import Role, Transition


class OnSiteURL(Sitemap):
    """Absolute URLs on settings.SITE_URL: the sitemap view would build them from the request's
    Host header, which the client chooses."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PagesSitemap(OnSiteURL):
    """The catalog's fixed pages."""

    names = [
        "careers:home",
        "careers:roles",
        "careers:transitions",
        "careers:pathfinder",
        "careers:glossary",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class RolesSitemap(OnSiteURL):
    """Every published role page: AI roles and the backgrounds people come from."""

    def items(self):
        return Role.objects.published().only("slug", "kind", "updated_at")

    def lastmod(self, role):
        return role.updated_at


class TransitionsSitemap(OnSiteURL):
    """Every published transition (both its roles published too); never drafts."""

    def items(self):
        return Transition.objects.published().only("slug", "updated_at")

    def lastmod(self, transition):
        return transition.updated_at


SITEMAPS = {"pages": PagesSitemap, "roles": RolesSitemap, "transitions": TransitionsSitemap}
