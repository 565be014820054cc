"""The member's preferences on the user model."""

import datetime
import zoneinfo

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_zone_is_the_members_time_zone():
    assert User(timezone="Asia/Kolkata").zone == zoneinfo.ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize("name", ["", "Not/AZone", "../../etc/passwd", "UTC\x00"])
def test_zone_falls_back_to_utc_for_an_unknown_name(name):
    assert User(timezone=name).zone == zoneinfo.ZoneInfo("UTC")


def test_local_today_is_the_date_where_the_member_is(monkeypatch):
    from django.utils import timezone

    late_evening_utc = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)

    assert User(timezone="UTC").local_today() == datetime.date(2026, 3, 1)
    assert User(timezone="Asia/Tokyo").local_today() == datetime.date(2026, 3, 2)
    assert User(timezone="America/New_York").local_today() == datetime.date(2026, 3, 1)


def test_has_verified_email(django_assert_num_queries):
    verified = make_member()
    unverified = make_member(verified=False)
    assert User.objects.get(pk=verified.pk).has_verified_email is True
    assert User.objects.get(pk=unverified.pk).has_verified_email is False

    user = User.objects.get(pk=verified.pk)
    with django_assert_num_queries(1):
        assert user.has_verified_email
        assert user.has_verified_email  # remembered


def test_a_verified_address_that_is_not_the_login_does_not_count():
    user = make_member(verified=False)
    EmailAddress.objects.create(user=user, email="other@example.com", verified=True)
    assert User.objects.get(pk=user.pk).has_verified_email is False


def test_a_member_without_an_address_row_is_unverified():
    user = User.objects.create_user(email="bare@example.com", password="a-long-password-1")
    assert user.has_verified_email is False
    assert User(email="unsaved@example.com").has_verified_email is False


def test_make_member_defaults():
    user = make_member()
    assert user.check_password("correct-horse-battery")
    assert user.has_verified_email
    assert EmailAddress.objects.get(user=user).primary
