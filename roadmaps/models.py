"""Members' plans: progress, history, check-ins, reminders and calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from careers.models import RoadmapItem, Transition

# --- Members' plans -----------------------------------------------------------------------


class PlanStateError(ValueError):
    """A change the plan's current state does not allow (e.g. pausing a plan the member left)."""


class PlanQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def current(self):
        """Plans the member follows (active or paused), not the ones they left."""
        return self.exclude(status=Plan.Status.ARCHIVED)


class Plan(models.Model):
    """A member's personal, dated plan for one transition."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ARCHIVED = "archived", "Left"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    transition = models.ForeignKey(Transition, on_delete=models.PROTECT, related_name="plans")
    start_date = models.DateField()
    pace_months = models.PositiveSmallIntegerField()
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "transition"],
                condition=~Q(status="archived"),
                name="plan_one_current_plan_per_transition",
            ),
            models.CheckConstraint(
                condition=Q(pace_months__gte=1) & Q(pace_months__lte=60), name="plan_pace_sane"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gte=1) & Q(hours_per_week__lte=168)),
                name="plan_hours_per_week_sane",
            ),
            models.CheckConstraint(
                condition=Q(status="paused", paused_on__isnull=False)
                | (~Q(status="paused") & Q(paused_on__isnull=True)),
                name="plan_paused_on_iff_paused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.transition}"

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:plan", args=[self.pk])

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED

    # State changes. Each runs in a transaction on the plan's row, locked and read afresh (a
    # second tab or a double submit waits, then sees what the first did), refuses what the
    # plan's current state does not allow, and records what changed in the plan's history.

    def record(self, kind: str, on, before="", after="") -> PlanChange:
        return PlanChange.objects.create(
            plan=self, kind=kind, effective_on=on, from_value=str(before), to_value=str(after)
        )

    def _locked(self) -> Plan:
        """This plan's row, locked until the transaction ends, with its current values."""
        locked = Plan.objects.select_for_update().get(pk=self.pk)
        self.status, self.paused_on, self.pace_months = (
            locked.status,
            locked.paused_on,
            locked.pace_months,
        )
        return locked

    def change_pace(self, months: int, today) -> None:
        with transaction.atomic():
            self._locked()
            if self.status != self.Status.ACTIVE:
                raise PlanStateError("Resume or restore the plan before changing its pace.")
            if months == self.pace_months:
                return
            self.record(PlanChange.Kind.PACE, today, self.pace_months, months)
            self.pace_months = months
            self.save(update_fields=["pace_months", "updated_at"])

    def change_hours(self, hours: int, months: int, today) -> None:
        """Set the pace as hours per week (`months`: the same pace in months, shown beside
        it). Recorded as an "hours" change, from the hours in force before."""
        with transaction.atomic():
            self._locked()
            if self.status != self.Status.ACTIVE:
                raise PlanStateError("Resume or restore the plan before changing its pace.")
            before = Plan.objects.values_list("hours_per_week", flat=True).get(pk=self.pk)
            if hours == before:
                return
            self.record(PlanChange.Kind.HOURS, today, before or "", hours)
            self.hours_per_week, self.pace_months = hours, months
            self.save(update_fields=["hours_per_week", "pace_months", "updated_at"])

    # The moves a member can make, and what each records; anything else is refused.
    MOVES = {
        (Status.ACTIVE, Status.PAUSED): ["pause"],
        (Status.PAUSED, Status.ACTIVE): ["resume"],
        (Status.ACTIVE, Status.ARCHIVED): ["archive"],
        (Status.PAUSED, Status.ARCHIVED): ["resume", "archive"],
        (Status.ARCHIVED, Status.ACTIVE): ["restore"],
    }

    def set_status(self, status: str, today) -> None:
        """Move the plan to the wanted status; asking for the current one changes nothing."""
        with transaction.atomic():
            self._locked()
            if status == self.status:
                return
            kinds = self.MOVES.get((self.status, status))
            if kinds is None:
                raise PlanStateError(
                    "Restore the plan before pausing it."
                    if self.status == self.Status.ARCHIVED
                    else "That change is not possible for this plan."
                )
            before = self.status
            for kind in kinds:
                self.record(kind, today, before, status)
            self.status = status
            self.paused_on = today if status == self.Status.PAUSED else None
            self.save(update_fields=["status", "paused_on", "updated_at"])

    def set_item_state(
        self, item: RoadmapItem, state: str, *, now, planned_on=None, done_on=None
    ) -> ItemProgress:
        """Give `item` the wanted state. Repeating a request changes nothing.

        `done_on` is the member's day the work was done (by default `now`'s day in their time
        zone); asking for "done" again with another day given moves that day and nothing else. "known" (the member already
        knows it) carries no dates: it was never ticked.
        """
        if state not in ItemProgress.State.values:
            raise ValueError(f"Unknown state {state!r}.")
        if state == ItemProgress.State.SKIPPED and not item.can_skip:
            raise ValueError("Only resources can be skipped.")
        done = state == ItemProgress.State.DONE
        with transaction.atomic():
            self._locked()
            if self.status == self.Status.ARCHIVED:
                raise PlanStateError("You left this plan. Restore it to change it.")
            progress, _ = ItemProgress.objects.get_or_create(plan=self, item=item)
            if progress.state == state:
                if done and done_on is not None and progress.done_on != done_on:
                    progress.done_on = done_on
                    progress.save(update_fields=["done_on", "updated_at"])
                return progress
            progress.state = state
            progress.done_at = now if done else None
            progress.done_on = (done_on or self.user.local_today(now)) if done else None
            progress.planned_on = planned_on if done else None
            progress.save(update_fields=["state", "done_at", "done_on", "planned_on", "updated_at"])
            return progress

    def mark_known(self, items) -> None:
        """Start the plan with `items` marked "already know" (a new plan: no rows yet)."""
        ItemProgress.objects.bulk_create(
            [ItemProgress(plan=self, item=item, state=ItemProgress.State.KNOWN) for item in items]
        )


