"""careers.page_cache: anonymous catalog pages come from the cache without rendering, never
stale after staff change the catalog, and never to (or from) a signed-in member."""

import copy
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from careers.catalog.loader import read_catalog
from careers.models import GlossaryTerm, Role, Status
from careers.page_cache import catalog_changed, catalog_version, page_cache, page_key
from tests.admin_forms import change_form_data
from tests.factories import make_member, make_role, make_term, make_transition

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def rendered(response) -> bool:
    """True when the view rendered the page; False when it came from the cache."""
    return bool(response.templates)


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def site(db):
    background = make_role(kind=Role.Kind.BACKGROUND, slug="teacher", name="Teacher")
    transition = make_transition(
        from_role=background, title="Teacher to ML Engineer", effort_hours=10
    )
    term = make_term(term="Embedding", definition="A list of numbers standing for a thing.")
    return transition, term


def catalog_urls(transition) -> list[str]:
    return [
        "/",
        reverse("careers:roles"),
        reverse("careers:roles") + f"?compare={transition.to_role.slug}",
        transition.to_role.get_absolute_url(),
        transition.from_role.get_absolute_url(),
        reverse("careers:transitions"),
        reverse("careers:transitions") + f"?background={transition.from_role.slug}",
        transition.get_absolute_url(),
        reverse("careers:glossary"),
    ]


def test_a_repeat_anonymous_visit_is_served_without_rendering(
    visitor, site, django_assert_max_num_queries
):
    transition, _ = site
    for url in catalog_urls(transition):
        first = visitor.get(url)
        assert first.status_code == 200
        assert rendered(first)
        # One read of the catalog version and one of the page: the database cache's two
        # SELECTs here, two Redis GETs in production.
        with django_assert_max_num_queries(2):
            again = visitor.get(url)
        assert again.status_code == 200
        assert not rendered(again), url
        assert again.content == first.content
        assert again["Content-Type"] == "text/html; charset=utf-8"


