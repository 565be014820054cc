"""Starting a plan from the path finder's answers: skills held, hours a week, pace."""

import re
from datetime import date

import pytest
from django.urls import reverse

from careers.models import Skill
from roadmaps.models import Plan
from roadmaps.tailoring import held_items, preview_end_date
from tests.factories import make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def skill(slug, area="programming"):
    return Skill.objects.create(slug=slug, name=slug.title(), area=area, typical_weeks=4)


@pytest.fixture
def tailored(db):
    """A transition (pace 9–15, 12 by default) whose phase 1 tasks teach python and sql, and
    whose phase 2 task teaches python and statistics; the rest teaches nothing named."""
    transition = make_transition()
    python, sql, stats = skill("python"), skill("sql", "data"), skill("statistics", "math")
    items = {i.key: i for i in transition.roadmap_items.all()}
    items["p1-task-0"].skills.set([python])
    items["p1-task-1"].skills.set([sql])
    items["p2-task-0"].skills.set([python, stats])
    return transition


def start_url(transition, query=""):
    return reverse("roadmaps:start", args=[transition.slug]) + query


def known_keys(plan):
    return set(plan.progress.filter(state="known").values_list("item__key", flat=True))


def test_a_link_with_answers_fills_the_form(member_client, tailored):
    html = member_client.get(start_url(tailored, "?skills=python&skills=sql&hours=8&months=10"))
    html = html.content.decode()
    checked = [line for line in html.splitlines() if "checked" in line]
    assert len(checked) == 2
    assert 'value="python"' in checked[0] + checked[1] and 'value="sql"' in checked[0] + checked[1]
    assert 'name="hours_per_week" value="8"' in html
    assert '<option value="10" selected>10 months</option>' in html
    assert "2 items will start as “Already know”" in html


def test_the_skills_are_grouped_by_area(member_client, tailored):
    html = member_client.get(start_url(tailored)).content.decode()
    for area in ("Programming and engineering", "Data", "Mathematics and statistics"):
        assert f"<legend>{area}</legend>" in html
    assert "checked" not in html


def test_starting_marks_items_whose_skills_are_all_held_as_known(member_client, member, tailored):
    response = member_client.post(
        start_url(tailored),
        {
            "start_date": "2027-03-10",
            "pace_months": 12,
            "hours_per_week": 8,
            "skills": ["python", "sql"],
        },
    )
    plan = Plan.objects.get(user=member)
    assert response.status_code == 302
    assert "has started. 2 items marked “Already know”." in str(
        list(response.wsgi_request._messages)
    )
    # p2-task-0 also needs statistics; items that teach nothing named stay open.
    assert known_keys(plan) == {"p1-task-0", "p1-task-1"}
    assert plan.progress.count() == 2
    assert plan.hours_per_week == 8
    page = member_client.get(plan.get_absolute_url()).content.decode()
    assert page.count('class="state-label state-known">Already know<') == 2
    assert "2 of 9 done (22%), 2 of them already known" in page


def test_starting_with_no_skills_marks_nothing(member_client, member, tailored):
    member_client.post(start_url(tailored), {"start_date": "2027-03-10", "pace_months": 12})
    assert not Plan.objects.get(user=member).progress.exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?skills=python&hours=0", "Enter at least 1 hour a week (at most 60)."),
        ("?hours=61", "Enter at most 60 hours a week."),
        ("?hours=lots", "Enter a whole number of hours, 1 to 60."),
        ("?pace_months=16", "Choose a pace between 9 and 15 months."),
        ("?pace_months=8", "Choose a pace between 9 and 15 months."),
    ],
)
def test_bad_answers_in_a_link_are_field_errors(member_client, tailored, query, message):
    response = member_client.get(start_url(tailored, query))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Fix the answers marked above" in html
    assert not Plan.objects.exists()


def test_a_path_finder_link_keeps_this_roadmaps_skills_and_fits_the_months(member_client, tailored):
    """The path finder links with every skill held and the months the visitor can give."""
    html = member_client.get(start_url(tailored, "?skills=python&skills=cobol&months=24&hours=5"))
    html = html.content.decode()
    assert "Fix the answers marked above" not in html
    assert "1 of your skills is not taught on this roadmap, so it changes nothing here." in html
    assert "so your 24 months became a 15-month pace" in html
    assert '<option value="15" selected>15 months</option>' in html
    checked = [line for line in html.splitlines() if "checked" in line]
    assert len(checked) == 1 and 'value="python"' in checked[0]


