"""Export my data: a JSON download of everything Waypoint holds about the member."""

import json
import sys
import types
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.export import build_export, local_apps
from tests.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = reverse("accounts:export")


def test_it_downloads_the_members_data_as_json(member_client, member):
    other = make_member(email="grace@example.com", display_name="Grace")
    member.date_joined = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    member.save(update_fields=["date_joined"])

    response = member_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="waypoint-export-2027-03-10.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"] == {
        "email": "ada@example.com",
        "display_name": "Ada",
        "timezone": "UTC",
        "checkin_weekday": "Monday",
        "reminders_enabled": True,
        "pathfinder_answers": {},
        "date_joined": "2026-12-01T09:00:00+00:00",
        "last_login": "2027-03-10T10:00:00+00:00",  # signed in by the fixture, on the frozen clock
    }
    assert data["email_addresses"] == [
        {"email": "ada@example.com", "verified": True, "primary": True}
    ]
    assert data["exported_at"] == "2027-03-10T10:00:00+00:00"
    # Another member's data never appears.
    assert other.email not in response.content.decode()
    assert "Grace" not in response.content.decode()


def test_it_reflects_changed_preferences(member_client, member, time_machine):
    member.timezone = "Europe/Paris"
    member.checkin_weekday = 6
    member.reminders_enabled = False
    member.save()
    # 23:30 UTC on 10 March is already 00:30 on 11 March in Paris: the file is named for that.
    time_machine.move_to(datetime(2027, 3, 10, 23, 30, tzinfo=UTC), tick=False)
    response = member_client.get(URL)
    profile = json.loads(response.content)["profile"]
    assert (profile["timezone"], profile["checkin_weekday"], profile["reminders_enabled"]) == (
        "Europe/Paris",
        "Sunday",
        False,
    )
    assert 'filename="waypoint-export-2027-03-11.json"' in response["Content-Disposition"]


def test_each_local_app_contributes_its_part(member, monkeypatch):
    fake = types.ModuleType("careers.export")
    fake.export_user_data = lambda user: {"who": user.email}
    monkeypatch.setitem(sys.modules, "careers.export", fake)

    data = build_export(member)

    assert data["careers"] == {"who": "ada@example.com"}


def test_apps_without_an_export_module_are_skipped(member, monkeypatch):
    import importlib

    real_import = importlib.import_module

    def no_export_modules(name, *args):
        if name.endswith(".export"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_export_modules)
    data = build_export(member)
    assert set(data) == {"format_version", "exported_at", "profile", "email_addresses"}


def test_a_broken_export_module_is_not_hidden(member, monkeypatch):
    import importlib

    real_import = importlib.import_module

    def broken(name, *args):
        if name == "careers.export":
            raise ModuleNotFoundError(
                "No module named 'missing_dependency'", name="missing_dependency"
            )
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        build_export(member)


def test_local_apps_are_this_projects_apps():
    labels = {config.label for config in local_apps()}
    assert {"careers", "roadmaps"} <= labels
    assert "accounts" not in labels
    assert not labels & {"admin", "auth", "account", "allauth", "sessions"}


def test_export_needs_a_member(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_export_is_a_get(member_client):
    assert member_client.post(URL).status_code == 405


def test_another_members_plans_never_appear(member_client, member):
    from tests.factories import make_plan, make_transition

    mine = make_transition(title="My chosen route")
    theirs = make_transition(title="Somebody else's route")
    make_plan(member, mine)
    make_plan(make_member(email="grace@example.com"), theirs)

    body = member_client.get(URL).content.decode()
    data = json.loads(body)

    assert "My chosen route" in body
    assert "Somebody else's route" not in body
    assert "grace@example.com" not in body
    # Contributed by roadmaps/export.py.
    assert [plan["transition_title"] for plan in data["roadmaps"]["plans"]] == ["My chosen route"]
