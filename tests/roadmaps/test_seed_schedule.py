"""The shipped catalog's own example (seed 000): due dates agree with the guide's words."""

from datetime import date, timedelta

import pytest

from careers.models import RoadmapItem, Transition
from roadmaps.models import Plan, PlanChange
from roadmaps.progress import build_plan_view, with_content
from tests.factories import make_member

START = date(2027, 3, 1)


def plan_dates(hours_per_week):
    transition = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    plan = Plan.objects.create(
        user=make_member(),
        transition=transition,
        start_date=START,
        pace_months=12,
        hours_per_week=hours_per_week,
    )
    plan.record(PlanChange.Kind.START, START, "", 12)
    view = build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), START)
    items = RoadmapItem.objects.filter(transition=transition)

    def due(kind, starts_with):
        [item] = [i for i in items if i.kind == kind and i.title.startswith(starts_with)]
        return view.schedule.items[item.id]

    return due


@pytest.mark.parametrize("hours_per_week", [None, 10])
def test_the_guides_examples_fall_due_in_the_guides_order(catalog, hours_per_week):
    due = plan_dates(hours_per_week)
    github = due("task", "Set up a GitHub repository")
    specialization = due("task", "Complete Deep Learning Specialization")
    # "This month: start a GitHub repo": the repository is due within the month, with it.
    assert github <= due("action", "Start a GitHub repo") <= START + timedelta(days=30)
    assert github < specialization
    # "The skill takes 12 weeks" of part-time work: between 9 and 13 weeks in, not 15 days.
    assert timedelta(weeks=9) <= specialization - START <= timedelta(weeks=13)
    # "Next 90 days: finish the Deep Learning Specialization": due with the course, in 90 days.
    assert due("action", "Finish the Deep Learning Specialization") == specialization
    assert specialization <= START + timedelta(days=90)
    # "This week: enroll in the first course": this week, although the course runs for weeks.
    assert due("action", "Enroll in the first course") == START + timedelta(days=7)
