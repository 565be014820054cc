from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from careers.models import RoadmapItem, Skill, SkillArea, Transition
from roadmaps.models import CheckIn, ItemProgress, Plan
from roadmaps.progress import plan_replay
from roadmaps.schedule import MAX_MONTHS, add_months, hours_for, months_for, plan_days
from roadmaps.tailoring import held_items, preview_end_date

MAX_START_DISTANCE = timedelta(days=365)

# The largest id a row can have: BigAutoField is a signed 64-bit integer on every database.
ID_MAX = 2**63 - 1


def bounded_int(value, low: int, high: int) -> int | None:
    """`value` from the client (a query parameter, a posted id) as an int in [low, high]
    (0 <= low), or None for anything else: junk, a sign or spaces, NUL bytes, a number the
    database cannot hold. Check this before the value reaches a query: SQLite raises OverflowError and
    PostgreSQL an error on numbers past 64 bits, where the caller wants a 4xx."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value)
    # Plain ASCII digits only, and no longer than `high` can be (int() would also take "１",
    # "1_000", spaces, and fail on thousands of digits).
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField for rows with integer ids: a value that is not an id a row
    could have is refused as an invalid choice before it reaches the database."""

    def _check_values(self, value):
        for pk in value:  # clean() has checked it is a list
            if bounded_int(pk, 1, ID_MAX) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def pace_choices(transition: Transition) -> list[tuple[int, str]]:
    return [
        (months, f"{months} months")
        for months in range(transition.timeline_min_months, transition.timeline_max_months + 1)
    ]


class SkillChoiceField(forms.ModelMultipleChoiceField):
    """Skills named by slug (as the path finder's links name them)."""

    def label_from_instance(self, skill) -> str:
        return skill.name


