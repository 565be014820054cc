"""Version history of the catalog: who changed what and when, the diff, revert and recover."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from careers.catalog.loader import load_catalog
from careers.models import GlossaryTerm, Phase, RoadmapItem, Role, SalaryBand
from tests.admin_forms import change_form_data
from tests.careers.catalogs import edited, tiny_catalog
from tests.factories import make_band, make_role, make_term, make_transition

pytestmark = pytest.mark.django_db


def edit_role_summary(client, role: Role, summary: str):
    url = reverse("admin:careers_role_change", args=[role.pk])
    data = change_form_data(client.get(url))
    data["summary"] = summary
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def version_form_data(page) -> dict:
    """The POST data of simple-history's page for one version, as its form shows it."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if value is not None and value is not False:  # an unticked box is not sent
            data[name] = value
    return data


@pytest.fixture
def role_edited_twice(frozen, time_machine, admin_client):  # signed in once the clock is frozen
    role = make_role(summary="Builds models.")
    time_machine.move_to(frozen + timedelta(days=1), tick=False)
    edit_role_summary(admin_client, role, "Builds and ships models.")
    time_machine.move_to(frozen + timedelta(days=2), tick=False)
    edit_role_summary(admin_client, role, "Builds, ships and monitors models.")
    return role


def test_each_admin_edit_records_the_staff_user_and_when(role_edited_twice, superuser, frozen):
    versions = list(role_edited_twice.history.order_by("history_date"))

    assert [v.history_type for v in versions] == ["+", "~", "~"]
    assert [v.history_user for v in versions] == [None, superuser, superuser]
    assert [v.history_date for v in versions] == [
        frozen,
        frozen + timedelta(days=1),
        frozen + timedelta(days=2),
    ]
    assert [v.summary for v in versions] == [
        "Builds models.",
        "Builds and ships models.",
        "Builds, ships and monitors models.",
    ]


