"""Delete my account: every personal row goes, the member is signed out, the email is free."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.db.models import ForeignKey
from django.db.models.deletion import Collector
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, page_text, signup_data
from tests.factories import make_member

pytestmark = pytest.mark.django_db

URL = reverse("accounts:delete")


def rows_pointing_at(user) -> dict[str, int]:
    """Rows of every model with a foreign key (or one-to-one) to the user model, by model."""
    user_model = get_user_model()
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model is user_model:
                key = f"{model._meta.label}.{field.name}"
                counts[key] = model._default_manager.filter(**{field.name: user.pk}).count()
    return counts


def everything_owned_by(user) -> dict[str, set]:
    """Every row that deleting the user cascades to (directly or through other rows)."""
    collector = Collector(using="default")
    collector.collect([user])
    owned = {model._meta.label: {obj.pk for obj in objs} for model, objs in collector.data.items()}
    for qs in collector.fast_deletes:
        owned.setdefault(qs.model._meta.label, set()).update(qs.values_list("pk", flat=True))
    return owned


def give_rows(user):
    """Some of everything a member can own today."""
    from tests.factories import make_plan, make_transition

    make_plan(user, make_transition(), start_date=date(2027, 3, 10))  # any day will do
    EmailAddress.objects.create(user=user, email=f"old-{user.email}", verified=False)
    user.groups.create(name=f"group-of-{user.pk}")
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=ADDITION,
    )


def test_it_explains_what_is_deleted(member_client):
    text = page_text(member_client.get(URL))
    assert "What is deleted" in text
    assert "cannot be undone" in text
    assert "Your password" in text


def test_it_deletes_every_row_that_belonged_to_the_member(member_client, member):
    other = make_member(email="grace@example.com")
    give_rows(member)
    give_rows(other)
    before = rows_pointing_at(member)
    others_before = rows_pointing_at(other)
    owned = everything_owned_by(member)
    assert sum(before.values()) >= 5
    assert {"roadmaps.Plan", "account.EmailAddress", "admin.LogEntry"} <= set(owned), owned

    response = member_client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("careers:home")
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    after = rows_pointing_at(member)
    assert set(after) == set(before)
    assert sum(after.values()) == 0, after
    assert not EmailAddress.objects.filter(email__iendswith="ada@example.com").exists()
    for label, pks in owned.items():
        model = apps.get_model(label)
        assert not model._default_manager.filter(pk__in=pks).exists(), label
    # Nobody else's rows are touched.
    assert rows_pointing_at(other) == others_before


def test_it_signs_the_member_out_everywhere(member):
    here, elsewhere = Client(), Client()
    here.force_login(member)
    elsewhere.force_login(member)
    bystander = Client()
    bystander.force_login(make_member())
    assert Session.objects.count() == 3

    here.post(URL, {"password": PASSWORD})

    assert "_auth_user_id" not in here.session
    assert Session.objects.count() == 1
    assert elsewhere.get(reverse("accounts:preferences")).status_code == 302
    assert bystander.get(reverse("accounts:preferences")).status_code == 200


def test_it_says_goodbye(member_client):
    response = member_client.post(URL, {"password": PASSWORD}, follow=True)
    assert "Your account and everything Waypoint held about you have been deleted." in page_text(
        response
    )
    assert "Sign in" in response.content.decode()


def test_a_wrong_or_missing_password_deletes_nothing(member_client, member):
    response = member_client.post(URL, {"password": "not-my-password"})
    assert response.status_code == 200
    assert "That is not your current password. Nothing has been deleted." in page_text(response)

    response = member_client.post(URL, {})
    assert "Type your password to confirm." in page_text(response)

    assert get_user_model().objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" in member_client.session


def test_password_guesses_are_limited(member_client, member):
    for _ in range(10):
        member_client.post(URL, {"password": "guess-guess"})
    response = member_client.post(URL, {"password": PASSWORD})
    assert "Too many attempts" in page_text(response)
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_it_needs_a_csrf_token(csrf_client, member):
    csrf_client.force_login(member)
    response = csrf_client.post(URL, {"password": PASSWORD})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_it_needs_a_member(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_email_can_sign_up_again(member_client, member, client):
    member_client.post(URL, {"password": PASSWORD})

    response = Client().post(reverse("account_signup"), signup_data(email="ada@example.com"))

    assert response.status_code == 302
    user = get_user_model().objects.get(email="ada@example.com")
    assert user.pk != member.pk
    assert "Confirm your address" in mail.outbox[-1].body
