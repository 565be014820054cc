"""Roadmap content: the phases of a transition and the items members tick off."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from careers.models import Transition


class Phase(models.Model):
    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    weeks = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["transition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "order"], name="phase_unique_order"),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="phase_weeks_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.transition} — {self.order}. {self.title}"


class RoadmapItemQuerySet(models.QuerySet):
    def current(self):
        """Items still on the roadmap (archived ones keep members' records but leave plans)."""
        return self.filter(is_archived=False)


class RoadmapItem(models.Model):
    """A task, resource or action-plan item. `key` is its permanent identity in a transition."""

    class Kind(models.TextChoices):
        TASK = "task", "Task"
        RESOURCE = "resource", "Resource"
        ACTION = "action", "Action plan item"

    class Horizon(models.TextChoices):
        WEEK = "week", "This week"
        MONTH = "month", "This month"
        QUARTER = "quarter", "Next 90 days"

    class ResourceType(models.TextChoices):
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        DOCS = "docs", "Documentation"
        COMMUNITY = "community", "Community"
        DATASET = "dataset", "Datasets"
        EVENT = "event", "Event"
        PROGRAMME = "programme", "Programme"
        PLATFORM = "platform", "Platform"
        JOB_BOARD = "job_board", "Job board"
        OTHER = "other", "Other"

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="roadmap_items"
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    horizon = models.CharField(max_length=10, choices=Horizon.choices, blank=True)
    key = models.SlugField(max_length=80, help_text="Permanent identity; never reuse or change.")
    title = models.CharField(max_length=300)
    resource_type = models.CharField(max_length=20, choices=ResourceType.choices, blank=True)
    url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text="Archived items leave plans; members' records of them stay."
    )

    objects = RoadmapItemQuerySet.as_manager()

    class Meta:
        ordering = ["transition", "phase__order", "horizon", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "key"], name="roadmapitem_unique_key"),
            models.CheckConstraint(
                condition=(
                    Q(kind="action", phase__isnull=True)
                    & Q(horizon__in=["week", "month", "quarter"])
                )
                | (Q(kind__in=["task", "resource"], phase__isnull=False) & Q(horizon="")),
                name="roadmapitem_action_has_horizon_others_have_phase",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.phase_id and self.transition_id and self.phase.transition_id != self.transition_id:
            raise ValidationError({"phase": "This phase belongs to another transition."})
        if self.kind == self.Kind.ACTION:
            if self.phase_id:
                raise ValidationError({"phase": "Action-plan items have a horizon, not a phase."})
            if not self.horizon:
                raise ValidationError({"horizon": "Choose when this action falls due."})
        elif self.kind:
            if self.horizon:
                raise ValidationError({"horizon": "Only action-plan items have a horizon."})
            if not self.phase_id:
                raise ValidationError({"phase": "Tasks and resources belong to a phase."})


class ActionItem(RoadmapItem):
    """The action plan (this week / this month / next 90 days), for its own admin inline."""

    class Meta:
        proxy = True
        verbose_name = "action-plan item"


class PhaseItem(RoadmapItem):
    """Tasks and resources of a phase, for the phase admin inline."""

    class Meta:
        proxy = True
        verbose_name = "task or resource"
