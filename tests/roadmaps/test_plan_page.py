import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from roadmaps.models import ItemProgress
from roadmaps.schedule import add_months
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def test_seed_000_at_a_12_month_pace_has_dated_phases(member_client, member, seed_transition):
    start = date(2026, 11, 21)
    plan = make_plan(member, seed_transition, start_date=start, pace_months=12)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert f'datetime="{add_months(start, 12).isoformat()}"' in html  # ends 21 Nov 2027
    phases = re.findall(r'<span class="group-dates"><time datetime="([\d-]+)">', html)
    assert phases[0] == "2026-11-21"
    assert len(phases) == 5  # 4 phases and the action plan
    for title in ("Foundation Building", "Hands-On Practice", "Portfolio &amp; Job Search"):
        assert title in html
    assert html.count('class="item item-open') == 16 + 15 + 9


def test_the_current_phase_is_highlighted_and_past_ones_collapsed(
    member_client, member, transition
):
    today = timezone.localdate()
    plan = make_plan(member, transition, start_date=today - timedelta(days=200), pace_months=9)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    phase1, phase2 = transition.phases.order_by("order")
    first = html[html.index(f'aria-labelledby="phase-{phase1.id}-heading"') - 80 :]
    assert first.startswith('<section class="group group-past"') or "group-past" in first[:120]
    assert "<details>" in first[:300]  # collapsed: no "open"
    assert "group-current" in html and "Current</span>" in html


def test_on_track_badge_counts_items_behind_and_ahead(member_client, member, transition):
    today = timezone.localdate()
    plan = make_plan(member, transition, start_date=today - timedelta(days=95), pace_months=9)
    # 95 days in: the week (7), month (30) and quarter (90) actions are all due.
    html = member_client.get(plan.get_absolute_url()).content.decode()
    behind = int(re.search(r'id="on-track-badge">(\d+) items? behind', html).group(1))
    assert behind >= 3
    for item in transition.roadmap_items.filter(kind="action"):
        plan.set_item_state(item, "done", now=timezone.now(), planned_on=today)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert re.search(
        rf'id="on-track-badge">{behind - 3} items? behind|id="on-track-badge">On track', html
    )


def test_a_new_plan_is_on_track_and_ticking_ahead_says_so(member_client, member, transition):
    plan = make_plan(member, transition)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">On track<' in html
    task = transition.roadmap_items.filter(kind="task").last()  # planned months from now
    member_client.post(f"{plan.get_absolute_url()}items/{task.id}/state/", {"state": "done"})
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">1 item ahead<' in html


def test_this_week_lists_what_is_due_soon(member_client, member, transition):
    plan = make_plan(member, transition, start_date=timezone.localdate() - timedelta(days=3))
    html = member_client.get(plan.get_absolute_url()).content.decode()
    focus = html[html.index('id="focus"') : html.index("</section>", html.index('id="focus"'))]
    assert "Action due week" in focus  # start + 7 days is within the next seven days


def test_skipped_resources_leave_the_denominator(member_client, member, transition):
    plan = make_plan(member, transition)
    resource = transition.roadmap_items.filter(kind="resource").first()
    plan.set_item_state(resource, "skipped", now=timezone.now())
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert "0 of 8 done" in html
    assert ItemProgress.objects.get(item=resource).state == "skipped"


def test_it_404s_for_another_members_plan(client, other_member, plan):
    client.force_login(other_member)
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_it_redirects_anonymous_visitors(client, plan):
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_plan_page_has_no_inline_script_or_style(member_client, plan):
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert not re.search(r"\sstyle\s*=|\shx-on|\son[a-z]+\s*=", html)
    for post in re.findall(r"<[^>]*hx-post[^>]*>", html):
        assert post.startswith("<form") and 'method="post"' in post and "action=" in post
    for get in re.findall(r"<[^>]*hx-get[^>]*>", html):
        assert get.startswith("<a") and "href=" in get