def test_a_skill_of_another_transition_is_refused_on_post(member_client, tailored):
    skill("rust")
    response = member_client.post(
        start_url(tailored), {"start_date": "2027-03-10", "pace_months": 12, "skills": ["rust"]}
    )
    assert "“rust” is not one of this roadmap&#x27;s skills" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_preview_partial_answers_htmx_with_the_end_date(member_client, tailored):
    url = start_url(tailored, "?start_date=2027-03-10&pace_months=12&skills=python&skills=sql")
    response = member_client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="start-preview"')
    assert 'aria-live="polite"' in html
    # No effort hours: the 6 phase items weigh 110 h (phase 1's 50/3 h each, phase 2's 20 h),
    # 3 h a week at 12 months. Knowing two of phase 1's leaves 76⅔ h: 179 days.
    assert 'datetime="2027-09-05"' in html
    assert "Without the skills you have it would end on" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_the_form_asks_for_the_preview_on_change_and_offers_a_no_js_button(member_client, tailored):
    html = member_client.get(start_url(tailored)).content.decode()
    assert f'data-hx-get="{start_url(tailored)}"' in html and 'data-hx-trigger="change"' in html
    assert 'method="post"' in html
    assert 'name="preview" value="1"' in html
    assert 'datetime="2028-03-10"' in html  # the default pace, nothing known


def test_the_no_js_preview_button_shows_the_end_date_and_saves_nothing(member_client, tailored):
    response = member_client.post(
        start_url(tailored),
        {"start_date": "2027-03-10", "pace_months": 12, "skills": ["python"], "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'datetime="2027-10-14"' in html  # 93⅓ h left at 3 h a week: 218 days
    assert not Plan.objects.exists()


def test_a_post_with_errors_still_renders_the_preview_region(member_client, tailored):
    response = member_client.post(
        start_url(tailored), {"start_date": "2027-03-10", "pace_months": 12, "hours_per_week": 99}
    )
    html = response.content.decode()
    assert 'id="start-preview"' in html and "Fix the answers marked above" in html
    assert not Plan.objects.exists()


# --- the pure rules ------------------------------------------------------------------------


def test_held_items_need_every_skill_and_at_least_one(tailored):
    items = list(tailored.roadmap_items.prefetch_related("skills"))
    keys = lambda held: {i.key for i in held_items(items, held)}  # noqa: E731
    assert keys(set()) == set()
    assert keys({"python"}) == {"p1-task-0"}
    assert keys({"python", "statistics"}) == {"p1-task-0", "p2-task-0"}
    assert keys({"python", "sql", "statistics"}) == {"p1-task-0", "p1-task-1", "p2-task-0"}


def test_the_preview_end_date_moves_earlier_with_what_is_known(tailored):
    items = list(tailored.roadmap_items.all())
    start = date(2027, 3, 10)
    work = [i.id for i in items if not i.is_action]
    assert preview_end_date(start, 12, items) == date(2028, 3, 10)
    # No estimates: phase 1's three items weigh 5 weeks × 10 h / 3, phase 2's 6 × 10 / 3
    # (110 h); 12 months is 366 days, so 3 h a week (rounded up). Knowing phase 1 (50 h)
    # leaves 60 h: 140 days at 3 h a week.
    assert preview_end_date(start, 12, items, work[:3]) == date(2027, 7, 28)
    assert preview_end_date(start, 12, items, work) == date(2027, 3, 11)  # at least a day


@pytest.mark.parametrize("effort_hours", [None, 10])
def test_the_plan_page_ends_where_the_start_form_said(member_client, member, effort_hours):
    """The preview and the plan page are one scheduler: known items shorten the plan on both."""
    transition = make_transition(effort_hours=effort_hours)
    python = skill("python")
    transition.roadmap_items.get(key="p1-task-0").skills.set([python])
    data = {"start_date": "2027-03-10", "pace_months": 12, "skills": ["python"]}
    preview = member_client.post(start_url(transition), {**data, "preview": "1"})
    promised = re.search(r'datetime="([\d-]+)"', preview.content.decode()).group(1)
    member_client.post(start_url(transition), data)
    plan = Plan.objects.get(user=member)
    from roadmaps.progress import build_plan_view, with_content

    view = build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), plan.start_date)
    assert view.schedule.end.isoformat() == promised
    assert view.schedule.end < date(2028, 3, 10)  # sooner than the pace without the skill