def test_the_history_page_lists_both_edits_with_the_user_and_what_changed(
    role_edited_twice, admin_client, superuser
):
    url = reverse("admin:careers_role_history", args=[role_edited_twice.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    newest, first_edit, created = response.context["page_obj"].object_list
    assert (newest.history_user, first_edit.history_user) == (superuser, superuser)
    assert created.history_user is None
    # Only the field that changed, old → new (updated_at is not versioned: history_date is).
    assert newest.history_delta_changes == [
        {
            "field": "Summary",
            "old": "Builds and ships models.",
            "new": "Builds, ships and monitors models.",
        }
    ]
    assert first_edit.history_delta_changes == [
        {"field": "Summary", "old": "Builds models.", "new": "Builds and ships models."}
    ]
    html = response.content.decode()
    assert html.count(superuser.email) == 2
    assert "<strong>Summary:</strong>" in html
    assert "Builds, ships and monitors models." in html


def test_staff_revert_to_an_earlier_version_from_the_admin(
    role_edited_twice, admin_client, superuser, frozen, time_machine
):
    role = role_edited_twice
    first_edit = role.history.get(summary="Builds and ships models.")
    url = reverse("admin:careers_role_simple_history", args=[role.pk, first_edit.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' in page.content.decode()
    time_machine.move_to(frozen + timedelta(days=3), tick=False)

    response = admin_client.post(url, version_form_data(page))

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.summary == "Builds and ships models."
    latest = role.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", superuser)
    assert latest.history_date == frozen + timedelta(days=3)
    assert latest.summary == "Builds and ships models."
    assert role.history.count() == 4  # the reverted-from versions are kept too


def test_a_change_through_an_inline_records_the_staff_user(admin_client, superuser):
    role = make_role()
    band = make_band(role, low=100_000, high=150_000)
    url = reverse("admin:careers_role_change", args=[role.pk])
    data = change_form_data(admin_client.get(url))
    prefix = next(k for k, v in data.items() if v == band.pk and k.endswith("-id"))[: -len("-id")]
    data[f"{prefix}-high"] = 180_000

    assert admin_client.post(url, data).status_code == 302

    latest = band.history.latest()
    assert (latest.high, latest.history_user) == (180_000, superuser)
    assert band.history.earliest().history_user is None


def test_items_edited_through_the_phase_inline_are_kept_in_roadmap_item_history(
    admin_client, superuser
):
    transition = make_transition(phases=1, tasks=1, resources=0)
    phase = transition.phases.get()
    item = phase.items.get()
    url = reverse("admin:careers_phase_change", args=[phase.pk])
    data = change_form_data(admin_client.get(url))
    title_key = next(k for k, v in data.items() if v == item.title and k.endswith("-title"))
    data[title_key] = "A clearer title"

    assert admin_client.post(url, data).status_code == 302

    latest = RoadmapItem.history.filter(id=item.pk).latest()
    assert (latest.title, latest.history_user) == ("A clearer title", superuser)


def test_a_deleted_glossary_term_can_be_found_and_restored(admin_client, superuser):
    term = make_term(term="Alignment", definition="Making AI do what we mean.")
    kept = make_term(term="Interpretability")
    pk = term.pk
    delete_url = reverse("admin:careers_glossaryterm_delete", args=[pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not GlossaryTerm.objects.filter(pk=pk).exists()

    history = admin_client.get(reverse("admin:careers_glossaryterm_history", args=[pk]))
    assert [v.history_type for v in history.context["page_obj"]] == ["-", "+"]
    changelist = admin_client.get(reverse("admin:careers_glossaryterm_changelist"))
    recover_url = reverse("admin:careers_glossaryterm_recover_list")
    assert recover_url in changelist.content.decode()
    listing = admin_client.get(recover_url)
    assert listing.status_code == 200
    deleted = listing.context["versions"]
    assert [(v.id, v.history_type, v.history_user) for v in deleted] == [(pk, "-", superuser)]
    revert_url = reverse("admin:careers_glossaryterm_simple_history", args=[pk, deleted[0].pk])
    assert revert_url in listing.content.decode()
    assert kept.term not in listing.content.decode()

    page = admin_client.get(revert_url)
    response = admin_client.post(revert_url, version_form_data(page))

    assert response.status_code == 302
    restored = GlossaryTerm.objects.get(pk=pk)
    assert (restored.term, restored.definition) == ("Alignment", "Making AI do what we mean.")
    assert [v.history_type for v in restored.history.order_by("history_id")] == ["+", "-", "+"]
    assert admin_client.get(recover_url).context["versions"] == []


def test_the_recover_list_is_for_staff_only(client, django_user_model):
    member = django_user_model.objects.create_user(email="m@example.com", password="pw-pw-pw-pw")
    client.force_login(member)
    url = reverse("admin:careers_glossaryterm_recover_list")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_catalog_load_is_recorded_as_such_with_no_user():
    load_catalog(tiny_catalog())

    role = Role.objects.get(slug="ml-engineer")
    created = role.history.get()
    assert (created.history_type, created.history_change_reason) == ("+", "catalog load")
    assert created.history_user is None
    reasons = {
        v.history_change_reason
        for model in (Role, SalaryBand, Phase, RoadmapItem, GlossaryTerm)
        for v in model.history.all()
    }
    assert reasons == {"catalog load"}


def test_what_a_reload_changes_or_archives_is_in_the_history():
    load_catalog(tiny_catalog())
    item = RoadmapItem.objects.get(key="publish")
    band = SalaryBand.objects.get(market="US")

    data = edited("transitions[0].action_plan.quarter", [])
    edited("roles[0].salary_bands", tiny_catalog()["roles"][0]["salary_bands"][:1], data)
    edited("roles[0].summary", "Builds, ships and monitors models.", data)
    load_catalog(data)

    archived = RoadmapItem.history.filter(id=item.pk).latest()
    assert (archived.history_type, archived.is_archived) == ("~", True)
    assert archived.history_change_reason == "catalog load"
    gone = SalaryBand.history.filter(id=band.pk).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", "catalog load")
    summary = Role.objects.get(slug="ml-engineer").history.latest()
    assert (summary.summary, summary.history_change_reason) == (
        "Builds, ships and monitors models.",
        "catalog load",
    )


def test_a_reason_set_outside_a_catalog_load_is_not_left_behind():
    load_catalog(tiny_catalog())
    role = Role.objects.get(slug="ml-engineer")

    role.summary = "Edited in a shell."
    role.save()

    assert role.history.latest().history_change_reason is None


@pytest.mark.parametrize(
    "model_name",
    [
        "role",
        "salaryband",
        "transition",
        "transferableskill",
        "skilltolearn",
        "realitycheckitem",
        "faq",
        "phase",
        "roadmapitem",
        "glossaryterm",
    ],
)
def test_every_catalog_model_has_a_history_and_a_recover_page(admin_client, model_name):
    load_catalog(tiny_catalog())
    obj = apps.get_model("careers", model_name).objects.first()

    history = admin_client.get(reverse(f"admin:careers_{model_name}_history", args=[obj.pk]))
    recover = admin_client.get(reverse(f"admin:careers_{model_name}_recover_list"))

    assert history.status_code == 200
    (created,) = history.context["page_obj"].object_list
    assert (created.history_type, created.history_change_reason) == ("+", "catalog load")
    assert "catalog load" in history.content.decode()
    assert recover.status_code == 200
