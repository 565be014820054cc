"""Sources named as the world knows them, never by internal labels ("Seed 004", "Role 1").

Every salary band and every transition's headline figures say where they come from: a named
source with its year, linked where it has a public address, or "Waypoint editorial estimate".
The real catalog is checked page by page: every public page type and a member's pages.
"""

import html
import json
import re

import pytest
from django.urls import reverse

from careers.catalog.exporter import dump, export_catalog
from careers.catalog.loader import BAND, CATALOG_PATH, TRANSITION, fingerprint, load_catalog
from careers.catalog.schema import CatalogError
from careers.models import EDITORIAL_ESTIMATE, LoadedRow, Role, SalaryBand, Source, Transition
from tests.careers.catalogs import tiny_catalog
from tests.factories import make_member, make_plan

pytestmark = pytest.mark.django_db

# Internal labels a visitor must never read. "Role 12 weeks" is a phase ("Move Into an AI PM
# Role") followed by its length, not a label.
INTERNAL = {
    "Seed N": re.compile(r"Seed \d"),
    "seed": re.compile(r"\bseeds?\b", re.IGNORECASE),
    "Role N": re.compile(r"\bRole \d+(?!\d| weeks?\b)"),
    "Not stated by our source": re.compile(r"Not stated by our source"),
}
INTERPRETABILITY = "software-engineer-to-ai-interpretability-researcher"
RESEARCH = "software-engineer-to-ai-research-scientist"
PATH_FINDER_ANSWERS = (
    "?background=software-engineer&skills=python&enjoy=building&hours=5&months=12&phd=no"
    "&market=US+Big+Tech"
)


def public_urls() -> list[str]:
    roles = reverse("careers:roles")
    urls = [
        reverse("careers:home"),
        roles,
        f"{roles}?compare=machine-learning-engineer&compare=ai-ethicist",
        reverse("careers:transitions"),
        reverse("careers:transitions") + "?background=software-engineer",
        reverse("careers:glossary"),
        reverse("careers:pathfinder"),
        reverse("careers:pathfinder") + PATH_FINDER_ANSWERS,
    ]
    urls += [role.get_absolute_url() for role in Role.objects.published()]  # roles, backgrounds
    urls += [t.get_absolute_url() for t in Transition.objects.published()]
    return urls


def labels_in(page: str) -> list[str]:
    return [m.group(0) for pattern in INTERNAL.values() for m in pattern.finditer(page)]


def test_no_public_page_shows_an_internal_label(client, catalog):
    urls = public_urls()
    assert len(urls) == 8 + 12 + 13  # 6 roles and 6 backgrounds, 13 transitions
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if labels := labels_in(response.content.decode()):
            found[url] = labels
    assert found == {}


def test_no_member_page_shows_an_internal_label(client, catalog):
    member = make_member(email="reader@example.com")
    client.force_login(member)
    transitions = list(Transition.objects.published())
    found, seen = {}, 0

    def check(name, url):
        nonlocal seen
        response = client.get(url)
        assert response.status_code == 200, name
        seen += 1
        if labels := labels_in(response.content.decode()):
            found[name] = labels

    for t in transitions:  # the start form and its preview, before the member follows it
        start = reverse("roadmaps:start", args=[t.slug])
        check(f"start {t.slug}", start)
        check(f"preview {t.slug}", start + "?preview=1&pace_months=12")
        check(f"plan {t.slug}", make_plan(member, t).get_absolute_url())
    check("dashboard", reverse("roadmaps:dashboard"))
    assert seen == 3 * 13 + 1
    assert found == {}


def test_the_catalog_file_carries_no_internal_label():
    assert labels_in(CATALOG_PATH.read_text(encoding="utf-8")) == []


def test_the_labels_test_catches_what_the_audit_found():
    assert labels_in("Facts come from Seed 004: AI careers guide — Role 1 (MLE)") == [
        "Seed 0",
        "Seed",
        "Role 1",
    ]
    assert labels_in("the seed's starting points") == ["seed"]
    assert labels_in("Move Into an AI PM Role 12 weeks") == []


# --- salary bands ---------------------------------------------------------------------------

SOURCE_SPAN = re.compile(r'<span class="source">Source: (.*?)</span>', re.S)
LINK = re.compile(r'<a href="([^"]+)" rel="external noopener">([^<]+)</a>\Z')
YEAR = re.compile(r"\((\d{4})\)\Z")