def test_a_cached_page_keeps_the_security_headers(visitor, site):
    visitor.get("/")
    again = visitor.get("/")
    assert not rendered(again)
    assert "default-src 'self'" in again["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"
    assert "HX-Request" in again["Vary"]


def test_a_cached_page_has_no_csrf_token_and_nothing_about_a_member(visitor, site):
    member = make_member(email="grace@example.com", display_name="Grace Hopper")
    member_client = Client()
    member_client.force_login(member)
    for url in catalog_urls(site[0]):
        assert "Grace Hopper" in member_client.get(url).content.decode()
        visitor.get(url)
        html = visitor.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert "Grace Hopper" not in html
        assert "Sign out" not in html
        assert "Sign in" in html


def test_a_member_never_gets_the_anonymous_copy(visitor, site):
    visitor.get("/")
    assert not rendered(visitor.get("/"))  # cached for visitors
    member = make_member(email="grace@example.com", display_name="Grace Hopper")
    member_client = Client()
    member_client.force_login(member)
    response = member_client.get("/")
    assert rendered(response)
    assert "Grace Hopper" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_members_page_is_not_stored_for_visitors(visitor, site):
    member = make_member(email="grace@example.com", display_name="Grace Hopper")
    member_client = Client()
    member_client.force_login(member)
    member_client.get("/glossary/")
    member_client.get("/glossary/")
    response = visitor.get("/glossary/")
    assert rendered(response)
    assert "Grace Hopper" not in response.content.decode()


def test_the_signed_out_message_is_shown_to_that_visitor_only_and_once(visitor, site):
    visitor.get("/")  # the home page is in the cache
    member = make_member(email="grace@example.com", display_name="Grace Hopper")
    leaving = Client()
    leaving.force_login(member)
    response = leaving.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert rendered(response)
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in leaving.get("/").content.decode()  # shown once
    assert "You have signed out." not in visitor.get("/").content.decode()


def test_htmx_requests_and_other_queries_are_cached_apart(visitor, site):
    url = reverse("careers:transitions")
    visitor.get(url)
    assert rendered(visitor.get(url, headers={"HX-Request": "true"}))
    assert not rendered(visitor.get(url, headers={"HX-Request": "true"}))
    assert rendered(visitor.get(url + "?difficulty=hard"))
    # The same parameters in another order are the same page.
    visitor.get(url + "?difficulty=moderate&background=teacher")
    assert not rendered(visitor.get(url + "?background=teacher&difficulty=moderate"))


def test_made_up_addresses_are_rendered_and_not_stored(visitor, site):
    transitions = reverse("careers:transitions")
    for url in [
        "/?utm_source=newsletter",  # a parameter no catalog page reads
        transitions + "?difficulty=impossible",  # an invalid filter
        reverse("careers:roles") + "?compare=no-such-role",
    ]:
        assert visitor.get(url).status_code == 200
        assert rendered(visitor.get(url)), url


def test_the_path_finder_is_not_kept_whole(visitor, site):
    """It holds a CSRF token: only its blank form is kept, with a marker for the token
    (tests/careers/test_pathfinder_page.py)."""
    url = reverse("careers:pathfinder")
    visitor.get(url)
    response = visitor.get(url)
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not page_cache().get(page_key(response.wsgi_request, ()))


def test_page_cache_seconds_0_turns_it_off(visitor, site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visitor.get("/")
    assert rendered(visitor.get("/"))


def test_a_404_is_not_cached(visitor, site):
    visitor.get("/roles/no-such-role/")
    assert rendered(visitor.get("/roles/no-such-role/"))


# --- Never stale --------------------------------------------------------------------------


def edit_in_admin(client, obj, **changes) -> None:
    data = change_form_data(client.get(change_url(obj))) | changes
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, [
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    ]


def test_a_role_renamed_in_the_admin_shows_at_once(visitor, admin_client, site):
    role = site[0].to_role
    for url in [role.get_absolute_url(), reverse("careers:roles"), "/"]:
        assert role.name in visitor.get(url).content.decode()
    edit_in_admin(admin_client, role, name="Machine Learning Wrangler")
    for url in [role.get_absolute_url(), reverse("careers:roles"), "/"]:
        assert "Machine Learning Wrangler" in visitor.get(url).content.decode(), url


def test_a_transition_retitled_in_the_admin_shows_at_once(visitor, admin_client, site):
    transition = site[0]
    url = transition.get_absolute_url()
    assert "Teacher to ML Engineer" in visitor.get(url).content.decode()
    edit_in_admin(admin_client, transition, title="From the classroom to ML")
    assert "From the classroom to ML" in visitor.get(url).content.decode()


def test_an_item_retitled_in_the_admin_shows_at_once(visitor, admin_client, site):
    transition = site[0]
    item = transition.roadmap_items.filter(phase__isnull=False).first()
    url = transition.get_absolute_url()
    assert item.title in visitor.get(url).content.decode()
    assert not rendered(visitor.get(url))
    edit_in_admin(admin_client, item, title="Read the attention paper twice")
    assert "Read the attention paper twice" in visitor.get(url).content.decode()


def test_a_glossary_term_edited_in_the_admin_shows_at_once(visitor, admin_client, site):
    term = site[1]
    url = reverse("careers:glossary")
    assert "A list of numbers standing for a thing." in visitor.get(url).content.decode()
    assert not rendered(visitor.get(url))
    edit_in_admin(admin_client, term, definition="A point in a space of meanings.")
    html = visitor.get(url).content.decode()
    assert "A point in a space of meanings." in html
    assert "A list of numbers standing for a thing." not in html


def test_a_term_deleted_in_the_admin_goes_at_once(visitor, admin_client, site):
    term = site[1]
    url = reverse("careers:glossary")
    assert "Embedding" in visitor.get(url).content.decode()
    delete_url = reverse("admin:careers_glossaryterm_delete", args=[term.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not GlossaryTerm.objects.filter(pk=term.pk).exists()
    assert "Embedding" not in visitor.get(url).content.decode()


def test_publishing_and_unpublishing_show_at_once(visitor, admin_client, site):
    role = make_role(name="Clinical Data Scientist")  # named on the list by its transitions
    draft = make_transition(to_role=role, status=Status.DRAFT, effort_hours=10)
    url = reverse("careers:transitions")
    changelist = reverse("admin:careers_transition_changelist")
    assert "Clinical Data Scientist" not in visitor.get(url).content.decode()
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert "Clinical Data Scientist" in visitor.get(url).content.decode()
    assert visitor.get(draft.get_absolute_url()).status_code == 200
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert "Clinical Data Scientist" not in visitor.get(url).content.decode()
    assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_load_catalog_apply_shows_at_once(visitor, catalog, tmp_path):
    data = copy.deepcopy(read_catalog())
    role = data["roles"][0]
    url = reverse("careers:role", args=[role["slug"]])
    assert role["name"] in visitor.get(url).content.decode()
    assert not rendered(visitor.get(url))
    role["name"] = "Renamed By The Catalog File"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    call_command("load_catalog", str(path), "--apply", verbosity=0)
    assert "Renamed By The Catalog File" in visitor.get(url).content.decode()


def test_a_change_in_a_transaction_replaces_the_version_again_once_at_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        make_term(term="Token")
        make_term(term="Tensor")
    assert len(callbacks) == 1  # however many rows changed
    before = catalog_version()
    callbacks[0]()
    assert catalog_version() != before


def test_a_change_read_in_its_own_transaction_replaces_the_version_at_once(site):
    before = catalog_version()
    make_term(term="Token")
    after = catalog_version()
    assert after != before
    make_term(term="Tensor")
    assert catalog_version() != after


def test_code_that_bypasses_signals_can_replace_the_version(site):
    before = catalog_version()
    GlossaryTerm.objects.update(definition="Changed in bulk.")  # no signal
    assert catalog_version() == before
    catalog_changed()
    assert catalog_version() != before
