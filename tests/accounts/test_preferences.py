"""The preferences page: display name, time zone, check-in day, reminders."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import page_text

pytestmark = pytest.mark.django_db

URL = reverse("accounts:preferences")
NAV_NAME = '<span class="visually-hidden">Signed in as </span>{}</li>'


def prefs(**overrides):
    data = {
        "display_name": "Ada L.",
        "timezone": "Europe/London",
        "checkin_weekday": "4",
        "reminders_enabled": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_shows_the_saved_preferences(member_client, member):
    response = member_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ada"' in html
    assert '<option value="UTC" selected>' in html
    assert '<option value="0" selected>Monday</option>' in html
    assert 'id="id_reminders_enabled" checked' in html


def test_it_saves_preferences(member_client, member):
    response = member_client.post(URL, prefs())

    assert response.status_code == 302
    assert response["Location"] == URL
    member.refresh_from_db()
    assert member.display_name == "Ada L."
    assert member.timezone == "Europe/London"
    assert member.checkin_weekday == 4
    assert member.reminders_enabled is True
    assert "Your preferences are saved." in page_text(member_client.get(URL))


def test_it_turns_reminders_off(member_client, member):
    member_client.post(URL, prefs(reminders_enabled=None))
    member.refresh_from_db()
    assert member.reminders_enabled is False


def test_new_members_get_reminders_by_default(db):
    user = User.objects.create_user(email="fresh@example.com", password="x-long-password-1")
    assert user.reminders_enabled is True
    assert user.timezone == "UTC"
    assert user.checkin_weekday == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (prefs(timezone="Mars/Olympus_Mons"), "“Mars/Olympus_Mons” is not a time zone we know."),
        (prefs(timezone=""), "Choose your time zone."),
        (
            prefs(display_name="x" * 81),
            "Keep your display name to 80 characters or fewer (it has 81).",
        ),
        (prefs(checkin_weekday="9"), "Choose a day of the week for your check-in."),
        (prefs(checkin_weekday="monday"), "Choose a day of the week for your check-in."),
        (prefs(checkin_weekday=None), "Choose the day of your weekly check-in."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(member_client, member, data, message):
    response = member_client.post(URL, data)

    assert response.status_code == 200
    text = page_text(response)
    assert message in text
    assert "nothing has been saved yet" in text
    member.refresh_from_db()
    assert (member.display_name, member.timezone, member.checkin_weekday) == ("Ada", "UTC", 0)
    # The header still shows the saved name, not the rejected input.
    assert NAV_NAME.format("Ada") in response.content.decode()


def test_the_display_name_is_tidied(member_client, member):
    member_client.post(URL, prefs(display_name="  Ada   Lovelace "))
    member.refresh_from_db()
    assert member.display_name == "Ada Lovelace"


def test_an_empty_display_name_falls_back_to_the_email(member_client, member):
    member_client.post(URL, prefs(display_name=""))
    member.refresh_from_db()
    assert member.display_name == ""
    assert NAV_NAME.format("ada@example.com") in member_client.get(URL).content.decode()


def test_every_listed_time_zone_is_accepted(member_client):
    html = member_client.get(URL).content.decode()
    assert html.count("<option value=") > 300
    assert '<option value="America/New_York">America/New York</option>' in html
    assert "Factory" not in html


def test_it_needs_a_member(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_it_needs_a_csrf_token(csrf_client, member):
    csrf_client.force_login(member)
    response = csrf_client.post(URL, prefs())
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "Ada"


def test_pages_show_times_in_the_members_zone(member_client, member, rf):
    """The member's zone is active while their request is handled."""
    from django.utils import timezone

    from accounts.middleware import member_timezone

    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["now"] = timezone.localtime()
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    request.user = User.objects.get(pk=member.pk)
    member_timezone(view)(request)

    assert seen["zone"] == "Asia/Tokyo"
    assert seen["now"].utcoffset() == datetime.timedelta(hours=9)
    assert timezone.get_current_timezone_name() == "UTC"  # and deactivated afterwards


def test_the_zone_is_active_on_real_pages(member_client, member):
    from django.utils import timezone

    member.timezone = "America/Los_Angeles"
    member.save(update_fields=["timezone"])
    response = member_client.get(URL)
    assert response.status_code == 200
    assert zoneinfo.ZoneInfo("America/Los_Angeles") == User.objects.get(pk=member.pk).zone
    assert timezone.get_current_timezone_name() == "UTC"