def test_every_salary_band_names_its_source_with_a_year_or_says_it_is_ours(client, catalog):
    checked = 0
    for role in Role.objects.published().ai_roles().prefetch_related("salary_bands__source"):
        page = client.get(role.get_absolute_url()).content.decode()
        table = page[page.index('<table class="salary') : page.index("</table>")]
        rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, re.S)
        bands = list(role.salary_bands.all())
        assert len(rows) == len(bands) > 0
        for row, band in zip(rows, bands, strict=True):
            (shown,) = SOURCE_SPAN.findall(row)
            if band.source is None:
                assert shown == EDITORIAL_ESTIMATE
                continue
            href, citation = LINK.match(shown).groups()
            assert (href, html.unescape(citation)) == (band.source.url, band.source.citation)
            assert YEAR.search(citation).group(1) == str(band.source.year)
            checked += 1
    assert checked == 5  # the machine learning engineer's 2024 bands


def test_the_ml_engineer_bands_cite_levels_fyi_and_link_it(client, catalog):
    page = client.get(reverse("careers:role", args=["machine-learning-engineer"])).content.decode()
    link = (
        '<span class="source">Source: <a href="https://www.levels.fyi/" rel="external noopener">'
        "Levels.fyi, Machine Learning Engineer Salary Data (2024)</a></span>"
    )
    assert page.count(link) == 5


def test_a_band_with_no_named_source_is_a_waypoint_editorial_estimate(client, catalog):
    page = client.get(reverse("careers:role", args=["ai-ethicist"])).content.decode()
    assert page.count('<span class="source">Source: Waypoint editorial estimate</span>') == 4


def test_every_named_source_in_the_catalog_has_a_name_and_a_year():
    data = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    sources = {s["slug"]: s for s in data["sources"]}
    assert all(s["name"] and s["year"] for s in sources.values())
    assert all(s["url"].startswith("https://") for s in sources.values() if s["url"])
    used = {b["source"] for r in data["roles"] for b in r["salary_bands"]} - {None}
    assert used == {"levels-fyi-machine-learning-engineer"}
    assert sources["bls-computer-and-information-research-scientists"] == {
        "slug": "bls-computer-and-information-research-scientists",
        "name": "U.S. Bureau of Labor Statistics",
        "title": "Computer and Information Research Scientists",
        "year": 2023,
        "url": "https://www.bls.gov/ooh/computer-and-information-technology/computer-and-information-research-scientists.htm",
    }


def test_a_citation_reads_as_the_world_knows_it():
    assert Source(name="Levels.fyi", title="ML Salary Data", year=2024).citation == (
        "Levels.fyi, ML Salary Data (2024)"
    )
    assert str(Source(name="Hugging Face", year=2024)) == "Hugging Face (2024)"
    assert Source(name="Stuart Russell", title="Human Compatible").citation == (
        "Stuart Russell, Human Compatible"
    )


def test_the_path_finder_names_the_source_of_the_pay_it_shows(client, catalog):
    page = client.get(reverse("careers:pathfinder") + PATH_FINDER_ANSWERS).content.decode()
    assert (
        "<li>Pay in US Big Tech: $180,000 – $350,000. Source: Levels.fyi, Machine Learning "
        "Engineer Salary Data (2024).</li>"
    ) in page
    assert (
        "<li>Pay in US Big Tech: $200,000 – $350,000+. Source: Waypoint editorial estimate.</li>"
    ) in page


# --- transitions ----------------------------------------------------------------------------


def test_no_headline_tile_without_a_salary_change_figure(client, catalog):
    without = Transition.objects.filter(salary_change_min_pct=None).published()
    assert without.count() == 12
    for t in without:
        page = client.get(t.get_absolute_url()).content.decode()
        stats = page[page.index('<dl class="stat-grid">') : page.index("</dl>")]
        assert "<dt>Difficulty</dt>" in stats
        assert "Salary change" not in stats
        assert (
            '<span class="source">Source of the difficulty and timeline: '
            "Waypoint editorial estimate</span>"
        ) in page


def test_a_salary_change_figure_keeps_its_tile_and_says_its_source(client, catalog):
    page = client.get(reverse("careers:transition", args=[INTERPRETABILITY])).content.decode()
    stats = page[page.index('<dl class="stat-grid">') : page.index("</dl>")]
    assert "<div><dt>Salary change</dt><dd>+40% to +70%</dd></div>" in stats
    assert (
        '<span class="source">Source of the difficulty, timeline and salary change: '
        "Waypoint editorial estimate</span>"
    ) in page


def test_a_transition_names_its_figures_source_when_staff_set_one(client, catalog):
    bls = Source.objects.get(slug="bls-computer-and-information-research-scientists")
    Transition.objects.filter(slug=RESEARCH).update(figures_source=bls)
    page = client.get(reverse("careers:transition", args=[RESEARCH])).content.decode()
    assert (
        '<span class="source">Source of the difficulty and timeline: <a href="'
        "https://www.bls.gov/ooh/computer-and-information-technology/computer-and-information-"
        'research-scientists.htm" rel="external noopener">U.S. Bureau of Labor Statistics, '
        "Computer and Information Research Scientists (2023)</a></span>"
    ) in page


