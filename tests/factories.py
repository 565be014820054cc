"""Plain factory helpers: each takes overrides as keyword arguments."""

from __future__ import annotations

import itertools

from django.utils import timezone

from careers.models import (
    FAQ,
    GlossaryTerm,
    Phase,
    RoadmapItem,
    Role,
    SalaryBand,
    Skill,
    SkillArea,
    Status,
    Transition,
)

_seq = itertools.count(1)


def make_role(**kwargs) -> Role:
    n = next(_seq)
    kwargs.setdefault("slug", f"role-{n}")
    kwargs.setdefault("name", f"Role {n}")
    kwargs.setdefault("kind", Role.Kind.AI_ROLE)
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("summary", f"Summary of role {n}.")
    return Role.objects.create(**kwargs)


def make_skill(**kwargs) -> Skill:
    n = next(_seq)
    kwargs.setdefault("slug", f"skill-{n}")
    kwargs.setdefault("name", f"Skill {n}")
    kwargs.setdefault("area", SkillArea.PROGRAMMING)
    kwargs.setdefault("typical_weeks", 4)
    return Skill.objects.create(**kwargs)


def make_band(role: Role, **kwargs) -> SalaryBand:
    kwargs.setdefault("market", "US Big Tech")
    kwargs.setdefault("currency", "USD")
    kwargs.setdefault("low", 100_000)
    kwargs.setdefault("high", 200_000)
    return SalaryBand.objects.create(role=role, **kwargs)


def make_transition(
    phases: int = 2,
    tasks: int = 2,
    resources: int = 1,
    *,
    effort_hours: int | None = None,
    chain: bool = False,
    **kwargs,
) -> Transition:
    """A published transition with `phases` phases, each with tasks and resources.

    `effort_hours`: every task and resource takes that many hours (None: no estimates, as an
    un-enriched catalogue); `chain`: each task depends on the task before it (across phases).
    """
    n = next(_seq)
    kwargs.setdefault("from_role", make_role(kind=Role.Kind.BACKGROUND))
    kwargs.setdefault("to_role", make_role())
    kwargs.setdefault("slug", f"transition-{n}")
    kwargs.setdefault("title", f"Transition {n}")
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("difficulty", Transition.Difficulty.MODERATE)
    kwargs.setdefault("timeline_min_months", 9)
    kwargs.setdefault("timeline_max_months", 15)
    transition = Transition.objects.create(**kwargs)
    previous_task = None
    for number in range(1, phases + 1):
        phase = Phase.objects.create(
            transition=transition, order=number, title=f"Phase {number}", weeks=4 + number
        )
        for i in range(tasks):
            task = RoadmapItem.objects.create(
                transition=transition,
                phase=phase,
                kind=RoadmapItem.Kind.TASK,
                key=f"p{number}-task-{i}",
                title=f"Task {i} of phase {number}",
                order=i,
                effort_hours=effort_hours,
            )
            if chain and previous_task is not None:
                task.depends_on.add(previous_task)
            previous_task = task
        for i in range(resources):
            RoadmapItem.objects.create(
                transition=transition,
                phase=phase,
                kind=RoadmapItem.Kind.RESOURCE,
                resource_type=RoadmapItem.ResourceType.COURSE,
                key=f"p{number}-resource-{i}",
                title=f"Resource {i} of phase {number}",
                order=i,
                effort_hours=effort_hours,
            )
    for order, horizon in enumerate(RoadmapItem.Horizon.values):
        RoadmapItem.objects.create(
            transition=transition,
            kind=RoadmapItem.Kind.ACTION,
            horizon=horizon,
            key=f"action-{horizon}",
            title=f"Action due {horizon}",
            order=order,
        )
    return transition


def make_faq(**kwargs) -> FAQ:
    kwargs.setdefault("question", "A question?")
    kwargs.setdefault("answer", "An answer.")
    return FAQ.objects.create(**kwargs)


def make_term(**kwargs) -> GlossaryTerm:
    n = next(_seq)
    kwargs.setdefault("slug", f"term-{n}")
    kwargs.setdefault("term", f"Term {n}")
    kwargs.setdefault("definition", f"Definition {n}.")
    return GlossaryTerm.objects.create(**kwargs)


def make_member(
    email: str | None = None,
    password: str = "correct-horse-battery",
    verified: bool = True,
    **kwargs,
):
    """A member who can sign in with `password`, with allauth's primary email row for their
    address (verified unless `verified=False`, as right after sign-up)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    if email is None:
        email = f"member-{next(_seq)}@example.com"
    user = User.objects.create_user(email=email, password=password, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def make_plan(user, transition, **kwargs):
    """A plan as the start form makes it, with its "started" history entry."""
    from roadmaps.models import Plan, PlanChange

    kwargs.setdefault("start_date", timezone.localdate())
    kwargs.setdefault("pace_months", transition.default_pace_months)
    plan = Plan.objects.create(user=user, transition=transition, **kwargs)
    plan.record(PlanChange.Kind.START, plan.start_date, "", plan.pace_months)
    return plan