class StartPlanForm(forms.ModelForm):
    """Start date (default today), pace within the transition's range, hours a week, and the
    skills the member already has (the items they teach start as "already know")."""

    HOURS_MAX = 60

    pace_months = forms.TypedChoiceField(coerce=int, label="Pace")
    hours_per_week = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=HOURS_MAX,
        label="Hours per week (optional)",
        help_text=f"How much time you expect to give it each week, 1 to {HOURS_MAX}.",
        error_messages={
            "invalid": f"Enter a whole number of hours, 1 to {HOURS_MAX}.",
            "min_value": f"Enter at least 1 hour a week (at most {HOURS_MAX}).",
            "max_value": f"Enter at most {HOURS_MAX} hours a week.",
        },
    )
    skills = SkillChoiceField(
        queryset=Skill.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills you already have",
        help_text="Items that teach only skills you have start as “Already know”.",
        error_messages={
            "invalid_choice": "“%(value)s” is not one of this roadmap's skills; choose from the list.",
            "invalid_list": "Choose skills from the list.",
        },
    )

    class Meta:
        model = Plan
        fields = ["start_date", "pace_months", "hours_per_week"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"start_date": "Start date"}

    def __init__(self, *args, transition: Transition, today, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.today = today
        self.items = list(items)  # the roadmap's current items, with their skills loaded
        self.fields["pace_months"].choices = pace_choices(transition)
        self.fields["pace_months"].help_text = (
            f"The guide says {transition.timeline_min_months}–"
            f"{transition.timeline_max_months} months; the phases stretch to fit."
        )
        self.fields["pace_months"].error_messages["invalid_choice"] = (
            f"Choose a pace between {transition.timeline_min_months} and "
            f"{transition.timeline_max_months} months."
        )
        self.fields["start_date"].help_text = "Any day within a year of today."
        skill_ids = {skill.id for item in self.items for skill in item.skills.all()}
        self.fields["skills"].queryset = Skill.objects.filter(pk__in=skill_ids)
        if not self.is_bound:
            self.initial.setdefault("start_date", today)
            self.initial.setdefault("pace_months", transition.default_pace_months)

    @property
    def skill_groups(self) -> list[tuple[str, list]]:
        """The skill checkboxes grouped by area, in the catalogue's order."""
        areas = dict(SkillArea.choices)
        groups: dict[str, list] = {}
        for box in self["skills"]:
            groups.setdefault(areas.get(box.data["value"].instance.area, "Other"), []).append(box)
        return list(groups.items())

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if abs(start - self.today) > MAX_START_DISTANCE:
            raise forms.ValidationError("Choose a start date within a year of today.")
        return start

    def known_items(self) -> list[RoadmapItem]:
        """For a valid form: the items the member's skills cover in full."""
        return held_items(self.items, {skill.slug for skill in self.cleaned_data["skills"]})

    def preview(self) -> dict | None:
        """For a valid form: the end date with and without the items already known."""
        if not self.is_bound:
            data = {**self.initial, "hours_per_week": None}
            known = []
        elif self.is_valid():
            data = self.cleaned_data
            known = self.known_items()
        else:
            return None
        args = (data["start_date"], data["pace_months"], self.items)
        return {
            "end": preview_end_date(*args, {i.id for i in known}, data["hours_per_week"]),
            "end_without": preview_end_date(*args, (), data["hours_per_week"]),
            "known": known,
        }


class PaceForm(forms.Form):
    """The pace, as months or as hours per week: two views of one setting. When the roadmap has
    effort estimates, the one the member changed wins and sets the other (hours rounded up);
    without estimates only the months count (hours per week are then a rough guide)."""

    pace_months = forms.TypedChoiceField(
        coerce=int, label="New pace", error_messages={"required": "Choose a pace."}
    )
    hours_per_week = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=80,
        label="Hours per week",
        help_text="Change this or the months: the other follows.",
    )

    def __init__(self, *args, plan: Plan, today, schedule=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.today, self.schedule = plan, today, schedule
        t = plan.transition
        self.fields["pace_months"].choices = pace_choices(t)
        self.fields["pace_months"].initial = plan.pace_months
        self.fields["hours_per_week"].initial = schedule.hours_per_week if schedule else None
        self.fields["pace_months"].error_messages["invalid_choice"] = (
            f"Choose a pace between {t.timeline_min_months} and {t.timeline_max_months} months."
        )

    def end_at(self, months: int):
        """Where the plan would end at `months` (the time it stood still added)."""
        stopped = plan_replay(self.plan, self.today).stopped_days
        return add_months(self.plan.start_date, months) + timedelta(days=stopped)

    def clean_pace_months(self) -> int:
        months = self.cleaned_data["pace_months"]
        if months < self.plan.pace_months and self.end_at(months) <= self.today:
            t = self.plan.transition
            longer = [
                m
                for m in range(months + 1, t.timeline_max_months + 1)
                if self.end_at(m) > self.today
            ]
            hint = (
                f" Choose at least {longer[0]} months, or keep your pace."
                if longer
                else " Keep your pace, or choose a longer one."
            )
            raise forms.ValidationError(
                f"At {months} months your plan would already have ended, on "
                f"{self.end_at(months):%-d %B %Y}.{hint}"
            )
        return months

    @property
    def by_effort(self) -> bool:
        return bool(self.schedule and self.schedule.by_effort)

    def clean(self):
        data = super().clean()
        months, hours = data.get("pace_months"), data.get("hours_per_week")
        if not self.by_effort or months is None:
            data["hours_per_week"] = None
            return data
        total, start = self.schedule.total_hours, self.plan.start_date
        if hours and hours != self.schedule.hours_per_week:
            data["pace_months"] = min(months_for(total, start, hours), MAX_MONTHS)
        else:
            data["hours_per_week"] = hours_for(total, start, months)
        return data

    def preview_end(self):
        """Where the plan would end with the cleaned pace (the time it stood still added)."""
        hours = self.cleaned_data.get("hours_per_week")
        if hours:
            stopped = plan_replay(self.plan, self.today).stopped_days
            days = plan_days(self.schedule.total_hours, hours) + stopped
            return self.plan.start_date + timedelta(days=days)
        return self.end_at(self.cleaned_data["pace_months"])


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Plan.Status.choices)


