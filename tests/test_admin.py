"""Every registered model's changelist and add page work for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from careers.models import Phase, Transition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_changelist_and_add_pages_load(admin_client, catalog, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert escape(opts.verbose_name_plural).lower() in changelist.content.decode().lower()
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
    html = admin_client.get(reverse("admin:careers_phase_change", args=[phase.pk])).content
    assert "Build basic neural networks with PyTorch" in html.decode()


def test_staff_can_add_an_action_item_through_the_transition_inline(admin_client):
    from tests.admin_forms import change_form_data
    from tests.factories import make_transition

    t = make_transition(phases=0)
    url = reverse("admin:careers_transition_change", args=[t.pk])
    page = admin_client.get(url)
    data = change_form_data(page)
    prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model._meta.model_name == "actionitem"
    )
    n = data[f"{prefix}-TOTAL_FORMS"]
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"{prefix}-{n}-horizon": "month",
            f"{prefix}-{n}-order": 9,
            f"{prefix}-{n}-key": "month-new-thing",
            f"{prefix}-{n}-title": "A new monthly action",
            f"{prefix}-{n}-transition": t.pk,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    item = t.roadmap_items.get(key="month-new-thing")
    assert (item.kind, item.horizon, item.phase) == ("action", "month", None)