class PlanChange(models.Model):
    """The plan's history: when it changed, from what, to what."""

    class Kind(models.TextChoices):
        START = "start", "Started"
        PACE = "pace", "Pace changed"
        HOURS = "hours", "Hours per week changed"
        PAUSE = "pause", "Paused"
        RESUME = "resume", "Resumed"
        ARCHIVE = "archive", "Left"
        RESTORE = "restore", "Restored"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective_on = models.DateField()
    from_value = models.CharField(max_length=40, blank=True)
    to_value = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.effective_on}"


class ItemProgress(models.Model):
    """A member's state, note and evidence for one roadmap item. No row means open."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        KNOWN = "known", "Already know"
        SKIPPED = "skipped", "Skipped"

    # Complete: counted done in progress. "known" is complete without ever being ticked.
    COMPLETE = (State.DONE, State.KNOWN)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress")
    item = models.ForeignKey(RoadmapItem, on_delete=models.PROTECT, related_name="progress")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When it was ticked.")
    done_on = models.DateField(
        null=True,
        blank=True,
        help_text="The member's day the work was done (their time zone); may be before done_at.",
    )
    planned_on = models.DateField(
        null=True, blank=True, help_text="The planned date when it was done; it stays put."
    )
    note = models.TextField(max_length=2000, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "item progress"
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="itemprogress_one_per_item"),
            models.CheckConstraint(
                condition=Q(state__in=["open", "done", "known", "skipped"]),
                name="itemprogress_state_known",
            ),
            models.CheckConstraint(
                condition=Q(state="done", done_at__isnull=False)
                | (~Q(state="done") & Q(done_at__isnull=True)),
                name="itemprogress_done_at_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(state="done", done_on__isnull=False)
                | (~Q(state="done") & Q(done_on__isnull=True)),
                name="itemprogress_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.state}"


class CheckIn(models.Model):
    """A member's weekly check-in for one plan. `week` is the Monday of the ISO week."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkins")
    week = models.DateField(help_text="The Monday of the ISO week, in the member's time zone.")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    confidence = models.PositiveSmallIntegerField()
    wins = models.TextField(max_length=2000, blank=True)
    blockers = models.TextField(max_length=2000, blank=True)
    next_focus = models.TextField(max_length=2000, blank=True)
    # `focused_in_checkins`: the catalogue's admin counts members' records of an item through
    # it (without importing this app) before it lets an item be deleted.
    focus_items = models.ManyToManyField(
        RoadmapItem, blank=True, related_name="focused_in_checkins"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "week"], name="checkin_one_per_plan_week"),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=168), name="checkin_hours_in_week"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=5),
                name="checkin_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — week of {self.week}"


class ReminderSent(models.Model):
    """One row per plan and week a reminder went out: a second run sends nothing."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    week = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "week"], name="reminder_one_per_plan_week"),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.plan} — week of {self.week}"


class CalendarFeed(models.Model):
    """A member's private calendar URL. Resetting the token makes the old URL a 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
