"""Bad input gets a clear 4xx or the form again with an error, never a 500 (issue 12, finding 4).

Each test names the request that used to fail. The ones that depended on the database (NUL
bytes on PostgreSQL, numbers past 64 bits on SQLite) are worth running on both:
`DATABASE_URL=postgres://... pytest tests/test_bad_input.py`.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from roadmaps.calendar import reset_feed
from roadmaps.forms import ID_MAX, bounded_int
from roadmaps.models import CheckIn, Plan
from tests.factories import make_member, make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LAST_WEEK = date(2027, 3, 1)  # the frozen clock shows Wednesday 10 March 2027
NOT_FOUND = "We could not find that page"

# Numbers and strings a client can send where the app expects a small positive integer.
HOSTILE_NUMBERS = [
    str(2**63),
    str(10**30),
    "-1",
    "0",
    "abc",
    "1\x00",
    "\x00",
    "",
    "1.5",
    "1e3",
    " 1",
    "１",  # a full-width digit: int() takes it, a query should not see it
    "9" * 5000,  # past int()'s digit limit
]


@pytest.fixture
def member(db):
    return make_member(email="member@example.com")


@pytest.fixture
def member_client(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


@pytest.fixture
def transition(db):
    return make_transition()


@pytest.fixture
def plan(member, transition):
    """A plan that started five weeks ago, on Wednesday 3 February 2027."""
    return make_plan(member, transition, start_date=date(2027, 2, 3))


def checkin_url(plan, week=None):
    if week is None:
        return reverse("roadmaps:checkin", args=[plan.id])
    return reverse("roadmaps:checkin_week", args=[plan.id, week.isoformat()])


def answers(**overrides):
    data = {"hours": "6.5", "confidence": "4", "wins": "Shipped the probe", "blockers": "",
            "next_focus": "Read the paper"}  # fmt: skip
    data.update(overrides)
    return data


# --- The shared bounded-int helper ----------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_NUMBERS + [None, True, 3.0, ["1"]])
def test_bounded_int_refuses_anything_but_a_plain_number_in_range(value):
    assert bounded_int(value, 1, ID_MAX) is None


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [("1", 1, ID_MAX, 1), (str(ID_MAX), 1, ID_MAX, ID_MAX), ("7", 1, 7, 7), (3, 1, 7, 3),
     ("8", 1, 7, None), ("0", 1, 7, None), ("007", 1, 7, 7)],
)  # fmt: skip
def test_bounded_int_takes_numbers_in_range_only(value, low, high, expected):
    assert bounded_int(value, low, high) == expected


# --- The calendar feed's token ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/calendar/a%00b.ics", "/calendar/%00.ics", "/calendar/" + "a" * 65 + ".ics"]
)
def test_a_feed_token_with_a_nul_byte_is_a_404_without_a_query(
    path, django_assert_num_queries, member
):
    # On PostgreSQL the token used to reach the lookup: "A string literal cannot contain NUL".
    reset_feed(member)
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_a_real_feed_token_still_opens_the_feed(member, plan):
    feed = reset_feed(member)
    response = Client().get(reverse("roadmaps:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content


# --- Plan settings ----------------------------------------------------------------------------


def test_an_empty_settings_post_on_a_paused_plan_says_why_nothing_changed(member_client, plan):
    plan.set_status(Plan.Status.PAUSED, date(2027, 3, 10))
    response = member_client.post(reverse("roadmaps:settings", args=[plan.id]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Resume or restore the plan before changing its pace." in html
    plan.refresh_from_db()
    assert plan.pace_months == 12 and not plan.changes.filter(kind="pace").exists()


@pytest.mark.parametrize("status", [Plan.Status.PAUSED, Plan.Status.ARCHIVED])
def test_a_pace_posted_on_a_stopped_plan_is_refused_and_kept(member_client, plan, status):
    plan.set_status(status, date(2027, 3, 10))
    response = member_client.post(reverse("roadmaps:settings", args=[plan.id]), {"pace_months": 14})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Resume or restore the plan before changing its pace." in html
    assert '<option value="14" selected>' in html  # what was chosen is still chosen
    plan.refresh_from_db()
    assert plan.pace_months == 12


def test_an_empty_settings_post_on_an_active_plan_asks_for_a_pace(member_client, plan):
    response = member_client.post(reverse("roadmaps:settings", args=[plan.id]), {})
    assert response.status_code == 200
    assert "Choose a pace." in response.content.decode()


@pytest.mark.parametrize("pace", HOSTILE_NUMBERS)
def test_a_hostile_pace_is_a_form_error(member_client, plan, pace):
    response = member_client.post(
        reverse("roadmaps:settings", args=[plan.id]), {"pace_months": pace}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a pace between 9 and 15 months." in html or "Choose a pace." in html
    plan.refresh_from_db()
    assert plan.pace_months == 12


# --- Check-ins --------------------------------------------------------------------------------


def test_a_checkin_for_a_closed_week_of_a_left_plan_is_refused_with_a_message(member_client, plan):
    CheckIn.objects.create(plan=plan, week=LAST_WEEK, hours=Decimal(3), confidence=2)
    plan.set_status(Plan.Status.ARCHIVED, date(2027, 3, 10))
    response = member_client.post(checkin_url(plan, LAST_WEEK), answers())
    assert response.status_code == 302
    assert response["Location"] == checkin_url(plan, LAST_WEEK)
    page = member_client.get(response["Location"]).content.decode()
    assert "That week has ended, so its check-in can no longer change." in page
    checkin = CheckIn.objects.get(plan=plan)
    assert (checkin.hours, checkin.confidence) == (Decimal(3), 2)


def test_a_checkin_on_a_left_plan_is_refused_and_the_answers_kept(member_client, plan):
    plan.set_status(Plan.Status.ARCHIVED, date(2027, 3, 10))
    response = member_client.post(checkin_url(plan), answers())
    assert response.status_code == 200
    html = response.content.decode()
    assert "You left this plan. Restore it to check in." in html
    assert "Shipped the probe" in html and 'value="6.5"' in html
    assert not CheckIn.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("focus", HOSTILE_NUMBERS)
def test_a_hostile_focus_item_id_is_a_form_error(member_client, plan, focus):
    # 2**63 used to raise OverflowError on SQLite ("Python int too large to convert").
    response = member_client.post(checkin_url(plan), answers(focus_items=[focus]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pick items that are still open on your plan." in html
    assert "Shipped the probe" in html  # nothing lost
    assert not CheckIn.objects.filter(plan=plan).exists()


def test_a_real_focus_item_is_still_taken(member_client, plan):
    item = plan.transition.roadmap_items.filter(kind="task").first()
    response = member_client.post(checkin_url(plan), answers(focus_items=[str(item.id)]))
    assert response.status_code == 302
    assert list(CheckIn.objects.get(plan=plan).focus_items.all()) == [item]


@pytest.mark.parametrize("hours", ["1e999999", "-1e999999", "NaN", "Infinity", "1e-999999", "\x00"])
def test_hostile_hours_are_a_form_error(member_client, plan, hours):
    response = member_client.post(checkin_url(plan), answers(hours=hours))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not CheckIn.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("week", ["%00", "9999999-01-01", "0001-01-01", "9999-12-31", "x" * 300])
def test_a_hostile_week_in_the_url_is_a_400_with_a_message(member_client, plan, week):
    response = member_client.get(f"/plans/{plan.id}/checkins/{week}/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_a_check_in_history_page_that_is_not_a_page_number_is_a_404(member_client, plan, number):
    # Paginator.get_page() used to show page 1 or the last page for anything at all, so a
    # broken link looked right. (A number past the end still shows the last page.)
    url = reverse("roadmaps:checkin_history", args=[plan.id])
    response = member_client.get(url, {"page": number})
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_check_in_history_pages_still_open(member_client, plan):
    for weeks_back in range(12):  # 12 check-ins: two pages of ten
        week = LAST_WEEK - timedelta(weeks=weeks_back)
        CheckIn.objects.create(plan=plan, week=week, hours=1, confidence=3)
    url = reverse("roadmaps:checkin_history", args=[plan.id])
    assert member_client.get(url).status_code == 200
    assert member_client.get(url, {"page": "1"}).status_code == 200
    for number in ("2", "3", str(ID_MAX)):
        response = member_client.get(url, {"page": number})
        assert response.status_code == 200
        assert "Page 2 of 2" in response.content.decode()


# --- Ids in URLs and other numbers ---------------------------------------------------------------


@pytest.mark.parametrize("item_id", [2**63, 10**30, 0, ID_MAX])
def test_a_tick_for_an_item_id_past_64_bits_is_a_400(member_client, plan, item_id):
    response = member_client.post(f"/plans/{plan.id}/items/{item_id}/state/", {"state": "done"})
    assert response.status_code == 400
    assert "That item is not on this plan" in response.content.decode()


@pytest.mark.parametrize("plan_id", [2**63, 10**30, 0, ID_MAX])
@pytest.mark.parametrize("suffix", ["", "settings/", "checkins/", "checkins/history/"])
def test_a_plan_id_past_64_bits_is_a_404(member_client, plan, plan_id, suffix):
    response = member_client.get(f"/plans/{plan_id}/{suffix}")
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


@pytest.mark.parametrize("hours", [str(10**30), str(2**63), "-1", "1\x00", "1e3"])
def test_hostile_hours_per_week_on_the_start_form_are_a_form_error(
    member_client, transition, hours
):
    url = reverse("roadmaps:start", args=[transition.slug])
    data = {"start_date": "2027-03-10", "pace_months": "12", "hours_per_week": hours}
    response = member_client.post(url, data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Plan.objects.exists()


# --- The request guards (config.middleware.request_limits) ------------------------------------


def test_a_body_over_one_megabyte_is_a_413(member_client, plan):
    body = b"wins=" + b"a" * (1024 * 1024 + 1)
    response = member_client.generic(
        "POST", checkin_url(plan), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "x-no-such-charset"])
def test_a_form_in_another_charset_is_refused(member_client, plan, charset):
    body = "hours=6&confidence=4".encode("utf-16" if charset == "x-no-such-charset" else charset)
    response = member_client.generic(
        "POST",
        checkin_url(plan),
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 415
    assert "Send forms encoded as UTF-8." in response.content.decode()
    assert not CheckIn.objects.exists()
