"""The path finder page: the form, the ranked results, answers kept in the session and on the
member's profile, and a constant number of queries."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from careers.models import Role, SkillArea, SkillToLearn, Status
from careers.page_cache import CSRF_MARK
from careers.pathfinder import SESSION_KEY
from tests.accounts.conftest import signup_data
from tests.factories import make_band, make_member, make_role, make_skill, make_transition

pytestmark = pytest.mark.django_db

URL = reverse("careers:pathfinder")
ANSWERS = {
    "background": "software-engineer",
    "skills": ["python"],
    "enjoy": ["building"],
    "hours": "5",
    "months": "12",
    "phd": "no",
    "market": "US Big Tech",
}


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def build_pathfinder_catalog() -> dict:
    """Skills, two backgrounds, two AI roles (one usually needing a PhD), pay in two markets,
    and a guide from each background (the browser test uses it too)."""
    python = make_skill(slug="python", name="Python", area=SkillArea.PROGRAMMING, typical_weeks=4)
    stats = make_skill(slug="stats", name="Statistics", area=SkillArea.MATH, typical_weeks=6)
    dl = make_skill(slug="dl", name="Deep learning", area=SkillArea.ML, typical_weeks=8)
    research = make_skill(
        slug="research-methods", name="Research methods", area=SkillArea.RESEARCH, typical_weeks=8
    )
    swe = make_role(slug="software-engineer", name="Software Engineer", kind=Role.Kind.BACKGROUND)
    swe.skills.set([python])
    analyst = make_role(slug="data-analyst", name="Data Analyst", kind=Role.Kind.BACKGROUND)
    analyst.skills.set([stats])
    mle = make_role(slug="ml-engineer", name="ML Engineer", order=1, demand="High.")
    mle.skills.set([python, stats, dl])
    make_band(mle, market="US Big Tech", low=150_000, high=250_000)
    make_band(mle, market="UK", currency="GBP", low=70_000, high=120_000)
    scientist = make_role(
        slug="research-scientist", name="Research Scientist", order=2, phd_usually_required=True
    )
    scientist.skills.set([python, stats, dl, research])
    move = make_transition(
        slug="swe-to-mle", title="Software Engineer to ML Engineer", from_role=swe, to_role=mle
    )
    SkillToLearn.objects.create(
        transition=move, name="Deep learning", skill=dl, priority=1, weeks=10
    )
    make_transition(slug="analyst-to-rs", from_role=analyst, to_role=scientist, title="A to RS")
    make_role(slug="draft-role", name="Draft Role", status=Status.DRAFT)
    return {"mle": mle, "scientist": scientist, "move": move}


@pytest.fixture
def catalog(db):
    return build_pathfinder_catalog()


def test_it_shows_a_labelled_form_without_results(client, catalog):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your AI roles, best fit first" not in html
    for label in ["Your background", "Pay market", "Hours a week", "Months available"]:
        assert label in html
    for legend in ["Programming and engineering", "Mathematics and statistics", "What you enjoy"]:
        assert f"<legend>{legend}</legend>" in html
    assert '<option value="software-engineer">Software Engineer</option>' in html
    assert re.search(r'<option value=""[^>]*>Something else</option>', html)
    assert '<option value="US Big Tech">US Big Tech</option>' in html
    assert 'id="id_hours"' in html and '<label for="id_hours">' in html
    assert "How we rank" in html


def test_it_ranks_the_published_roles_with_reasons(client, catalog):
    response = client.get(URL, ANSWERS)
    page = text(response)
    assert page.index("ML Engineer 59") < page.index("Research Scientist 26")
    assert "Draft Role" not in page
    assert "You already have 1 of its 3 skills: Python." in page
    assert "Still to learn: Deep learning (10 weeks) and Statistics (6 weeks)." in page
    assert "32 weeks at your 5 hours a week, which fits in your 12 months." in page
    assert "Pay in US Big Tech: $150,000 – $250,000." in page
    assert "Difficulty from your background: moderate." in page
    assert "It usually requires a PhD, which you would rather not do (−25 points)." in page
    assert "Try it this week: Action due week" in page


def test_start_this_plan_carries_the_answers_to_the_start_form(client, catalog):
    html = client.get(URL, ANSWERS).content.decode()
    hrefs = re.findall(r'<a class="button" href="([^"]+)">Start this plan</a>', html)
    assert len(hrefs) == 2
    mle = urlsplit(hrefs[0].replace("&amp;", "&"))
    assert mle.path == reverse("roadmaps:start", args=["swe-to-mle"])
    assert parse_qs(mle.query) == {"skills": ["python"], "hours": ["5"], "months": ["12"]}
    scientist = urlsplit(hrefs[1].replace("&amp;", "&"))
    assert scientist.path == reverse("roadmaps:start", args=["analyst-to-rs"])
    assert "this one starts from Data Analyst, the closest background to your skills" in text(
        client.get(URL, ANSWERS)
    )


def test_a_post_keeps_the_answers_in_the_session_and_redirects_to_linkable_results(client, catalog):
    response = client.post(URL, ANSWERS)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == URL and location.fragment == "results"
    assert parse_qs(location.query)["skills"] == ["python"]
    assert client.session[SESSION_KEY]["background"] == "software-engineer"
    assert client.session[SESSION_KEY]["hours"] == 5
    # Back on the page with no answers in the address: the form is filled in from the session.
    html = client.get(URL).content.decode()
    assert re.search(r'value="python"[^>]*checked', html)
    assert re.search(r'name="hours" value="5"', html)


def test_a_shared_results_link_saves_nothing(client, catalog):
    member = make_member()
    client.force_login(member)
    client.get(URL, ANSWERS)
    member.refresh_from_db()
    assert member.pathfinder_answers == {}
    assert SESSION_KEY not in client.session


def test_a_members_post_saves_the_answers_to_their_profile_only(client, catalog):
    member, other = make_member(), make_member()
    client.force_login(member)
    client.post(URL, ANSWERS)
    member.refresh_from_db()
    assert member.pathfinder_answers["skills"] == ["python"]
    assert member.pathfinder_answers["market"] == "US Big Tech"
    other.refresh_from_db()
    assert other.pathfinder_answers == {}
    client.logout()
    client.force_login(other)
    html = client.get(URL).content.decode()
    assert not re.search(r'value="python"[^>]*checked', html)
    assert "We filled in your last answers" not in html


def test_a_member_sees_their_saved_answers_in_a_new_session(client, catalog):
    member = make_member(pathfinder_answers={**ANSWERS, "hours": 7, "skills": ["stats"]})
    client.force_login(member)
    html = client.get(URL).content.decode()
    assert re.search(r'name="hours" value="7"', html)
    assert re.search(r'value="stats"[^>]*checked', html)
    assert "We filled in your last answers, saved to your profile." in text(client.get(URL))


def test_signing_in_copies_the_sessions_answers_to_the_profile(client, catalog):
    member = make_member(email="ada@example.com")
    client.post(URL, ANSWERS)
    response = client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.pathfinder_answers["background"] == "software-engineer"


def test_signing_up_copies_the_sessions_answers_to_the_profile(client, catalog):
    client.post(URL, ANSWERS)
    client.post(reverse("account_signup"), signup_data(email="new@example.com"))
    assert User.objects.get(email="new@example.com").pathfinder_answers["enjoy"] == ["building"]


def test_signing_in_without_answers_keeps_the_profiles(client, catalog):
    member = make_member(email="ada@example.com", pathfinder_answers={"hours": 3})
    client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": "correct-horse-battery"}
    )
    member.refresh_from_db()
    assert member.pathfinder_answers == {"hours": 3}


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("hours", "0", "Ensure this value is greater than or equal to 1."),
        ("hours", "61", "Ensure this value is less than or equal to 60."),
        ("months", "2", "Ensure this value is greater than or equal to 3."),
        ("skills", "no-such-skill", "Select a valid choice."),
        ("market", "Mars", "Select a valid choice."),
    ],
)
def test_it_reports_bad_answers_without_ranking(client, catalog, field, value, error):
    response = client.get(URL, {**ANSWERS, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Your AI roles, best fit first" not in response.content.decode()
    response = client.post(URL, {**ANSWERS, field: value})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_without_catalog_skills_it_hides_the_skills_and_ranks_by_the_rest(client, db):
    make_transition(slug="t", to_role=make_role(name="Prompt Engineer"))
    response = client.get(URL, {**ANSWERS, "skills": [], "background": "", "market": ""})
    html = response.content.decode()
    assert "Skills you already have" not in html
    assert "Our catalog does not list skills yet" in html
    assert "Prompt Engineer" in text(response)
    assert "The shortest guide takes 9 months, which fits in your 12 months." in text(response)


def test_the_home_and_roles_pages_and_preferences_link_to_it(client, catalog):
    for url in [
        reverse("careers:home"),
        reverse("careers:roles"),
        catalog["mle"].get_absolute_url(),
    ]:
        assert f'href="{URL}"' in client.get(url).content.decode()
    client.force_login(make_member())
    assert f'href="{URL}"' in client.get(reverse("accounts:preferences")).content.decode()


def build(size: int):
    skills = [make_skill() for _ in range(size)]
    for _ in range(size):
        background = make_role(kind=Role.Kind.BACKGROUND)
        background.skills.set(skills[:2])
        role = make_role()
        role.skills.set(skills)
        make_band(role, market=f"Market {role.pk}")
        move = make_transition(from_role=background, to_role=role, phases=1)
        SkillToLearn.objects.create(transition=move, name="x", skill=skills[0], priority=1, weeks=3)
    return [s.slug for s in skills]


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert "Your AI roles, best fit first" in response.content.decode()
    return len(ctx.captured_queries)


def test_the_results_take_the_same_queries_for_a_small_and_a_large_catalog(client, db):
    params = {**ANSWERS, "background": "", "market": ""}
    small = count_queries(client, {**params, "skills": build(1)})
    large = count_queries(client, {**params, "skills": build(8)})
    assert small == large
    assert large <= 10


def test_the_page_has_no_inline_script_style_or_handlers(client, catalog):
    html = client.get(URL, ANSWERS).content.decode()
    assert "Your AI roles, best fit first" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=|<style|\s(data-)?hx-on|\son[a-z]+=", html)


def test_a_members_export_includes_their_answers(client, catalog):
    member = make_member(pathfinder_answers={"hours": 4})
    client.force_login(member)
    export = client.get(reverse("accounts:export")).json()
    assert export["profile"]["pathfinder_answers"] == {"hours": 4}


def test_the_form_posts_with_its_csrf_token(csrf_client, catalog):
    html = csrf_client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert csrf_client.post(URL, ANSWERS).status_code == 403
    response = csrf_client.post(URL, {**ANSWERS, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_draft_guide_is_never_started(client, catalog):
    make_transition(
        slug="draft-swe-to-rs",
        from_role=Role.objects.get(slug="software-engineer"),
        to_role=catalog["scientist"],
        status=Status.DRAFT,
    )
    html = client.get(URL, ANSWERS).content.decode()
    assert "draft-swe-to-rs" not in html
    assert reverse("roadmaps:start", args=["analyst-to-rs"]) in html


def test_it_works_on_the_shipped_catalog(client, django_db_setup, db):
    from careers.catalog.loader import load_catalog
    from careers.models import Skill

    load_catalog()
    roles = list(Role.objects.published().ai_roles())
    response = client.get(URL, {**ANSWERS, "skills": [], "market": ""})
    page = text(response)
    assert response.status_code == 200
    assert all(role.name in page for role in roles)
    assert page.count("Start this plan") >= 1
    if not Skill.objects.exists():
        assert "Our catalog does not list skills yet" in page


def test_the_catalog_is_read_once_per_version_and_a_staff_change_shows_at_once(client, catalog):
    """The path finder's view of the catalog is kept per catalog version: a repeat visit
    reads no catalog table, and an edit (which replaces the version) is in the next answer."""
    first = count_queries(client, ANSWERS)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, ANSWERS)
    assert len(ctx.captured_queries) < first
    assert not [q for q in ctx.captured_queries if '"careers_' in q["sql"]]
    role = Role.objects.ai_roles().published().order_by("pk").first()
    role.name = "Frontier Research Scientist"
    role.save()
    assert "Frontier Research Scientist" in client.get(URL, ANSWERS).content.decode()


# --- The blank form, kept (careers.views.blank_pathfinder) ----------------------------------


def csrf_token_of(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def without_token(response) -> str:
    return response.content.decode().replace(csrf_token_of(response), "")


def test_the_blank_form_is_kept_and_each_visitor_gets_their_own_working_token(
    catalog, django_assert_max_num_queries
):
    first_visitor = Client(enforce_csrf_checks=True)
    first = first_visitor.get(URL)
    assert first.templates  # rendered
    visitor = Client(enforce_csrf_checks=True)
    # The version and the page: two reads of the database cache (two Redis GETs in production).
    with django_assert_max_num_queries(2):
        again = visitor.get(URL)
    assert again.status_code == 200 and not again.templates  # from the cache
    assert without_token(again) == without_token(first)
    assert CSRF_MARK not in again.content.decode()
    assert csrf_token_of(again) != csrf_token_of(first)
    assert again.cookies[settings.CSRF_COOKIE_NAME].value
    # The token works: the form posts (and a forged one is refused).
    posted = visitor.post(URL, {**ANSWERS, "csrfmiddlewaretoken": csrf_token_of(again)})
    assert posted.status_code == 302
    assert visitor.session[SESSION_KEY]["background"] == "software-engineer"
    forged = Client(enforce_csrf_checks=True)
    forged.get(URL)
    assert forged.post(URL, {**ANSWERS, "csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_a_visitor_with_answers_and_a_member_never_get_the_kept_blank_form(client, catalog):
    Client().get(URL)
    assert not Client().get(URL).templates  # kept for visitors without answers
    client.post(URL, ANSWERS)
    html = client.get(URL).content.decode()
    assert re.search(r'name="hours" value="5"', html)
    assert "We filled in your last answers" in html
    member = make_member(display_name="Grace Hopper")
    member_client = Client()
    member_client.force_login(member)
    response = member_client.get(URL)
    assert response.templates and "Grace Hopper" in response.content.decode()
    # Answers in the address are ranked, not the blank form.
    assert "ML Engineer" in text(Client().get(URL, ANSWERS))


def test_the_kept_blank_form_shows_a_new_background_at_once(catalog):
    Client().get(URL)
    assert "Nurse" not in Client().get(URL).content.decode()
    make_role(slug="nurse", name="Nurse", kind=Role.Kind.BACKGROUND)
    response = Client().get(URL)
    assert response.templates
    assert '<option value="nurse">Nurse</option>' in response.content.decode()
