"""django-allauth hooks: sign-up that never reveals whether an address is registered."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

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


class AccountAdapter(DefaultAccountAdapter):
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
