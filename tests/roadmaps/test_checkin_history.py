import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import CheckIn
from tests.conftest import TODAY
from tests.factories import make_member, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

THIS_WEEK = date(2027, 3, 8)  # the Monday of the frozen Wednesday, 10 March 2027


def history(plan):
    return reverse("roadmaps:checkin_history", args=[plan.id])


def plan_with_checkins(member, transition, weeks: int):
    """A plan started `weeks` + 1 weeks before today, checked in for the `weeks` weeks before
    this one ("win 1" last week, "win 2" the week before...), but not for its first week."""
    plan = make_plan(member, transition, start_date=TODAY - timedelta(weeks=weeks + 1))
    for n in range(1, weeks + 1):
        CheckIn.objects.create(
            plan=plan, week=THIS_WEEK - timedelta(weeks=n), hours=n % 9, confidence=3,
            wins=f"win {n}",
        )  # fmt: skip
    return plan


def test_history_is_newest_first_and_paginated(member_client, member, transition):
    plan = plan_with_checkins(member, transition, weeks=12)
    html = member_client.get(history(plan)).content.decode()
    assert html.index("win 1<") < html.index("win 2<") < html.index("win 10<")
    assert "win 11<" not in html and "Page 1 of 2" in html
    html = member_client.get(history(plan) + "?page=2").content.decode()
    assert "win 11<" in html and "win 12<" in html
    assert "Page 2 of 2" in member_client.get(history(plan) + "?page=99").content.decode()


def test_history_lists_missed_weeks_to_fill_in(member_client, member, transition):
    plan = plan_with_checkins(member, transition, weeks=3)  # started Wednesday 10 February
    CheckIn.objects.filter(plan=plan, wins="win 2").delete()  # the week of 22 February
    html = member_client.get(history(plan)).content.decode()
    missed = html[html.index('<ul class="missed-list">') :]
    missed = missed[: missed.index("</ul>")]
    # Newest first; this week is not missed yet, and the plan's first week counts.
    assert re.findall(r'<a href="([^"]+)">Week of ([^<]+)</a>', missed) == [
        (reverse("roadmaps:checkin_week", args=[plan.id, "2027-02-22"]), "22 Feb 2027"),
        (reverse("roadmaps:checkin_week", args=[plan.id, "2027-02-08"]), "8 Feb 2027"),
    ]


def test_history_and_dashboard_queries_do_not_grow_with_checkins(client, transition):
    few_member, many_member = make_member(), make_member()
    few = plan_with_checkins(few_member, transition, weeks=2)
    many = plan_with_checkins(many_member, transition, weeks=30)
    counts = []
    for member, plan in ((few_member, few), (many_member, many)):
        client.force_login(member)
        row = []
        for url in (history(plan), reverse("roadmaps:dashboard"), plan.get_absolute_url()):
            client.get(url)  # a process loads a roadmap once per catalog version: warm it
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1]


def test_the_due_banner_shows_from_the_members_weekday_until_the_checkin(
    member_client, member, transition
):
    plan = make_plan(member, transition, start_date=date(2027, 2, 24))
    member.checkin_weekday = 2  # Wednesday: today is the day
    member.save()
    for url in (plan.get_absolute_url(), reverse("roadmaps:dashboard")):
        assert "Your weekly check-in is due" in member_client.get(url).content.decode()
    CheckIn.objects.create(plan=plan, week=THIS_WEEK, hours=1, confidence=3)
    for url in (plan.get_absolute_url(), reverse("roadmaps:dashboard")):
        assert "Your weekly check-in is due" not in member_client.get(url).content.decode()


def test_no_banner_before_the_weekday_or_for_paused_plans(member_client, member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 2, 24))
    urls = (plan.get_absolute_url(), reverse("roadmaps:dashboard"))
    # Today is Wednesday: due from a Monday or Wednesday check-in day, not Thursday or Sunday.
    for weekday, due in ((3, False), (6, False), (2, True), (0, True)):
        member.checkin_weekday = weekday
        member.save()
        for url in urls:
            shown = "check-in is due" in member_client.get(url).content.decode()
            assert shown is due, (weekday, url)
    plan.set_status("paused", TODAY)
    for url in urls:
        assert "check-in is due" not in member_client.get(url).content.decode(), url


def test_the_streak_shows_on_plan_and_dashboard(member_client, member, transition):
    plan = plan_with_checkins(member, transition, weeks=3)
    assert (
        'Streak: <strong class="streak">3 weeks</strong>'
        in member_client.get(plan.get_absolute_url()).content.decode()
    )
    assert (
        '<dd class="streak">3 weeks</dd>'
        in member_client.get(reverse("roadmaps:dashboard")).content.decode()
    )


def test_the_plan_page_charts_progress_and_the_checkins_page_both_charts_with_tables(
    member_client, member, transition
):
    """The plan page draws planned vs done; hours per week and both charts' tables live on
    the check-in history page, which the plan page links to."""
    plan = plan_with_checkins(member, transition, weeks=3)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    # Each chart is drawn twice: for wide containers and for a phone's width (CSS shows one).
    assert html.count('class="chart-svg chart-wide"') == 1
    assert html.count('class="chart-svg chart-narrow"') == 1
    assert '<polyline class="chart-planned"' in html
    assert 'class="chart-bar"' not in html
    assert "Show the data as a table" not in html and "<table" not in html
    history = reverse("roadmaps:checkin_history", args=[plan.id])
    assert f'href="{history}#burnup-{plan.id}-table"' in html
    assert f'href="{history}#hours-{plan.id}-caption"' in html
    tables = member_client.get(history).content.decode()
    assert tables.count('class="chart-svg chart-wide"') == 2
    assert tables.count('class="chart-bar"') == 3 * 2  # one bar per check-in, in each drawing
    assert "6 hours over 3 check-ins." in tables  # 1 + 2 + 3 hours
    assert tables.count("Show the data as a table") == 2
    for name in ("burnup", "hours"):
        assert f'id="{name}-{plan.id}-table"' in tables
