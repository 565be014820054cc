"""What staff do to a transition as a whole: check it before publishing, publish it, copy it.

Publish checks are a list of rules (`RULES`). Each rule looks at a transition and its current
phases and yields a `Problem` for everything a member would miss, with the admin page that
fixes it. Adding a rule is one function and one line in `RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from careers.models import Phase, RoadmapItem, Status, Transition, unique_slug


@dataclass(frozen=True)
class Problem:
    message: str
    url: str  # the admin page where staff fix it
    fix: str  # the link's text
    blocks: bool = True  # False: a warning only; publishing goes ahead


def _change_url(obj, anchor: str = "") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]) + anchor


def _phase_name(phase: Phase) -> str:
    return f"Phase {phase.order}, “{phase.title}”,"


Rule = Callable[[Transition, list[Phase]], Iterator[Problem]]


def has_phases(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    if not phases:
        yield Problem(
            "The roadmap has no phases.", _change_url(transition, "#phases-group"), "Add phases"
        )


def phases_have_items(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    for phase in phases:
        if not phase.item_count:
            yield Problem(
                f"{_phase_name(phase)} has no tasks or resources.",
                _change_url(phase, "#items-group"),
                "Add tasks and resources",
            )


def phases_have_weeks(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    for phase in phases:
        if not phase.weeks:
            yield Problem(
                f"{_phase_name(phase)} has no length in weeks.",
                _change_url(phase),
                "Set its weeks",
            )


def items_have_effort(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    """The schedule turns effort into due dates: a phase item without hours has no date."""
    items = (
        RoadmapItem.objects.current()
        .filter(transition=transition, phase__in=phases, effort_hours=None)
        .select_related("phase")
        .order_by("phase__order", "kind", "order", "pk")
    )
    for item in items:
        yield Problem(
            f"“{item.title}” ({_phase_name(item.phase)[:-1]}) has no effort in hours.",
            _change_url(item),
            "Set its effort",
        )


def no_dangling_dependencies(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    """An item can only be scheduled after items members will have: current ones of its own
    transition."""
    links = (
        RoadmapItem.depends_on.through.objects.filter(
            from_roadmapitem__transition=transition, from_roadmapitem__is_archived=False
        )
        .filter(~Q(to_roadmapitem__transition=transition) | Q(to_roadmapitem__is_archived=True))
        .select_related("from_roadmapitem", "to_roadmapitem")
        .order_by("from_roadmapitem__pk", "to_roadmapitem__pk")
    )
    for link in links:
        item, needed = link.from_roadmapitem, link.to_roadmapitem
        why = "archived" if needed.transition_id == transition.pk else "in another transition"
        yield Problem(
            f"“{item.title}” depends on “{needed.title}”, which is {why}.",
            _change_url(item),
            "Change what it depends on",
        )


def skills_to_learn_have_skills(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    """The path finder matches what a member knows against the catalog's skills."""
    for row in transition.skills_to_learn.filter(skill=None).order_by("order", "pk"):
        yield Problem(
            f"The skill to learn “{row.name}” is not linked to a skill of the catalog.",
            _change_url(row),
            "Choose its skill",
        )


def has_action_plan(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    actions = RoadmapItem.objects.current().filter(
        transition=transition, kind__in=RoadmapItem.HORIZON_KINDS
    )
    if not actions.exists():
        yield Problem(
            "The action plan (this week / this month / next 90 days) is empty.",
            _change_url(transition, "#roadmap_items-group"),
            "Add action-plan items",
        )


def only_published_pair(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    twin = (
        Transition.objects.filter(
            status=Status.PUBLISHED,
            from_role=transition.from_role_id,
            to_role=transition.to_role_id,
        )
        .exclude(pk=transition.pk)
        .first()
    )
    if twin:
        yield Problem(
            f"“{twin}” is already published for the same two roles.",
            _change_url(twin),
            "Set it back to draft",
        )


def roles_are_published(transition: Transition, phases: list[Phase]) -> Iterator[Problem]:
    """Members only see a transition whose two roles are published too (a warning only)."""
    for role in (transition.from_role, transition.to_role):
        if role.status != Status.PUBLISHED:
            yield Problem(
                f"The role “{role}” is a draft: members will not see this transition "
                "until it is published.",
                _change_url(role),
                "Publish the role",
                blocks=False,
            )


RULES: list[Rule] = [
    has_phases,
    phases_have_items,
    phases_have_weeks,
    items_have_effort,
    has_action_plan,
    no_dangling_dependencies,
    skills_to_learn_have_skills,
    only_published_pair,
    roles_are_published,
]


def publish_problems(transition: Transition) -> list[Problem]:
    """Everything a member would miss if `transition` were published now, blockers first."""
    phases = list(
        Phase.objects.current()
        .filter(transition=transition)
        .annotate(item_count=Count("items", filter=Q(items__is_archived=False)))
        .order_by("order")
    )
    found = [problem for rule in RULES for problem in rule(transition, phases)]
    return sorted(found, key=lambda problem: not problem.blocks)


def blockers(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.blocks]


@transaction.atomic
def publish(transition: Transition) -> list[Problem]:
    """Publish a draft unless something blocks it. Returns the problems found: if any of them
    blocks, the transition stays a draft."""
    transition = Transition.objects.select_for_update().get(pk=transition.pk)
    problems = publish_problems(transition)
    if not blockers(problems) and transition.status != Status.PUBLISHED:
        transition.status = Status.PUBLISHED
        transition.save(update_fields=["status", "updated_at"])
    return problems


def _copy(obj, **changes):
    obj.pk = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


@transaction.atomic
def duplicate_as_draft(source: Transition) -> Transition:
    """A new draft with the source's guide and current roadmap (archived phases and items stay
    behind). Items keep their keys within the copy. Members' plans are never touched: they
    stay on the source."""
    taken = set(Transition.objects.values_list("slug", flat=True))
    slug = unique_slug(f"{source.slug}-copy", taken, Transition._meta.get_field("slug").max_length)
    title = f"{source.title} (copy)"[: Transition._meta.get_field("title").max_length]
    copy = _copy(
        Transition.objects.get(pk=source.pk),
        slug=slug,
        title=title,
        status=Status.DRAFT,
        featured=False,
    )
    copy.sources.set(source.sources.all())
    for related in (source.transferable_skills, source.skills_to_learn, source.reality_check):
        for row in related.all():
            _copy(row, transition=copy)
    for faq in source.faqs.all():
        _copy(faq, transition=copy)
    phases = {}
    for phase in source.phases.current():
        old_pk = phase.pk
        phases[old_pk] = _copy(phase, transition=copy)
    for item in source.roadmap_items.current():
        _copy(item, transition=copy, phase=phases.get(item.phase_id))
    return copy