def test_a_transition_lists_the_sources_it_draws_on_linked(client, catalog):
    page = client.get(reverse("careers:transition", args=[RESEARCH])).content.decode()
    about = page[page.index('id="source-heading"') :]
    items = re.findall(r"<li>(.*?)</li>", about[: about.index("</ul>")])
    assert items == [
        '<a href="https://www.bls.gov/ooh/computer-and-information-technology/computer-and-'
        'information-research-scientists.htm" rel="external noopener">U.S. Bureau of Labor '
        "Statistics, Computer and Information Research Scientists (2023)</a>",
        '<a href="https://huggingface.co/learn" rel="external noopener">Hugging Face, NLP '
        "Course and ML Engineering Resources (2024)</a>",
        '<a href="https://www.deeplearning.ai/" rel="external noopener">DeepLearning.AI, '
        "Andrew Ng&#x27;s course series (2024)</a>",
        '<a href="https://deepmind.google/" rel="external noopener">Google DeepMind, Careers '
        "and Research Overview (2024)</a>",
    ]


def test_a_source_without_an_address_is_named_without_a_link(client, catalog):
    page = client.get(
        reverse("careers:transition", args=["software-engineer-to-ai-safety-researcher"])
    ).content.decode()
    assert (
        "<li>Stuart Russell, Human Compatible: Artificial Intelligence and the Problem of "
        "Control (Viking) (2019)</li>"
    ) in page


# --- the catalog file round trip and staff's edits -------------------------------------------


def with_sources(data):
    data["sources"] = [
        {"slug": "survey", "name": "Pay Body", "title": "Survey", "year": 2024, "url": ""},
        {"slug": "other", "name": "Other Body", "title": "", "year": None, "url": ""},
    ]
    data["roles"][0]["salary_bands"][0]["source"] = "survey"
    data["transitions"][0]["figures_source"] = "other"
    data["transitions"][0]["sources"] = ["survey", "other"]
    return data


def test_sources_load_and_export_as_given():
    load_catalog(with_sources(tiny_catalog()))
    band = SalaryBand.objects.get(market="UK")
    assert band.source.citation == "Pay Body, Survey (2024)"
    t = Transition.objects.get()
    assert t.figures_source.slug == "other"
    assert sorted(t.sources.values_list("slug", flat=True)) == ["other", "survey"]
    data = export_catalog()
    assert data["sources"][0] == with_sources(tiny_catalog())["sources"][0]
    assert data["roles"][0]["salary_bands"][0]["source"] == "survey"
    assert data["roles"][0]["salary_bands"][1]["source"] is None
    assert (data["transitions"][0]["figures_source"], data["transitions"][0]["sources"]) == (
        "other",
        ["survey", "other"],
    )
    first = dump(data)
    load_catalog(json.loads(first))
    assert dump(export_catalog()) == first


def test_a_band_source_staff_changed_is_kept_by_a_load():
    data = with_sources(tiny_catalog())
    load_catalog(data)
    band = SalaryBand.objects.get(market="UK")
    band.source = Source.objects.get(slug="other")  # staff's choice in the admin
    band.save()
    data["roles"][0]["salary_bands"][0]["note"] = "Changed in the file."
    report = load_catalog(data, apply=True)
    band.refresh_from_db()
    assert (band.source.slug, band.note) == ("other", "")
    assert any("[kept: edited in the admin" in line for line in report.lines)
    load_catalog(data, overwrite_edits=True)
    band.refresh_from_db()
    assert (band.source.slug, band.note) == ("survey", "Changed in the file.")


def test_a_file_source_change_reaches_unedited_bands_and_transitions():
    data = with_sources(tiny_catalog())
    load_catalog(data)
    data["roles"][0]["salary_bands"][1]["source"] = "other"
    data["transitions"][0]["sources"] = ["survey"]
    report = load_catalog(data, apply=False)
    assert report.summary().startswith("updated: 1 salary bands, 1 transitions")
    load_catalog(data)
    assert SalaryBand.objects.get(market="US").source.slug == "other"
    assert list(Transition.objects.get().sources.values_list("slug", flat=True)) == ["survey"]


def test_a_band_pointing_at_an_unknown_source_is_refused():
    data = tiny_catalog()
    data["roles"][0]["salary_bands"][0]["source"] = "nowhere"
    with pytest.raises(CatalogError, match='no source has the slug "nowhere"'):
        load_catalog(data)
    assert not SalaryBand.objects.exists()


