"""The public catalog: roles, salary bands, transitions with their roadmaps, FAQs, glossary."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from careers.history import CatalogHistory


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class RoleQuerySet(PublishableQuerySet):
    def ai_roles(self):
        return self.filter(kind=Role.Kind.AI_ROLE)

    def backgrounds(self):
        return self.filter(kind=Role.Kind.BACKGROUND)


class SkillArea(models.TextChoices):
    """How the path finder groups skills for "the skills you already have"."""

    PROGRAMMING = "programming", "Programming and engineering"
    MATH = "math", "Mathematics and statistics"
    ML = "ml", "Machine learning"
    DATA = "data", "Data"
    RESEARCH = "research", "Research"
    INFRASTRUCTURE = "infrastructure", "Infrastructure and operations"
    PRODUCT = "product", "Product and people"
    POLICY = "policy", "Policy and ethics"


class Skill(models.Model):
    """One skill, named once: what roles require, what a transition carries over or teaches,
    and what a roadmap item teaches or proves all point here."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    area = models.CharField(max_length=20, choices=SkillArea.choices)
    description = models.CharField(max_length=300, blank=True)
    typical_weeks = models.PositiveSmallIntegerField(
        help_text="Typical weeks to learn it from scratch, part-time."
    )
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["area", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(typical_weeks__gte=1), name="skill_typical_weeks_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.typical_weeks is not None and self.typical_weeks < 1:
            raise ValidationError({"typical_weeks": "Learning a skill takes at least 1 week."})


EDITORIAL_ESTIMATE = "Waypoint editorial estimate"


class Source(models.Model):
    """Where a figure comes from, named as the world knows it: "Levels.fyi, Machine Learning
    Engineer Salary Data (2024)". A salary band or a transition's figures with no source are a
    Waypoint editorial estimate (EDITORIAL_ESTIMATE)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(
        max_length=120, help_text='Who publishes it, e.g. "Bureau of Labor Statistics".'
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text='What it is called, e.g. "Computer and Information Research Scientists".',
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    url = models.URLField(
        max_length=500, blank=True, help_text="Its stable public address, if it has one."
    )
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["order", "name", "slug"]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """ "Levels.fyi, Machine Learning Engineer Salary Data (2024)"."""
        text = f"{self.name}, {self.title}" if self.title else self.name
        return f"{text} ({self.year})" if self.year else text

    def clean(self) -> None:
        if self.url and self.url.split(":", 1)[0].lower() not in ("http", "https"):
            raise ValidationError({"url": "Give a web address starting with https:// or http://."})


class Role(models.Model):
    """An AI role people move into, or a background people come from."""

    class Kind(models.TextChoices):
        AI_ROLE = "ai_role", "AI role"
        BACKGROUND = "background", "Background"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AI_ROLE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(max_length=300, blank=True)
    what_they_do = models.TextField(blank=True)
    required_background = models.JSONField(
        default=list, blank=True, help_text="A list of strings, one per requirement."
    )
    demand = models.TextField(blank=True)
    phd_usually_required = models.BooleanField(default=False)
    focus_areas = models.JSONField(default=list, blank=True, help_text="A list of strings.")
    # What the role requires (an AI role) or what people in it usually have (a background).
    skills = models.ManyToManyField(Skill, blank=True, related_name="roles")
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()
    history = CatalogHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.BACKGROUND:
            return reverse("careers:background", args=[self.slug])
        return reverse("careers:role", args=[self.slug])


class SalaryBand(models.Model):
    """Pay for a role in one market. Money is whole currency units, never floats or text."""

    class Currency(models.TextChoices):
        USD = "USD", "US dollar"
        GBP = "GBP", "Pound sterling"
        EUR = "EUR", "Euro"

    class Basis(models.TextChoices):
        TOTAL_COMPENSATION = "total_compensation", "Total compensation"
        BASE = "base", "Base salary"
        CASH = "cash", "Cash"
        NOT_STATED = "not_stated", "Not stated"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="salary_bands")
    market = models.CharField(max_length=120)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    low = models.PositiveIntegerField(null=True, blank=True)
    high = models.PositiveIntegerField(null=True, blank=True)
    open_ended = models.BooleanField(
        default=False, help_text='The top of the range is open, e.g. "$500,000+".'
    )
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.NOT_STATED)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="salary_bands",
        help_text="Leave empty when the figures are a Waypoint editorial estimate.",
    )
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["role", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(high__gte=models.F("low")),
                name="salaryband_high_not_below_low",
            ),
            models.CheckConstraint(
                condition=Q(open_ended=False) | Q(high__isnull=False),
                name="salaryband_open_ended_needs_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} — {self.market}"

    # Validation: every constraint above, said on the field it is about.
    def clean(self) -> None:
        errors = {}
        if self.low is not None and self.high is not None and self.high < self.low:
            errors["high"] = f"The top of the band is below its bottom ({self.low:,})."
        if self.open_ended and self.high is None:
            errors["high"] = 'An open-ended band needs its top figure (the 500,000 of "$500,000+").'
        if errors:
            raise ValidationError(errors)


class TransitionQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(
            status=Status.PUBLISHED,
            from_role__status=Status.PUBLISHED,
            to_role__status=Status.PUBLISHED,
        )


class Transition(models.Model):
    """A path from a background to an AI role, with its guide and roadmap."""

    class Difficulty(models.TextChoices):
        EASIER = "easier", "Easier"
        MODERATE = "moderate", "Moderate"
        CHALLENGING = "challenging", "Challenging"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    from_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="transitions_out")
    to_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="transitions_in")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False)
    difficulty = models.CharField(max_length=20, choices=Difficulty.choices)
    timeline_min_months = models.PositiveSmallIntegerField()
    timeline_max_months = models.PositiveSmallIntegerField()
    salary_change_min_pct = models.SmallIntegerField(null=True, blank=True)
    salary_change_max_pct = models.SmallIntegerField(null=True, blank=True)
    demand = models.TextField(blank=True)
    overview = models.TextField(blank=True)
    source_note = models.TextField(blank=True)
    # Where the headline figures (difficulty, timeline, salary change) come from: empty for a
    # Waypoint editorial estimate. `sources`: what the guide's route draws on.
    figures_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transition_figures",
        help_text="Source of the difficulty, timeline and salary change; leave empty when "
        "they are a Waypoint editorial estimate.",
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="transitions", help_text="What the guide draws on."
    )
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransitionQuerySet.as_manager()
    history = CatalogHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timeline_min_months__gte=1)
                & Q(timeline_max_months__gte=models.F("timeline_min_months")),
                name="transition_timeline_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(salary_change_min_pct__isnull=True)
                | Q(salary_change_max_pct__isnull=True)
                | Q(salary_change_max_pct__gte=models.F("salary_change_min_pct")),
                name="transition_salary_change_range_valid",
            ),
            # Drafts may share their roles (a copy being prepared); published ones may not.
            models.UniqueConstraint(
                fields=["from_role", "to_role"],
                condition=Q(status="published"),
                name="transition_unique_published_pair",
                violation_error_message="Another published transition has the same two roles.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("careers:transition", args=[self.slug])

    @property
    def default_pace_months(self) -> int:
        """The middle of the timeline range, rounded down: the default pace of a new plan."""
        return (self.timeline_min_months + self.timeline_max_months) // 2

    # Validation: every constraint above, said on the field it is about.
    def clean(self) -> None:
        errors = {}
        low, high = self.timeline_min_months, self.timeline_max_months
        if low is not None and low < 1:
            errors["timeline_min_months"] = "A transition takes at least 1 month."
        elif low is not None and high is not None and high < low:
            errors["timeline_max_months"] = (
                f"The longest timeline is shorter than the shortest ({low} months)."
            )
        low, high = self.salary_change_min_pct, self.salary_change_max_pct
        if low is not None and high is not None and high < low:
            errors["salary_change_max_pct"] = f"The top of the range is below its bottom ({low}%)."
        if self.status == Status.PUBLISHED and self.from_role_id and self.to_role_id:
            twin = (
                Transition.objects.filter(
                    status=Status.PUBLISHED, from_role=self.from_role_id, to_role=self.to_role_id
                )
                .exclude(pk=self.pk)
                .first()
            )
            if twin:
                errors["status"] = (
                    f"“{twin}” is already published for the same two roles; "
                    "set it back to draft before publishing this one."
                )
        if errors:
            raise ValidationError(errors)


class TransferableSkill(models.Model):
    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="transferable_skills"
    )
    name = models.CharField(max_length=120)
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="carried_over_in"
    )
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["transition", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SkillToLearn(models.Model):
    class Priority(models.IntegerChoices):
        CRITICAL = 1, "Critical"
        IMPORTANT = 2, "Important"
        NICE_TO_HAVE = 3, "Nice to have"

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="skills_to_learn"
    )
    name = models.CharField(max_length=120)
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="learned_in"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    weeks = models.PositiveSmallIntegerField()
    how_to_learn = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["transition", "priority", "order", "id"]
        verbose_name_plural = "skills to learn"
        constraints = [
            models.CheckConstraint(condition=Q(weeks__gte=1), name="skilltolearn_weeks_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    # Validation: every constraint above, said on the field it is about.
    def clean(self) -> None:
        if self.weeks is not None and self.weeks < 1:
            raise ValidationError({"weeks": "Learning a skill takes at least 1 week."})


class RealityCheckItem(models.Model):
    class Kind(models.TextChoices):
        LOVE = "love", "What you'll love"
        MISS = "miss", "What you might miss"
        CHALLENGE = "challenge", "Biggest challenges"

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="reality_check"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["transition", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.text


class FAQ(models.Model):
    """A question and answer, about a role, a transition, or AI careers in general."""

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="faqs"
    )
    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, null=True, blank=True, related_name="faqs"
    )
    question = models.CharField(max_length=300)
    answer = models.TextField()
    order = models.PositiveIntegerField(default=0)

    history = CatalogHistory()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.CheckConstraint(
                condition=Q(role__isnull=True) | Q(transition__isnull=True),
                name="faq_belongs_to_at_most_one_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    # Validation: every constraint above, said on the field it is about.
    def clean(self) -> None:
        if self.role_id and self.transition_id:
            raise ValidationError(
                {"transition": "A question belongs to a role or to a transition, not both."}
            )


class GlossaryTerm(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    term = models.CharField(max_length=120)
    definition = models.TextField()
    match_words = models.JSONField(
        default=list,
        blank=True,
        help_text="Words or phrases that, found in a page's text, link that page to this term.",
    )

    history = CatalogHistory()

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("careers:glossary") + f"#{self.slug}"


# --- Roadmap content: phases and the items members tick off ----------------------------


class PhaseQuerySet(models.QuerySet):
    def current(self):
        """Phases still on the roadmap; archived ones leave the guide and every plan."""
        return self.filter(is_archived=False)


class Phase(models.Model):
    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    weeks = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    is_archived = models.BooleanField(
        default=False,
        help_text="Archived phases leave the guide and plans; members' records of their items stay.",
    )

    objects = PhaseQuerySet.as_manager()
    history = CatalogHistory()

    class Meta:
        ordering = ["transition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "order"], name="phase_unique_order"),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="phase_weeks_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.transition} — {self.order}. {self.title}"

    # Validation: every constraint above, said on the field it is about. (The unique position
    # is checked by the admin's forms, which see every phase being moved at once.)
    def clean(self) -> None:
        if self.weeks is not None and self.weeks < 1:
            raise ValidationError({"weeks": "A phase lasts at least 1 week."})


class ItemKind(models.TextChoices):
    """Every kind of roadmap item. Where each kind sits is said once, just below."""

    TASK = "task", "Task"
    RESOURCE = "resource", "Resource"
    ACTION = "action", "Action plan item"


# Tasks and resources belong to a phase; action-plan items have a horizon instead.
PHASE_KINDS = (ItemKind.TASK, ItemKind.RESOURCE)
HORIZON_KINDS = (ItemKind.ACTION,)
# Kinds a member may mark "skipped" (optional reading); the others are done or open.
SKIPPABLE_KINDS = (ItemKind.RESOURCE,)


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


EFFORT_HOURS_MAX = 2000  # a year of full-time work; the catalog file's limit too


class RoadmapItemQuerySet(models.QuerySet):
    def current(self):
        """Items still on the roadmap (archived ones keep members' records but leave plans).

        An item of an archived phase has left the roadmap with its phase.
        """
        return self.filter(is_archived=False).exclude(phase__is_archived=True)


class RoadmapItem(models.Model):
    """A task, resource or action-plan item. `key` is its permanent identity in a transition."""

    Kind = ItemKind
    Horizon = Horizon
    ResourceType = ResourceType
    PHASE_KINDS = PHASE_KINDS
    HORIZON_KINDS = HORIZON_KINDS
    SKIPPABLE_KINDS = SKIPPABLE_KINDS

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="roadmap_items"
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    horizon = models.CharField(max_length=10, choices=Horizon.choices, blank=True)
    key = models.SlugField(max_length=80, help_text="Permanent identity; never reuse or change.")
    title = models.CharField(max_length=300)
    resource_type = models.CharField(max_length=20, choices=ResourceType.choices, blank=True)
    url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    is_archived = models.BooleanField(
        default=False, help_text="Archived items leave plans; members' records of them stay."
    )
    # The personal path: what the item teaches or proves, the work it takes, and the items
    # that must come before it (within its transition).
    skills = models.ManyToManyField(Skill, blank=True, related_name="items")
    effort_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(EFFORT_HOURS_MAX)],
        help_text="Hours of work it takes, for the effort-based schedule.",
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="unlocks"
    )

    objects = RoadmapItemQuerySet.as_manager()
    history = CatalogHistory()  # ActionItem and PhaseItem too

    class Meta:
        ordering = ["transition", "phase__order", "horizon", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "key"], name="roadmapitem_unique_key"),
            models.CheckConstraint(
                condition=Q(effort_hours__isnull=True)
                | Q(effort_hours__gte=1, effort_hours__lte=EFFORT_HOURS_MAX),
                name="roadmapitem_effort_hours_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[str(k) for k in HORIZON_KINDS], phase__isnull=True)
                    & Q(horizon__in=Horizon.values)
                )
                | (Q(kind__in=[str(k) for k in PHASE_KINDS], phase__isnull=False) & Q(horizon="")),
                name="roadmapitem_action_has_horizon_others_have_phase",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        """Off the roadmap: archived, or in an archived phase (the rule `current()` applies).

        Load `phase` with the item (select_related) where many are asked.
        """
        return self.is_archived or (self.phase_id is not None and self.phase.is_archived)

    @property
    def is_action(self) -> bool:
        return self.kind in self.HORIZON_KINDS

    @property
    def can_skip(self) -> bool:
        return self.kind in self.SKIPPABLE_KINDS

    # Validation: every constraint above, said on the field it is about.
    def clean(self) -> None:
        errors = {}
        if self.url and self.url.split(":", 1)[0].lower() not in ("http", "https"):
            errors["url"] = "Give a web address starting with https:// or http://."
        if self.phase_id and self.transition_id and self.phase.transition_id != self.transition_id:
            errors["phase"] = "This phase belongs to another transition."
        elif self.kind in self.HORIZON_KINDS:
            if self.phase_id:
                errors["phase"] = "Action-plan items have a horizon, not a phase."
            if not self.horizon:
                errors["horizon"] = "Choose when this action falls due."
        elif self.kind:
            if self.horizon:
                errors["horizon"] = "Only action-plan items have a horizon."
            if not self.phase_id:
                errors["phase"] = "Tasks and resources belong to a phase."
        if self.pk and (problem := self.dependency_problem(list(self.depends_on.all()))):
            errors["depends_on"] = problem
        if errors:
            raise ValidationError(errors)

    def dependency_problem(self, items: list["RoadmapItem"]) -> str:
        """Why this item cannot depend on `items` ("" when it can): an item never depends on
        itself, on an item of another transition, or on one that already depends on it."""
        for item in items:
            if self.pk and item.pk == self.pk:
                return "An item cannot depend on itself."
            if item.transition_id != self.transition_id:
                return f"“{item}” belongs to another transition; choose items of this one."
        if not self.pk:
            return ""
        edges: dict[int, list[int]] = {}
        links = RoadmapItem.depends_on.through.objects.filter(
            from_roadmapitem__transition_id=self.transition_id
        ).values_list("from_roadmapitem_id", "to_roadmapitem_id")
        for source, target in links:
            edges.setdefault(source, []).append(target)
        for item in items:
            seen, todo = set(), [item.pk]
            while todo:
                pk = todo.pop()
                if pk == self.pk:
                    return f"“{item}” already depends on this item, directly or through others."
                if pk not in seen:
                    seen.add(pk)
                    todo.extend(edges.get(pk, ()))
        return ""

    # Keys: made once from the title, then never changed (plans and the catalog file match
    # items by key, so a renamed item stays the same item).
    def assign_key(self) -> None:
        """Give an item without a key one: its title as a slug, unique in its transition."""
        if not self.key:
            taken = RoadmapItem.objects.filter(transition_id=self.transition_id)
            self.key = unique_slug(self.title, set(taken.values_list("key", flat=True)), 80)


def unique_slug(text: str, taken: set[str], max_length: int, fallback: str = "item") -> str:
    """`text` as a slug of at most `max_length` characters, numbered (-2, -3…) to avoid `taken`."""
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug


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


# --- Catalog sync: what the last load of a catalog file wrote ----------------------------


class LoadedRow(models.Model):
    """One catalog row as the last load of a catalog file left it.

    `fingerprint` is the sha256 of the row's loadable values as loaded (careers/catalog/
    loader.py computes it): a row whose values no longer match it was edited in the admin
    since, and a load leaves it alone unless told to overwrite edits. A catalog row with no
    LoadedRow was created in the admin. A LoadedRow whose row is gone was deleted in the
    admin, and `key` (the row's place in the file, e.g. "transitions/<slug>/items/<key>")
    says which entry of the file a load must not bring back.
    """

    model = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="loadedrow_unique_row"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"
