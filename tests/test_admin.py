"""Every registered model's changelist and add page work for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from careers.models import Transition
from roadmaps.models import Phase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_changelist_and_add_pages_load(admin_client, catalog, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert opts.verbose_name_plural.lower() in changelist.content.decode().lower()
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200
    assert "<form" in add.content.decode()


def test_transition_change_page_has_its_inlines_and_view_on_site(admin_client, catalog):
    t = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    html = admin_client.get(reverse("admin:careers_transition_change", args=[t.pk])).content
    html = html.decode()
    assert "Deep Learning Fundamentals" in html  # skills inline
    assert "Foundation Building" in html  # phases inline
    assert "Enroll in the first course" in html  # action plan inline
    assert "View on site" in html


def test_phase_change_page_edits_its_tasks_and_resources(admin_client, catalog):
    phase = Phase.objects.get(title="Foundation Building")
    html = admin_client.get(reverse("admin:roadmaps_phase_change", args=[phase.pk])).content
    assert "Build basic neural networks with PyTorch" in html.decode()


def test_staff_can_add_an_action_item_through_the_transition_inline(admin_client):
    from tests.factories import make_transition

    t = make_transition(phases=0)
    url = reverse("admin:careers_transition_change", args=[t.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "from_role": t.from_role_id,
            "to_role": t.to_role_id,
            "timeline_min_months": 9,
            "timeline_max_months": 15,
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, f in enumerate(fs.forms):
            for name, value in f.initial.items():
                if value is not None and name != "DELETE":
                    data[f"{prefix}-{i}-{name}"] = value
            data[f"{prefix}-{i}-id"] = f.instance.pk or ""
            data[f"{prefix}-{i}-{fs.fk.name}"] = t.pk
    action_prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model._meta.model_name == "actionitem"
    )
    n = data[f"{action_prefix}-TOTAL_FORMS"]
    data[f"{action_prefix}-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"{action_prefix}-{n}-horizon": "month",
            f"{action_prefix}-{n}-order": 9,
            f"{action_prefix}-{n}-key": "month-new-thing",
            f"{action_prefix}-{n}-title": "A new monthly action",
            f"{action_prefix}-{n}-transition": t.pk,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    item = t.roadmap_items.get(key="month-new-thing")
    assert (item.kind, item.horizon, item.phase) == ("action", "month", None)
