"""Staff insights: exact aggregates on a small known dataset, staff only, constant queries."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import RoadmapItem
from roadmaps.charts import NARROW, PercentBar, percent_columns, percent_rows
from roadmaps.insights import build_insights, plans_note
from roadmaps.models import CheckIn, Plan
from tests.conftest import NOW
from tests.factories import make_member, make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/staff/insights/"
SEQ = itertools.count()
START = date(2027, 1, 4)  # a Monday, nine weeks before the frozen Wednesday 10 March 2027
LONG_AGO = datetime(2027, 1, 20, 9, 0, tzinfo=NOW.tzinfo)


def member(email=None, **kwargs):
    """A member who never signs in here: no password to hash (Argon2 is slow on purpose)."""
    return get_user_model().objects.create(email=email or f"m{next(SEQ)}@example.com", **kwargs)


def item(transition, key) -> RoadmapItem:
    return transition.roadmap_items.get(key=key)


def tick(plan, key, when, state="done"):
    plan.set_item_state(item(plan.transition, key), state, now=when)


def checkin(plan, week: date, saved: datetime) -> CheckIn:
    made = CheckIn.objects.create(plan=plan, week=week, hours=Decimal(4), confidence=3)
    CheckIn.objects.filter(pk=made.pk).update(updated_at=saved)
    return made


@pytest.fixture
def dataset(superuser):
    """Eight members. T: 9 items (2 phases of 2 tasks and a resource, 3 actions). U: 5 items.

    A (T) ticked 2 days ago; checked in weeks of 4 Jan, 11 Jan, 1 Mar.   1/9 = 11%
    B (T) ticked 2 tasks and skipped a resource on 20 Jan; checked in the week of 18 Jan
          (saved 20 Jan): stalled after phase 1.                        2/8 = 25%
    C (T) no tick; checked in the week of 15 Feb, saved 18 Feb: stalled.    0%
    D (T) 4 ticks on 20 Jan (and one on an item retired since), paused on 15 Feb; checked
          in the week of 15 Feb (a paused week: not expected, not counted). 4/9 = 44%
    H (T) nothing at all: stalled.                                          0%
    E (U) left on 1 Feb.
    F (U) started today, ticked one item now.                            1/5 = 20%
    G     no plan.
    Not counted: staff, an inactive account.
    """
    t = make_transition(title="Into T")
    u = make_transition(phases=1, tasks=2, resources=0, title="Into U")
    retired = RoadmapItem.objects.create(
        transition=t, phase=item(t, "p1-task-0").phase, kind="task", key="gone", title="Gone",
        order=9,
    )  # fmt: skip
    plans = {}
    for name in "ABCDH":
        plans[name] = make_plan(member(f"{name.lower()}@example.com"), t, start_date=START)
    plans["E"] = make_plan(member("e@example.com"), u, start_date=START)
    plans["F"] = make_plan(member("f@example.com"), u)
    member("g@example.com")
    member("inactive@example.com", is_active=False)

    tick(plans["A"], "p1-task-0", NOW - timedelta(days=2))
    for week in (date(2027, 1, 4), date(2027, 1, 11), date(2027, 3, 1)):
        checkin(plans["A"], week, NOW)
    tick(plans["B"], "p1-task-0", LONG_AGO)
    tick(plans["B"], "p1-task-1", LONG_AGO)
    tick(plans["B"], "p1-resource-0", LONG_AGO, "skipped")
    checkin(plans["B"], date(2027, 1, 18), LONG_AGO)
    checkin(plans["C"], date(2027, 2, 15), datetime(2027, 2, 18, tzinfo=NOW.tzinfo))
    for key in ("p1-task-0", "p1-task-1", "p1-resource-0", "p2-task-0", "gone"):
        tick(plans["D"], key, LONG_AGO)
    plans["D"].set_status(Plan.Status.PAUSED, date(2027, 2, 15))
    checkin(plans["D"], date(2027, 2, 15), datetime(2027, 2, 16, tzinfo=NOW.tzinfo))
    plans["E"].set_status(Plan.Status.ARCHIVED, date(2027, 2, 1))
    tick(plans["F"], "p1-task-0", NOW)
    retired.is_archived = True
    retired.save()
    return plans


def test_the_numbers_on_a_known_dataset(dataset):
    data = build_insights(NOW, NOW.date())
    assert (data.members, data.active_7, data.active_30, data.plans) == (8, 2, 4, 6)
    rows = [(t.title, t.active, t.paused, t.left, sorted(t.percents), t.median)
            for t in data.transitions]  # fmt: skip
    assert rows == [
        ("Into T", 4, 1, 0, [0, 0, 11, 25, 44], 11),
        ("Into U", 1, 0, 1, [20], 20),
    ]
    assert [(w.week, w.checkins, w.expected, w.percent) for w in data.weeks] == [
        (date(2026, 12, 14), 0, 0, None),
        (date(2026, 12, 21), 0, 0, None),
        (date(2026, 12, 28), 0, 0, None),
        (date(2027, 1, 4), 1, 6, 17),
        (date(2027, 1, 11), 1, 6, 17),
        (date(2027, 1, 18), 1, 6, 17),
        (date(2027, 1, 25), 0, 6, 0),
        (date(2027, 2, 1), 0, 5, 0),
        (date(2027, 2, 8), 0, 5, 0),
        (date(2027, 2, 15), 1, 4, 25),
        (date(2027, 2, 22), 0, 4, 0),
        (date(2027, 3, 1), 1, 4, 25),
    ]
    assert data.stalled == 3
    assert [(s.title, s.transition, s.plans) for s in data.stall_items] == [
        ("Resource 0 of phase 1", "Into T", 2),
        ("Resource 0 of phase 2", "Into T", 1),
    ]
    assert [(s.title, s.plans) for s in data.stall_phases] == [
        ("Phase 1: Phase 1", 2),
        ("Phase 2: Phase 2", 1),
    ]
    assert data.path_finder_answers == []


def test_a_plan_ticked_recently_is_not_stalled(dataset):
    tick(dataset["C"], "p1-task-0", NOW - timedelta(days=20))
    data = build_insights(NOW, NOW.date())
    assert data.stalled == 2
    assert [(s.title, s.plans) for s in data.stall_items] == [
        ("Resource 0 of phase 1", 1),
        ("Resource 0 of phase 2", 1),
    ]


def test_the_page_shows_them_to_staff(admin_client, dataset):
    response = admin_client.get(URL)
    html = response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert '<dd id="members-count">8</dd>' in html
    assert '<dd id="active-7">2</dd>' in html
    assert '<dd id="active-30">4</dd>' in html
    assert '<dd id="stalled-count">3</dd>' in html
    assert (
        '<tr><th scope="row">Into T</th><td data-label="Active">4</td><td data-label="Paused">1'
        '</td><td data-label="Left">0</td><td data-label="Median progress">11%</td></tr>' in html
    )
    assert (
        '<td data-label="Check-ins">1</td><td data-label="Plans expected">4</td>'
        '<td data-label="Rate">25%</td>'
    ) in html  # the week of 1 March
    # 9 weeks with plans and 2 transitions, drawn once wide and once for a phone
    assert html.count('<rect class="chart-bar"') == 2 * (9 + 2)
    assert html.count('<svg class="chart-svg chart-wide"') == 2
    assert html.count('<svg class="chart-svg chart-narrow"') == 2
    assert '<th scope="row">Resource 0 of phase 1</th><td>Into T</td><td>2</td>' in html
    assert "No path finder answers yet." in html
    assert "a@example.com" not in html
    assert "style=" not in html and "<script>" not in html


def test_an_empty_site_still_renders(admin_client):
    html = admin_client.get(URL).content.decode()
    assert '<dd id="members-count">0</dd>' in html
    assert "No member has started a plan yet." in html
    assert "No stalled plans." in html


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_anyone_but_staff_gets_a_404(client, who):
    if who == "member":
        client.force_login(make_member())
    assert client.get(URL).status_code == 404


def test_the_admin_index_links_to_it(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{URL}">Staff insights</a>' in html
    assert "Roadmap items" in html  # the admin's own index is still there


# --- Query budget -------------------------------------------------------------------------


def populate(members: int, transition):
    for n in range(members):
        plan = make_plan(member(), transition, start_date=START + timedelta(days=n % 5))
        if n % 3:
            tick(plan, "p1-task-0", LONG_AGO + timedelta(days=n))
        if n % 4 == 0:
            plan.set_status(Plan.Status.PAUSED, date(2027, 2, 1))
        for k in range(n % 4):
            checkin(plan, date(2027, 1, 11) + timedelta(weeks=k), NOW)


def queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_for_3_members_and_40(
    admin_client, django_assert_max_num_queries
):
    transitions = [make_transition(), make_transition(phases=1)]
    populate(3, transitions[0])
    small = queries(admin_client)
    for t in transitions:
        populate(20, t)
    assert build_insights(NOW, NOW.date()).plans == 43
    with django_assert_max_num_queries(small):
        admin_client.get(URL)
    assert small <= 10


def test_items_already_known_count_as_progress(dataset):
    """Plan A (9 items: 1 done) gains two known items: 3 of 9 is 33% (it was 11%)."""
    plan = Plan.objects.get(transition__title="Into T", user__email="a@example.com")
    for key in ("p1-task-1", "p1-resource-0"):
        plan.progress.create(item=item(plan.transition, key), state="known")
    data = build_insights(NOW, NOW.date())
    into_t = next(t for t in data.transitions if t.title == "Into T")
    assert sorted(into_t.percents) == [0, 0, 25, 33, 44]


def test_row_labels_break_between_words_to_fit_their_drawing():
    title = "From Software Engineer to AI Interpretability Researcher: Your 12-Month Guide"
    bars = [PercentBar(title, 40, note="3 plans"), PercentBar("Short", 10, note="1 plan")]
    wide, narrow = percent_rows(bars), percent_rows(bars, NARROW)
    assert [line.label for line in wide.bars[0].lines] == [
        "From Software Engineer to AI Interpretability Researcher: Your",
        "12-Month Guide (3 plans)",
    ]
    assert [line.label for line in narrow.bars[0].lines] == [
        "From Software Engineer to AI",
        "Interpretability Researcher: Your",
        "12-Month Guide (3 plans)",
    ]
    assert [line.label for line in narrow.bars[1].lines] == ["Short (1 plan)"]
    # lines top to bottom, all above their bar; the next row starts below the bar
    first, second, third = (line.position for line in narrow.bars[0].lines)
    assert first < second < third < narrow.bars[0].y
    assert third == narrow.bars[0].y - 4
    assert narrow.bars[0].y + narrow.bars[0].height < narrow.bars[1].lines[0].position - 12
    assert narrow.height > narrow.bars[1].y + narrow.bars[1].height
    assert (narrow.width, narrow.right) == (NARROW, NARROW - 12)
    assert narrow.bars[0].width == round((NARROW - 12 - 48) * 0.4, 1)
    assert wide.bars[0].width == round((640 - 12 - 48) * 0.4, 1)
    assert bars[0].lines == [] and bars[0].width == 0  # the bars given are left as they were


def test_a_one_line_row_keeps_the_wide_layout():
    chart = percent_rows([PercentBar("A", 50), PercentBar("B", None)])
    assert [bar.y for bar in chart.bars] == [16, 52]
    assert [bar.lines[0].position for bar in chart.bars] == [12, 48]
    assert [bar.width for bar in chart.bars] == [290.0, 0]
    assert chart.height == 2 * 36 + 4


def test_plan_counts_are_pluralised():
    assert [plans_note(1), plans_note(3), plans_note(1, 1), plans_note(2, 5)] == [
        "1 plan",
        "3 plans",
        "1 of 1 plan",
        "2 of 5 plans",
    ]


def test_narrow_week_columns_label_fewer_weeks():
    bars = [PercentBar(f"W{n}", 50) for n in range(12)]
    wide, narrow = percent_columns(bars), percent_columns(bars, NARROW)
    assert [t.label for t in wide.x_ticks] == ["W0", "W2", "W4", "W6", "W8", "W10"]
    assert [t.label for t in narrow.x_ticks] == ["W0", "W4", "W8"]
    assert narrow.bars[-1].x + narrow.bars[-1].width < NARROW - 12 < wide.bars[-1].x