def test_the_shipped_catalog_loads_every_source_it_names(catalog):
    assert Source.objects.count() == 12
    assert SalaryBand.objects.filter(source__isnull=False).count() == 5
    assert Transition.objects.filter(sources__isnull=False).distinct().count() == 12
    assert LoadedRow.objects.filter(model="careers.source").count() == 12


def test_fingerprints_of_bands_and_transitions_cover_their_sources(catalog):
    band = SalaryBand.objects.filter(source__isnull=False).first()
    t = Transition.objects.get(slug=RESEARCH)
    assert BAND.values(band)["source"] == "levels-fyi-machine-learning-engineer"
    assert TRANSITION.values(t)["sources"] == [
        "bls-computer-and-information-research-scientists",
        "deeplearning-ai-courses",
        "google-deepmind-careers-research",
        "hugging-face-courses",
    ]
    record = LoadedRow.objects.get(model="careers.transition", object_id=t.pk)
    assert record.fingerprint == fingerprint(TRANSITION.values(t))


def test_staff_curate_sources_in_the_admin(admin_client, catalog):
    changelist = admin_client.get(reverse("admin:careers_source_changelist"))
    assert changelist.status_code == 200
    assert "Levels.fyi" in changelist.content.decode()
    response = admin_client.post(
        reverse("admin:careers_source_add"),
        {
            "slug": "oecd-ai-jobs",
            "name": "OECD",
            "title": "AI jobs",
            "year": "2024",
            "url": "ftp://oecd.example",
            "order": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the address refused
    assert "Give a web address starting with https:// or http://." in response.content.decode()
    assert not Source.objects.filter(slug="oecd-ai-jobs").exists()
    role = Role.objects.get(slug="machine-learning-engineer")
    page = admin_client.get(reverse("admin:careers_role_change", args=[role.pk])).content.decode()
    assert 'name="salary_bands-0-source"' in page
    t = Transition.objects.get(slug=RESEARCH)
    page = admin_client.get(reverse("admin:careers_transition_change", args=[t.pk])).content
    assert b'name="figures_source"' in page
    assert b'name="sources"' in page


def cards_in(page: str) -> dict[str, str]:
    """Each transition card's HTML, by its heading's text."""
    cards = re.findall(r'<article class="card transition-card">(.*?)</article>', page, re.S)
    return {
        html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h3>(.*?)</h3>", c).group(1))): c
        for c in cards
    }


def test_every_transition_card_names_the_source_of_its_figures(client, catalog):
    bls = Source.objects.get(slug="bls-computer-and-information-research-scientists")
    Transition.objects.filter(slug=RESEARCH).update(figures_source=bls)
    for url in (
        reverse("careers:home"),
        reverse("careers:transitions"),
        "/from/software-engineer/",
    ):
        cards = cards_in(client.get(url).content.decode())
        assert cards, url
        for title, card in cards.items():
            if title == "Software Engineer → AI Research Scientist":
                assert (
                    '<p class="source">Source: <a href="https://www.bls.gov/ooh/computer-and-'
                    "information-technology/computer-and-information-research-scientists.htm"
                    '" rel="external noopener">U.S. Bureau of Labor Statistics, Computer and '
                    "Information Research Scientists (2023)</a></p>"
                ) in card, url
            else:
                assert '<p class="source">Source: Waypoint editorial estimate</p>' in card, title
    listed = cards_in(client.get(reverse("careers:transitions")).content.decode())
    assert len(listed) == Transition.objects.published().count()
    assert "Software Engineer → AI Research Scientist" in listed


def test_the_comparison_names_the_sources_of_its_figures(client, catalog):
    url = f"{reverse('careers:roles')}?compare=machine-learning-engineer&compare=ai-ethicist"
    page = client.get(url).content.decode()
    line = re.search(r'<p class="source" id="compare-sources">(.*?)</p>', page, re.S).group(1)
    chosen = Role.objects.filter(slug__in=["machine-learning-engineer", "ai-ethicist"])
    bands = SalaryBand.objects.filter(role__in=chosen).select_related("source")
    named = sorted({b.source for b in bands if b.source}, key=lambda s: (s.order, s.name, s.slug))
    assert named  # the ML engineer bands cite Levels.fyi
    for source in named:
        assert html.escape(source.citation) in line
    others = Source.objects.exclude(pk__in=[s.pk for s in named]).exclude(
        transitions__to_role__in=chosen
    )
    for source in others:
        assert html.escape(source.citation) not in line, source
    assert line.startswith("Sources of these figures: ")
    editorial = (
        any(b.source is None for b in bands)
        or Transition.objects.published().filter(to_role__in=chosen, figures_source=None).exists()
    )
    assert ("Waypoint editorial estimate where no source is named" in line) == editorial
