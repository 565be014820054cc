"""Export my data: everything Waypoint holds about one member, as JSON-ready data.

Each local app contributes its part through an `export.py` module with
`export_user_data(user) -> dict`; the result goes under the app's label. Apps without such a
module contribute nothing.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import AppConfig, apps
from django.conf import settings
from django.utils import timezone

from accounts.models import User

FORMAT_VERSION = 1


def local_apps() -> list[AppConfig]:
    """This project's own apps (top-level packages beside manage.py), accounts excluded."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base and config.label != "accounts"
    ]


def export_profile(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "timezone": user.timezone,
        "checkin_weekday": user.get_checkin_weekday_display(),
        "reminders_enabled": user.reminders_enabled,
        "pathfinder_answers": user.pathfinder_answers,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def export_email_addresses(user: User) -> list[dict]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def build_export(user: User) -> dict:
    data = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": export_profile(user),
        "email_addresses": export_email_addresses(user),
    }
    for config in local_apps():
        module_name = f"{config.name}.export"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        export_user_data = getattr(module, "export_user_data", None)
        if callable(export_user_data):
            data[config.label] = export_user_data(user)
    return data
