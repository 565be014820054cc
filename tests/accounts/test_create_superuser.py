"""Staff made with `createsuperuser` are not shown as unverified members."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_superuser_verifies_the_address():
    user = User.objects.create_superuser(email="Boss@Example.com", password="a-long-password-1")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("Boss@example.com", True, True)
    assert user.is_staff and user.is_superuser
    assert User.objects.get(pk=user.pk).has_verified_email


def test_the_createsuperuser_command_makes_a_verified_staff_member(monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-password-1")
    call_command("createsuperuser", "--noinput", "--email", "staff@example.org", verbosity=0)
    user = User.objects.get(email="staff@example.org")
    assert EmailAddress.objects.filter(user=user, primary=True, verified=True).count() == 1
    client.force_login(user)
    assert "verify-banner" not in client.get("/dashboard/").content.decode()
    client.force_login(User.objects.create_user(email="new@example.org", password="x" * 12))
    assert "verify-banner" in client.get("/dashboard/").content.decode()  # the banner exists


def test_members_are_still_unverified_until_they_follow_the_link():
    user = User.objects.create_user(email="member@example.com", password="a-long-password-1")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not user.has_verified_email
