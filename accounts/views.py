import copy
import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.export import build_export
from accounts.forms import DeleteAccountForm, PreferencesForm
from accounts.models import User

DB_SESSIONS = "django.contrib.sessions.backends.db"


def posted(request: HttpRequest):
    """The submitted data for a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    # The form works on a copy, so a rejected submission leaves the signed-in user (and the
    # rest of this page) exactly as saved.
    form = PreferencesForm(posted(request), instance=copy.copy(request.user))
    if form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@never_cache
@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = build_export(request.user)
    filename = f"waypoint-export-{request.user.local_today().isoformat()}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(posted(request), user=user)
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=user
    ):
        form.is_valid()  # binds the form so the page can show it again
        form.add_error(None, "Too many attempts. Wait a minute, then try again.")
    elif form.is_valid():
        delete_member(request, user)
        messages.success(
            request, "Your account and everything Waypoint held about you have been deleted."
        )
        return redirect("careers:home")
    return render(request, "accounts/delete_account.html", {"form": form})


def delete_member(request: HttpRequest, user: User) -> None:
    """Delete the member, every row that points at them (cascade) and their sessions, then
    sign this browser out."""
    with transaction.atomic():
        delete_sessions_of(user)
        user.delete()
    logout(request)


def delete_sessions_of(user: User) -> None:
    """The member's sessions in other browsers (database sessions hold only the user's id)."""
    if settings.SESSION_ENGINE != DB_SESSIONS:
        return
    user_id = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(pk__in=doomed).delete()
