"""Request guards that apply to every URL: refuse what no page can use before it is read, keep
member pages out of shared caches, and log what was refused (config.security_log)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from config import security_log

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Browsers send forms in the page's encoding, UTF-8, and Django reads forms only in UTF-8.
FORM_CHARSETS = {"utf-8"}
# Refusals worth a line in the security log; 404s are everyday and are not logged.
LOGGED_REFUSALS = {400, 403, 405, 413, 415, 429}


def plain(status: int, text: str) -> HttpResponse:
    """A short plain-text answer that needs no template, session or database."""
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


def declared_charset(request: HttpRequest) -> str | None:
    """The charset a request body declares, lower-cased; None when it declares none."""
    name = (request.content_params or {}).get("charset")
    return None if name is None else name.strip().lower()


def request_limits(get_response):
    """413 for a body over settings.MAX_REQUEST_BYTES, judged from Content-Length before a
    byte of it is read; 415 for a form body declared in a charset other than UTF-8 (browsers
    never send one; Django would refuse it with a bare 400, or decode a multipart body in it)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit_kb = settings.MAX_REQUEST_BYTES // 1024
            return plain(
                413, f"Request too large: Waypoint accepts at most {limit_kb} KB in one request."
            )
        if request.method not in {"GET", "HEAD", "OPTIONS"} and request.content_type in FORM_TYPES:
            charset = declared_charset(request)
            if charset is not None and charset not in FORM_CHARSETS:
                return plain(415, "Send forms encoded as UTF-8.")
        return get_response(request)

    return middleware


def private_member_pages(get_response):
    """A page answered to a signed-in member is theirs alone: `Cache-Control: private,
    no-store` (with the rest of Django's never-cache headers), so no shared cache or proxy
    keeps a copy and the browser does not store it either."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def log_refusals(get_response):
    """One security-log line for each refused request (400, 403, 405, 413, 415, 429), whatever
    refused it: a view, the CSRF check, a rate limit, the request limits above."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code in LOGGED_REFUSALS:
            security_log.refused(request, response.status_code)
        return response

    return middleware
