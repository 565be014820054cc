"""Account pages: Waypoint's look, a strict CSP, navigation, the verification banner."""

import re

import pytest
from django.urls import reverse

from tests.accounts.conftest import page_text
from tests.factories import make_member

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
MEMBER_PAGES = [
    "account_email",
    "account_change_password",
    "account_logout",
    "accounts:preferences",
    "accounts:delete",
]


def assert_strict_page(response):
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\s(data-)?hx-on", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html  # our layout
    assert html.count("<h1") == 1


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_entrance_pages_use_waypoints_layout_under_a_strict_csp(client, name):
    assert_strict_page(client.get(reverse(name)))


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages_use_waypoints_layout_under_a_strict_csp(client, name):
    client.force_login(make_member(verified=False))
    assert_strict_page(client.get(reverse(name)))


def test_form_pages_label_every_field(client):
    for name in ["account_login", "account_signup", "account_reset_password"]:
        html = client.get(reverse(name)).content.decode()
        inputs = re.findall(r'<input[^>]+type="(?:email|password|text)"[^>]*id="([^"]+)"', html)
        assert inputs, name
        for input_id in inputs:
            assert f'<label for="{input_id}">' in html, (name, input_id)


def test_errors_are_tied_to_their_field(client):
    html = client.post(reverse("account_signup"), {"email": "nope"}).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html
    assert re.search(r'aria-describedby="[^"]*id_email_error', html)


@pytest.mark.parametrize(
    "name",
    [
        "accounts:preferences",
        "accounts:export",
        "accounts:delete",
        "account_email",
        "account_change_password",
    ],
)
def test_member_pages_send_anonymous_visitors_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_the_nav_offers_sign_in_and_sign_up_to_visitors(client):
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("account_login")}">Sign in</a>' in html
    assert f'<a href="{reverse("account_signup")}">Sign up</a>' in html
    assert "Sign out" not in html
    assert "Preferences" not in html


def test_the_nav_shows_a_members_name_and_links(client):
    client.force_login(make_member(display_name="Ada"))
    html = client.get("/").content.decode()
    assert "Signed in as </span>Ada</li>" in html
    assert f'<a href="{reverse("accounts:preferences")}">Preferences</a>' in html
    assert re.search(
        rf'<form method="post" action="{reverse("account_logout")}">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">'
        r'<button type="submit" class="link">Sign out</button></form>',
        html,
    )
    assert "Admin</a>" not in html
    assert ">Sign in<" not in html


def test_the_nav_falls_back_to_the_email_and_shows_admin_to_staff(client):
    client.force_login(make_member(email="boss@example.com", is_staff=True))
    html = client.get("/").content.decode()
    assert "Signed in as </span>boss@example.com</li>" in html
    assert f'<a href="{reverse("admin:index")}">Admin</a>' in html


def test_the_nav_links_the_dashboard_when_there_is_one(client):
    client.force_login(make_member())
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("roadmaps:dashboard")}">Dashboard</a>' in html


def test_the_banner_links_to_resending_the_verification(client):
    client.force_login(make_member(email="late@example.com", verified=False))
    html = client.get("/").content.decode()
    assert "Please confirm your email address" in html
    assert f'<a href="{reverse("account_email")}">Send the link again' in html


def test_resending_the_verification_sends_a_new_link(client):
    from django.core import mail

    client.force_login(make_member(email="late@example.com", verified=False))
    response = client.post(
        reverse("account_email"), {"email": "late@example.com", "action_send": ""}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["late@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_the_verification_check_costs_no_query_for_visitors_and_one_for_members_when_read(
    client, rf, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    from accounts.context_processors import verification
    from accounts.models import User

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert verification(request) == {"email_unverified": False}

    member = make_member(verified=False)
    request.user = User.objects.get(pk=member.pk)
    with django_assert_num_queries(0):
        unverified = verification(request)["email_unverified"]
    with django_assert_num_queries(1):
        assert unverified() is True
    with django_assert_num_queries(0):  # remembered on the user
        assert unverified() is True

    verified = make_member(verified=True)
    request.user = User.objects.get(pk=verified.pk)
    assert verification(request)["email_unverified"]() is False


def test_the_sign_in_page_costs_visitors_no_queries(client, django_assert_num_queries):
    # No session, no user lookup: the nav and the banner add nothing for visitors.
    with django_assert_num_queries(0):
        client.get(reverse("account_login"))


def test_change_email_is_verified_before_it_takes_effect(client):
    from django.core import mail

    from tests.accounts.conftest import last_link

    member = make_member(email="old@example.com")
    client.force_login(member)
    response = client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.com"]
    member.refresh_from_db()
    assert member.email == "old@example.com"
    text = page_text(client.get(reverse("account_email")))
    assert "Changing to new@example.com Not verified yet" in text

    client.post(last_link())

    member.refresh_from_db()
    assert member.email == "new@example.com"
    assert member.has_verified_email


def test_change_email_rejects_a_malformed_address(client):
    member = make_member(email="old@example.com")
    client.force_login(member)
    response = client.post(reverse("account_email"), {"email": "nope", "action_add": ""})
    assert response.status_code == 200
    assert "Enter a valid email address." in page_text(response)
    member.refresh_from_db()
    assert member.email == "old@example.com"
