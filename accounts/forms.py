import zoneinfo
from functools import cache, lru_cache
from importlib.resources import files

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.hashers import make_password
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.models import User, Weekday

# Names zoneinfo lists that are not places a member lives in.
NOT_PLACES = {"Factory", "localtime", "posixrules"}


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - NOT_PLACES)


@cache
def listed_timezones() -> tuple[str, ...]:
    """The zones the picker lists: tzdata's zone.tab, one zone for each country or part of a
    country with its own clocks (418 in tzdata 2025), the list operating systems show. The
    other names zoneinfo knows are older spellings or aliases of these ("Asia/Calcutta",
    "US/Pacific", "GB") and fixed offsets ("Etc/GMT+5"); they stay valid (a member who has one
    keeps it, shown selected), but listing them would double the page."""
    table = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and line[0] != "#")
    return tuple(sorted({row[2] for row in rows} & timezone_names()))


def timezone_choices(extra: str = "") -> list:
    """The listed zones grouped by region ("Europe", "America", ...), UTC first; `extra` (a
    valid zone the member has but that is not listed) in its region too."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names = set(listed_timezones())
    if extra in timezone_names():
        names.add(extra)
    for name in sorted(names - {"UTC"}):
        region = name.split("/", 1)[0] if "/" in name else "Other"
        groups.setdefault(region, []).append((name, name))
    return [("UTC", "UTC"), *sorted(groups.items())]


class TimeZoneSelect(forms.Select):
    """The time zone <select>, written as briefly as HTML allows: each option is its name with
    no value attribute (the value is then the text) and no end tag (HTML lets an option's end
    tag be left out), grouped by region. Rendered through Django's per-option templates,
    `<option value="Europe/London">Europe/London</option>` for ~600 zones, it made the
    preferences page 41 KB."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = self.build_attrs({"name": name, **self.attrs}, attrs)
        chosen = str(value) if value is not None else ""
        flags = "".join(f" {key}" for key, value in attrs.items() if value is True)
        pairs = [(key, value) for key, value in attrs.items() if value not in (True, False, None)]
        start = format_html("<select{}{}>", format_html_join("", ' {}="{}"', pairs), flags)
        return mark_safe(start + timezone_options(chosen) + "</select>")


@lru_cache(maxsize=64)
def timezone_options(chosen: str) -> str:
    """The picker's options with `chosen` selected: the same for every member in that zone,
    so each process writes them once per zone (a fifth of the preferences page's time)."""
    html = []
    for group, options in timezone_choices(chosen):
        if isinstance(options, list | tuple):
            html.append(f'<optgroup label="{escape(group)}">')
            html.extend(option(zone, chosen) for zone, _ in options)
            html.append("</optgroup>")
        else:
            html.append(option(group, chosen))
    return "".join(html)


def option(zone: str, chosen: str) -> str:
    return f"<option{' selected' if zone == chosen else ''}>{escape(zone)}"


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "timezone", "checkin_weekday", "reminders_enabled")


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in Waypoint's words: "Keep me signed in", not "Remember Me"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, except that an address that already has an account is never
    reported as such: the form goes on, and that address is sent an "you already have an
    account" mail while the page says "check your inbox", as it does for a new address."""

    def validate_unique_email(self, value: str) -> str:
        try:
            return super().validate_unique_email(value)
        except forms.ValidationError as error:
            if error.code != "email_taken":
                raise
            self.account_already_exists = True
            return value

    def try_save(self, request):
        """An address that already has an account costs the same password hash as a new one,
        so the answer's timing does not tell the two apart (the hash is thrown away)."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class AddEmailForm(AllauthAddEmailForm):
    """Change email: the new address, verified before it becomes the login."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "New email address"


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        # Every zone is valid; the widget lists the common ones (see listed_timezones).
        choices=lambda: [(name, name) for name in sorted(timezone_names() | {"UTC"})],
        widget=TimeZoneSelect,
        help_text="Dates and your weekly check-in follow this zone.",
        error_messages={
            "required": "Choose your time zone.",
            "invalid_choice": (
                "“%(value)s” is not a time zone we know. Choose one from the list, "
                "for example Europe/London."
            ),
        },
    )
    checkin_weekday = forms.TypedChoiceField(
        label="Check-in day",
        choices=Weekday.choices,
        coerce=int,
        help_text="Your weekly check-in falls due on this day.",
        error_messages={
            "required": "Choose the day of your weekly check-in.",
            "invalid_choice": "Choose a day of the week for your check-in.",
        },
    )

    class Meta:
        model = User
        fields = ["display_name", "timezone", "checkin_weekday", "reminders_enabled"]
        labels = {
            "display_name": "Display name",
            "reminders_enabled": "Email me a reminder when a check-in is due",
        }
        help_texts = {
            "display_name": "How Waypoint greets you; leave it empty to use your email address.",
            "reminders_enabled": "At most one email a week, and only to a verified address.",
        }
        error_messages = {
            "display_name": {
                "max_length": (
                    "Keep your display name to %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                ),
            },
        }
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_timezone(self) -> str:
        name = self.cleaned_data["timezone"]
        if name != "UTC" and name not in timezone_names():
            raise forms.ValidationError(
                self.fields["timezone"].error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": name},
            )
        return name


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Type your password to confirm."},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your current password. Nothing has been deleted.",
                code="incorrect_password",
            )
        return password