class ItemStateForm(forms.Form):
    """The wanted state, and for "done" the day it was done: by default today where the member
    is; any day from the plan's start (or today, for a plan that starts later) to today."""

    state = forms.ChoiceField(
        choices=ItemProgress.State.choices,
        error_messages={
            "invalid_choice": "Unknown state: choose open, done, known or skipped.",
            "required": "Choose a state: open, done, known or skipped.",
        },
    )
    done_on = forms.DateField(
        required=False,
        label="Done on",
        error_messages={"invalid": "Enter the day you did it as a date, e.g. 2027-03-08."},
    )

    def __init__(self, *args, start, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.earliest = min(start, today)

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day is None:
            return None
        if day > self.today:
            raise forms.ValidationError(
                f"That day is still to come. Choose today ({self.today:%-d %B}) or an earlier day."
            )
        if day < self.earliest:
            raise forms.ValidationError(
                f"Your plan started on {self.earliest:%-d %B %Y}; choose that day or a later one."
            )
        return day

    @property
    def done_on_error(self) -> str | None:
        errors = self.errors.get("done_on")
        return errors[0] if errors else None


class LinkInput(forms.URLInput):
    """A URL box that can show back what was typed: HTML allows only a valid absolute URL as
    the value of an <input type="url">, so a rejected entry ("my notebook", "example.com") is
    shown in a plain text box (still with the URL keyboard on phones)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown:
            try:
                URLValidator(schemes=["http", "https"])(shown)
            except ValidationError:
                context["widget"]["type"] = "text"
                context["widget"]["attrs"]["inputmode"] = "url"
        return context


class ItemNoteForm(forms.ModelForm):
    evidence_url = forms.URLField(
        widget=LinkInput,
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Evidence link",
        help_text="A link to your work: a repository, a blog post (http or https).",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
    )

    class Meta:
        model = ItemProgress
        fields = ["note", "evidence_url"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
        labels = {"note": "Note"}
        help_texts = {"note": "Private to you. Plain text, up to 2,000 characters."}


CONFIDENCE_CHOICES = [
    (1, "1 — not confident"),
    (2, "2 — a little unsure"),
    (3, "3 — okay"),
    (4, "4 — confident"),
    (5, "5 — very confident"),
]


class CheckInForm(forms.ModelForm):
    hours = forms.DecimalField(
        label="Hours spent this week",
        min_value=0,
        max_value=168,
        max_digits=4,
        decimal_places=1,
        help_text="0 to 168, in whole or half hours (e.g. 6.5).",
        error_messages={
            "invalid": "Enter the hours as a number, e.g. 6 or 6.5.",
            "required": "Enter the hours you spent, 0 if none.",
            "max_decimal_places": "Use whole or half hours, e.g. 6 or 6.5.",
            "max_value": "Enter at most 168 hours: a week has no more.",
            "min_value": "Enter 0 or more hours.",
        },
    )
    confidence = forms.TypedChoiceField(
        label="How confident do you feel about your plan?",
        coerce=int,
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose your confidence, from 1 to 5.",
            "invalid_choice": "Choose your confidence, from 1 to 5.",
        },
    )
    focus_items = IdMultipleChoiceField(
        queryset=RoadmapItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Items to focus on next week",
        error_messages={"invalid_choice": "Pick items that are still open on your plan."},
    )

    class Meta:
        model = CheckIn
        fields = ["hours", "confidence", "wins", "blockers", "next_focus", "focus_items"]
        labels = {"wins": "Wins", "blockers": "Blockers", "next_focus": "Next week's focus"}
        help_texts = {
            "wins": "What went well? Up to 2,000 characters.",
            "blockers": "What got in the way? Up to 2,000 characters.",
            "next_focus": "In your own words. Up to 2,000 characters.",
        }
        widgets = {
            "wins": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "blockers": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "next_focus": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }

    def __init__(self, *args, open_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        chosen = list(self.instance.focus_items.select_related("phase")) if self.instance.pk else []
        # Items the editors retired since leave the choices but stay on the check-in (they
        # come back if the editors restore them): see clean_focus_items.
        self.retired_focus = [item for item in chosen if item.is_retired]
        ids = [item.pk for item in open_items] + [i.pk for i in chosen if not i.is_retired]
        self.fields["focus_items"].queryset = RoadmapItem.objects.filter(pk__in=ids).order_by(
            "phase__order", "order", "id"
        )

    def clean_focus_items(self):
        return [*self.cleaned_data["focus_items"], *self.retired_focus]

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours * 2 != int(hours * 2):
            raise forms.ValidationError("Use whole or half hours, e.g. 6 or 6.5.")
        return hours
