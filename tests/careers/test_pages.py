"""Each public page, asserted by what it shows."""

import re

import pytest
from django.urls import reverse

from careers.models import Role, Transition
from tests.factories import make_band, make_role, make_term, make_transition

SEED_000 = "software-engineer-to-ai-interpretability-researcher"
pytestmark = pytest.mark.django_db


def test_home_offers_backgrounds_featured_transitions_and_roles(client, catalog):
    html = client.get("/").content.decode()
    for background in Role.objects.backgrounds():
        assert background.get_absolute_url() in html
    for transition in Transition.objects.filter(featured=True):
        assert transition.get_absolute_url() in html
    assert "AI Safety Researcher" in html
    assert "Do you need a PhD to work in AI?" in html


def test_role_list_compares_every_ai_role(client, catalog):
    html = client.get(reverse("careers:roles")).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert table.count('<th scope="row">') == 6
    assert "AI Research Scientist" in table
    assert "US: $100,000 – $500,000+" in table  # University low to the frontier-lab open top
    ml = table[table.index("Machine Learning Engineer") :]
    ml = ml[: ml.index("</tr>")]
    assert '<span class="nowrap">US: $120,000 – $350,000</span><br>' in ml
    assert '<span class="nowrap">UK: £60,000 – £150,000</span>' in ml
    assert "Software Engineer" not in table  # backgrounds are not compared as roles


def test_role_list_narrows_to_chosen_roles_and_ignores_unknown_ones(client, catalog):
    url = reverse("careers:roles") + "?compare=ai-ethicist&compare=ai-product-manager&compare=nope"
    html = client.get(url).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert table.count('<th scope="row">') == 2
    assert "AI Ethicist" in table and "AI Product Manager" in table


def test_role_page_shows_its_salary_bands(client, catalog):
    role = Role.objects.get(name="Machine Learning Engineer")
    html = client.get(role.get_absolute_url()).content.decode()
    assert "Pay by market" in html
    for band in role.salary_bands.all():
        assert band.market in html
    assert "$180,000 – $350,000" in html
    assert "£70,000 – £150,000" in html
    assert "Total compensation" in html
    assert "What does an ML engineer earn?" in html


def test_role_page_links_the_glossary_terms_it_uses(client, catalog):
    role = Role.objects.get(name="AI Safety Researcher")
    html = client.get(role.get_absolute_url()).content.decode()
    assert 'href="/glossary/#' in html
    assert "Key terms on this page" in html


def test_role_page_404s_for_drafts_and_backgrounds(client):
    draft = make_role(status="draft")
    background = make_role(kind=Role.Kind.BACKGROUND)
    assert client.get(reverse("careers:role", args=[draft.slug])).status_code == 404
    assert client.get(reverse("careers:role", args=[background.slug])).status_code == 404


def test_background_page_lists_the_transitions_open_to_it(client, catalog):
    html = client.get(reverse("careers:background", args=["software-engineer"])).content.decode()
    assert "From Software Engineer into AI" in html
    for transition in Transition.objects.filter(from_role__slug="software-engineer"):
        assert transition.get_absolute_url() in html
    other = Transition.objects.exclude(from_role__slug="software-engineer").first()
    assert other.get_absolute_url() not in html


def test_transition_list_filters_by_background_and_difficulty(client, catalog):
    url = reverse("careers:transitions")
    html = client.get(url, {"background": "data-scientist"}).content.decode()
    expected = Transition.objects.filter(from_role__slug="data-scientist")
    assert expected.count() >= 2
    assert html.count('class="card transition-card"') == expected.count()
    html = client.get(url, {"difficulty": "moderate"}).content.decode()
    assert html.count('class="card transition-card"') == (
        Transition.objects.filter(difficulty="moderate").count()
    )


def test_transition_list_reports_an_unknown_filter_instead_of_failing(client, catalog):
    response = client.get(reverse("careers:transitions"), {"difficulty": "impossible"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not recognised" in html
    assert html.count('class="card transition-card"') == Transition.objects.count()


def test_seed_000_transition_page_shows_the_whole_guide(client, catalog):
    t = Transition.objects.get(slug=SEED_000)
    html = client.get(t.get_absolute_url()).content.decode()
    assert "Moderate" in html and "9–15 months" in html and "+40% to +70%" in html
    tasks = t.roadmap_items.filter(kind="task")
    assert tasks.count() == 16
    for task in tasks:
        assert task.title.replace("'", "&#x27;") in html
    assert re.findall(r'class="phase-weeks">(\d+) weeks', html) == ["12", "10", "8", "6"]
    for section in (
        "Your transferable skills",
        "Skills to learn",
        "Learning roadmap",
        "Reality check",
        "Your action plan",
        "Frequently asked questions",
    ):
        assert section in html
    assert "Enroll in the first course of Deep Learning Specialization on Coursera" in html
    assert "Start this transition" in html


def test_transition_page_hides_archived_items(client):
    t = make_transition()
    item = t.roadmap_items.filter(kind="task").first()
    item.is_archived = True
    item.save()
    html = client.get(t.get_absolute_url()).content.decode()
    assert item.title not in html
    assert t.roadmap_items.filter(kind="task", is_archived=False).first().title in html


def test_draft_transition_404s(client):
    t = make_transition(status="draft")
    assert client.get(t.get_absolute_url()).status_code == 404


def test_transition_with_a_draft_role_404s(client):
    t = make_transition(to_role=make_role(status="draft"))
    assert client.get(t.get_absolute_url()).status_code == 404


def test_glossary_lists_every_term_with_an_anchor(client):
    make_term(slug="fine-tuning", term="Fine-tuning", definition="Training a model further.")
    html = client.get(reverse("careers:glossary")).content.decode()
    assert 'id="fine-tuning"' in html and "Training a model further." in html


def test_salary_band_with_open_top_reads_with_a_plus(client):
    role = make_role()
    make_band(role, low=200_000, high=500_000, open_ended=True, market="Frontier labs")
    make_band(role, low=None, high=None, market="Academia", note="Variable")
    html = client.get(role.get_absolute_url()).content.decode()
    assert "$200,000 – $500,000+" in html
    assert "Variable" in html


def test_pages_refuse_post(client, catalog):
    assert client.post(reverse("careers:roles")).status_code == 405


def test_staff_can_preview_drafts(admin_client):
    draft = make_transition(status="draft")
    html = admin_client.get(draft.get_absolute_url()).content.decode()
    assert "Draft: only staff can see this page" in html
    role = make_role(status="draft")
    assert "Draft: only staff" in admin_client.get(role.get_absolute_url()).content.decode()
