"""Anonymous catalog pages served from the cache, and the catalog version that invalidates them.

The catalog version
    `catalog_version()` is a random token kept in the shared default cache (Redis, or the
    database cache; config.cache), so every app server agrees on it. Any save, delete or
    many-to-many change of a `careers` model replaces it (`catalog_changed`, connected in
    careers.apps for every model of the app, historical ones included), and so does `migrate`.
    Code that changes catalog rows without signals (`QuerySet.update`, bulk_create,
    bulk_update, raw SQL) calls `catalog_changed()` itself. Inside a transaction the version is
    replaced once more when it commits, so a page rendered by another process from the rows
    as they were before the commit cannot be kept under the new version. Member pages may key
    fragment caches on `catalog_version()` to drop them whenever staff change the catalog.

The page cache
    `@anonymous_page()` on a catalog view answers a repeat GET or HEAD from a visitor who is
    not signed in with the page stored the first time, without running the view or rendering
    a template: one read of the version and one of the page. The key is the path, the query
    string (only the parameters the view reads, sorted; a request with any other parameter is
    rendered and not stored, so made-up addresses cannot fill the cache), whether it is an
    htmx request, and a fingerprint of the deployed code and templates (a new release never
    serves pages rendered by the old one). A page is stored with the version read *before* it
    was rendered, and served only while that is still the version.

    Never cached: signed-in visitors (their pages carry their name and a CSRF token and are
    sent `Cache-Control: private, no-store` by config.middleware.private_member_pages), a
    request with pending django.contrib.messages (the page must show them, to that visitor
    only), and a response that is not a 200, sets a cookie, used the CSRF token, or changed
    the session.

    Pages live in the "pages" cache when settings.CACHES has one (a table or key prefix of
    their own, so that culling pages never evicts allauth's rate-limit counters kept in the
    default cache), else in the default cache; each for settings.PAGE_CACHE_SECONDS at most
    (0 turns the page cache off, the default with DEBUG on: a template edited in development
    shows at once).

    Limit: while Redis is down both the version and the pages fall back to the database
    cache (config.cache); a change made during an outage replaces the version there only, so
    for at most PAGE_CACHE_SECONDS after Redis is back it may still serve a page cached before the
    outage.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from functools import cache, wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "careers:catalog-version"
# Whether this thread read the catalog version since it last replaced it (see catalog_changed).
_local = threading.local()


def catalog_version() -> str:
    """The current catalog version: a token that changes whenever the catalog does."""
    _local.read_since_bump = True
    version = default_cache.get(VERSION_KEY)
    if version is None:  # first use, or evicted: whoever adds one first sets it
        default_cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = default_cache.get(VERSION_KEY)
    # A cache that keeps nothing (DummyCache) gives a new version each time: nothing is served.
    return version or uuid.uuid4().hex


def bump_catalog_version() -> None:
    """Replace the catalog version: every page and fragment cached before is dropped."""
    _local.read_since_bump = False
    try:
        default_cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # a staff member's save must not fail because the cache did
        logger.exception("Could not replace the catalog version; cached pages may be stale.")


def _bump_after_commit() -> None:
    bump_catalog_version()


def catalog_changed(*, using: str | None = None, **kwargs) -> None:
    """A catalog row changed (the receiver of post_save, post_delete and m2m_changed).

    Outside a transaction the version is replaced at once. Inside one it is replaced when the
    transaction commits (once, however many rows change), and also at once when this thread
    has read the version since it last replaced it, so that a page read later in the same
    transaction shows the change: a load of a thousand rows costs two cache writes, not
    thousands.
    """
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        bump_catalog_version()
        return
    if not any(entry[1] is _bump_after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit, using=using, robust=True)
    if getattr(_local, "read_since_bump", True):
        bump_catalog_version()


def page_cache():
    return caches["pages"] if "pages" in settings.CACHES else default_cache


@cache
def code_fingerprint() -> str:
    """A digest of the templates, the Python code and the static manifest this process runs."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    paths = [
        p for d in ("templates", "careers", "config", "accounts") for p in (base / d).rglob("*")
    ]
    paths.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(p for p in paths if p.suffix in {".py", ".html", ".json"} and p.is_file()):
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def has_pending_messages(request: HttpRequest) -> bool:
    """Whether a message waits to be shown; checked without marking it shown."""
    return len(messages.get_messages(request)) > 0


def page_key(request: HttpRequest, params: Iterable[str]) -> str | None:
    """The cache key of this request's page, or None when it must not be cached."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in {"GET", "HEAD"}:
        return None
    if any(name not in params for name in request.GET):
        return None
    if request.user.is_authenticated or has_pending_messages(request):
        return None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    htmx = request.headers.get("HX-Request") == "true"
    raw = f"{code_fingerprint()}|{request.path}|{query}|{int(htmx)}"
    return "careers:page:" + hashlib.sha256(raw.encode()).hexdigest()


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A page anyone may be sent: nothing in it or about it belongs to this visitor."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not (session is not None and session.modified)
        and not request.user.is_authenticated
        and "private" not in response.get("Cache-Control", "")
        and not getattr(response, "not_for_page_cache", False)
    )


def do_not_store(response: HttpResponse) -> HttpResponse:
    """Keep this response out of the page cache (the view answered a query it does not know:
    storing every made-up address would let anyone fill the cache)."""
    response.not_for_page_cache = True
    return response


def anonymous_page(params: Iterable[str] = ()) -> Callable:
    """Serve the view's page to visitors who are not signed in from the cache (see above).
    `params`: the query parameters the view reads."""
    params = frozenset(params)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = page_key(request, params)
            if key is None:
                return view(request, *args, **kwargs)
            version = catalog_version()
            pages = page_cache()
            entry = pages.get(key)
            if entry is not None and entry[0] == version:
                _, headers, content = entry
                return HttpResponse(content, headers=headers)
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["HX-Request"])
            if storable(request, response):
                entry = (version, dict(response.items()), response.content)
                pages.set(key, entry, settings.PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorator


# A page or fragment kept with this in place of its CSRF token (rendered with it as the
# context's `csrf_token`); `with_page_token` puts the visitor's own in when it is sent. Text
# the template escapes can never hold a double quote, so no member's or editor's text can
# forge the marker.
CSRF_MARK = "csrf-token-of-this-page"


def with_page_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put this visitor's CSRF token where a kept page or fragment holds the marker (any
    masked token of the session's secret is valid; asking for it sets the cookie if needed)."""
    response.content = response.content.replace(
        f'value="{CSRF_MARK}"'.encode(), f'value="{get_token(request)}"'.encode()
    )
    return response
