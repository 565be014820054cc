"""Every plan URL is a 404 for another member and a sign-in redirect for visitors."""

import pytest
from django.urls import reverse

from roadmaps.models import ItemProgress, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def plan_urls(plan):
    item = plan.transition.roadmap_items.filter(kind="resource").first()
    return [
        ("get", reverse("roadmaps:plan", args=[plan.id]), {}),
        ("get", reverse("roadmaps:settings", args=[plan.id]), {}),
        ("post", reverse("roadmaps:settings", args=[plan.id]), {"pace_months": 10}),
        ("get", reverse("roadmaps:status", args=[plan.id]) + "?status=archived", {}),
        ("post", reverse("roadmaps:status", args=[plan.id]), {"status": "archived"}),
        ("post", reverse("roadmaps:item_state", args=[plan.id, item.id]), {"state": "skipped"}),
        ("get", reverse("roadmaps:item_note", args=[plan.id, item.id]), {}),
        (
            "post",
            reverse("roadmaps:item_note", args=[plan.id, item.id]),
            {f"note-{item.id}-note": "x", f"note-{item.id}-evidence_url": ""},
        ),
    ]


def test_another_member_gets_404_everywhere_and_changes_nothing(client, other_member, plan):
    client.force_login(other_member)
    for method, url, data in plan_urls(plan):
        for htmx in (False, True):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = getattr(client, method)(url, data, **headers)
            assert response.status_code == 404, (method, url, htmx)
    plan.refresh_from_db()
    assert (plan.status, plan.pace_months) == ("active", 12)
    assert not ItemProgress.objects.exists()


def test_visitors_are_sent_to_sign_in_everywhere(client, plan):
    urls = [*plan_urls(plan), ("get", reverse("roadmaps:dashboard"), {})]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert Plan.objects.get().status == "active"


def test_an_unknown_plan_is_a_404(member_client):
    assert member_client.get(reverse("roadmaps:plan", args=[987654])).status_code == 404
