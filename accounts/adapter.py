"""django-allauth hooks: sign-up that never reveals whether an address is registered, mail
links on SITE_URL whatever Host a request named, and sign-in limits per address and client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.core.internal.httpkit import clean_client_ip
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.http import HttpRequest

from config import security_log

ALLAUTH_EMAIL_STAGE = "allauth.account.stages.EmailVerificationStage"


class SignupEmailVerificationStage(EmailVerificationStage):
    """Email verification is optional for signing in (an unverified member may use the app and
    sees a banner), but every sign-up stops at "check your inbox": a new address gets its
    verification link, an address that already has an account gets a "you already have an
    account" mail, and both answers look the same. Following the link signs the new member in
    (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); signing in with the password works too.
    """

    def handle(self):
        if self.login.signup:
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()


@dataclass(frozen=True)
class SiteFromURL:
    """What account mail templates know as `current_site`: Waypoint at SITE_URL."""

    domain: str
    name: str = "Waypoint"


def on_site(url: str) -> str:
    """An absolute http(s) URL moved onto SITE_URL (same path, query and fragment); anything
    else as it was. allauth builds mail links from the request's Host, which a client chooses."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return url
    site = urlsplit(settings.SITE_URL)
    return urlunsplit(
        (site.scheme, site.netloc, site.path.rstrip("/") + parts.path, parts.query, parts.fragment)
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account mail (verification, reset, "already have an account", notices) links
        to SITE_URL and names its domain, never the Host header of the request behind it."""
        context = {
            key: on_site(value) if isinstance(value, str) else value
            for key, value in context.items()
        }
        context["current_site"] = SiteFromURL(urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The failed sign-in limit per address counts the address alone: allauth's own key
        adds the request's host (port included), so a new port in the Host header started a
        fresh count."""
        return credentials.get("email", credentials.get("username", "")).strip().lower()

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security_log.event("rate_limited", request, action="login_failed")
            raise

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address. Behind TRUSTED_PROXY_COUNT proxies it comes from
        X-Forwarded-For; a request that did not pass through all of them (fewer entries than
        proxies) is judged by the address that sent it rather than refused with a 500."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            address = clean_client_ip(request.META.get("REMOTE_ADDR", ""))
            if not address:
                raise
            return address

    def get_login_stages(self) -> list[str]:
        return [
            "accounts.adapter.SignupEmailVerificationStage" if path == ALLAUTH_EMAIL_STAGE else path
            for path in super().get_login_stages()
        ]

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Confirm an address, all or nothing. A pending new address that meanwhile became
        another account's login is refused with a message instead of breaking the unique
        login email."""
        taken = (
            get_user_model()
            .objects.filter(email__iexact=email_address.email)
            .exclude(pk=email_address.user_id)
            .exists()
        )
        if taken:
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        with transaction.atomic():
            return super().confirm_email(request, email_address)
