"""Security events as one JSON line each on the `waypoint.security` logger.

No personal data: the member, the address tried and the client are HMAC-SHA256 digests keyed
with SECRET_KEY (the same value gives the same digest, so repeated attempts on one account or
from one client can be followed, but not read back), and the page is named by its URL pattern,
never its path (a calendar feed's path holds its secret token).

    {"client": "5f0c…", "event": "login_failed", "login": "9a1e…", "method": "POST",
     "route": "accounts/login/"}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import Resolver404, resolve

logger = logging.getLogger("waypoint.security")


def digest(value: object) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:16]


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the rate limits see it (behind TRUSTED_PROXY_COUNT proxies,
    from X-Forwarded-For)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR")


def route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(no page)"
    return match.route or match.view_name or "(no page)"


def event(name: str, request: HttpRequest | None = None, **fields) -> None:
    record: dict[str, object] = {"event": name}
    if request is not None:
        record["method"] = request.method
        record["route"] = route(request)
        address = client_address(request)
        if address:
            record["client"] = digest(address)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            record["user"] = digest(user.pk)
    record.update(fields)
    logger.warning(json.dumps(record, sort_keys=True, default=str))


def refused(request: HttpRequest, status: int) -> None:
    event("refused", request, status=status)


@receiver(user_login_failed)
def login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    login = credentials.get("email") or credentials.get("username") or ""
    event("login_failed", request, login=digest(str(login).strip().lower()))
