import re
from datetime import date

import pytest
from django.utils import timezone

from roadmaps.models import ItemProgress
from roadmaps.schedule import add_months
from tests.conftest import TODAY
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


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
    # 200 days in at a 9-month pace: 22 Aug 2026 to 22 May 2027 is 273 days, and phase 1
    # (5 of 11 weeks) takes the first 124 of them, so phase 2 is current on 10 March 2027.
    plan = make_plan(member, transition, start_date=date(2026, 8, 22), pace_months=9)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    phase1, phase2 = transition.phases.order_by("order")
    sections = re.findall(
        r'<section class="([^"]+)" aria-labelledby="([\w-]+)-heading">\s*<details( open)?>', html
    )
    assert sections == [
        ("group group-past", f"phase-{phase1.id}", ""),  # collapsed: no "open"
        ("group group-current", f"phase-{phase2.id}", " open"),
        ("group", "actions", " open"),
    ]
    spans = re.findall(
        r'<span class="group-dates"><time datetime="([\d-]+)">[^<]+</time> – '
        r'<time datetime="([\d-]+)">',
        html,
    )
    assert spans == [
        ("2026-08-22", "2026-12-23"),
        ("2026-12-24", "2027-05-22"),
        ("2026-08-29", "2026-11-20"),  # the actions: start + 7 days to start + 90 days
    ]
    assert 'Phase 2</span> Phase 2 <span class="badge badge-current">Current</span>' in html
    assert html.count("Current</span>") == 1


def test_on_track_badge_counts_items_behind_and_ahead(member_client, member, transition):
    # 95 days in at a 9-month pace (5 Dec 2026 to 5 Sep 2027, 274 days): the week (7), month
    # (30) and quarter (90) actions are due, and so are phase 1's three items (days 31, 62 and
    # 93 of its 124); phase 2's first item is not due until day 161.
    plan = make_plan(member, transition, start_date=date(2026, 12, 5), pace_months=9)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">6 items behind<' in html
    assert "Expected by today: 6 items." in html
    for item in transition.roadmap_items.filter(kind="action"):
        plan.set_item_state(item, "done", now=timezone.now(), planned_on=TODAY)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">3 items behind<' in html
    assert "3 of 9 done (33%)" in html


def test_a_new_plan_is_on_track_and_ticking_ahead_says_so(member_client, member, transition):
    plan = make_plan(member, transition)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">On track<' in html
    task = transition.roadmap_items.filter(kind="task").last()  # planned months from now
    member_client.post(f"{plan.get_absolute_url()}items/{task.id}/state/", {"state": "done"})
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'id="on-track-badge">1 item ahead<' in html


def test_this_week_lists_what_is_due_soon(member_client, member, transition):
    # Started Sunday 7 March 2027: the week's action falls due on Sunday 14 March, within the
    # seven days from Wednesday 10 March; the first phase item is not due until mid-April.
    plan = make_plan(member, transition, start_date=date(2027, 3, 7))
    html = member_client.get(plan.get_absolute_url()).content.decode()
    focus = html[html.index('id="focus"') : html.index("</section>", html.index('id="focus"'))]
    assert re.findall(
        r'">([^<]+)</a> <time datetime="([\d-]+)" class="">([^<]+)</time>', focus
    ) == [("Action due week", "2027-03-14", "Sun 14 Mar")]


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
    assert not re.search(r"\sstyle\s*=|\s(data-)?hx-on|\son[a-z]+\s*=", html)
    for post in re.findall(r"<[^>]*hx-post[^>]*>", html):
        assert post.startswith("<form") and 'method="post"' in post and "action=" in post
    for get in re.findall(r"<[^>]*hx-get[^>]*>", html):
        assert get.startswith("<a") and "href=" in get


def test_a_40_item_plan_page_weighs_under_60_kb(member_client, member, seed_transition):
    plan = make_plan(member, seed_transition, start_date=date(2026, 11, 21), pace_months=12)
    items = list(seed_transition.roadmap_items.order_by("order", "id"))
    assert len(items) == 40
    for n, item in enumerate(items[:15]):  # a third done, with notes and evidence on some
        plan.set_item_state(item, "done", now=timezone.now())
        if n % 3 == 0:
            ItemProgress.objects.filter(plan=plan, item=item).update(
                note="Finished the exercises and wrote up what I learnt." * 2,
                evidence_url="https://github.com/example/notebooks",
            )
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert html.count('<li id="item-') == 40
    assert html.count('class="tick tick-on"') == 15
    print("plan page bytes:", len(html.encode()))
    assert len(html.encode()) < 60 * 1024, len(html.encode())


def test_row_urls_are_the_routes_urls(member, seed_transition):
    from django.urls import reverse

    from roadmaps.models import Plan
    from roadmaps.progress import build_plan_view, with_content

    plan = with_content(Plan.objects.filter(pk=make_plan(member, seed_transition).pk)).get()
    row = next(iter(build_plan_view(plan, TODAY).rows.values()))
    assert row.state_url == reverse("roadmaps:item_state", args=[plan.id, row.item.id])
    assert row.note_url == reverse("roadmaps:item_note", args=[plan.id, row.item.id])
    assert row.dom_id == f"item-{row.item.id}"
    assert row.planned_label == f"{row.planned_on.day} {row.planned_on:%b %Y}"
