"""Focus after the plan's htmx swaps, and the error summary on the members' forms (issue 14)."""

import re

import pytest
from django.urls import reverse

from roadmaps.models import ItemProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

HX = {"HTTP_HX_REQUEST": "true"}


def note_url(plan, item):
    return reverse("roadmaps:item_note", args=[plan.id, item.id])


@pytest.fixture
def task(plan):
    return plan.transition.roadmap_items.filter(kind="task").first()


def summary(html: str) -> str:
    """The error summary's markup (it must be there)."""
    match = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


# --- The note form ---------------------------------------------------------------------------


def test_opening_the_note_form_puts_focus_in_the_note_box(member_client, plan, task):
    html = member_client.get(note_url(plan, task), **HX).content.decode()
    assert re.search(r"<textarea[^>]*\bautofocus\b", tag(html, f"id_note-{task.id}-note"))
    assert html.count("autofocus") == 1
    assert "error-summary" not in html


def test_the_note_page_without_javascript_also_focuses_the_note_box(member_client, plan, task):
    html = member_client.get(note_url(plan, task)).content.decode()
    assert "autofocus" in tag(html, f"id_note-{task.id}-note")


def test_cancel_returns_the_row_with_focus_on_its_note_link(member_client, plan, task):
    url = note_url(plan, task)
    form = member_client.get(url, **HX).content.decode()
    assert f'data-hx-get="{url}?cancel=1"' in form and f'href="{url}?cancel=1"' in form

    html = member_client.get(url + "?cancel=1", **HX).content.decode()
    assert html.lstrip().startswith(f'<li id="item-{task.id}"')
    assert "<textarea" not in html
    link = tag(html, f"item-{task.id}-note")
    assert link.startswith("<a ") and "autofocus" in link
    assert html.count("autofocus") == 1


def test_cancel_without_javascript_goes_back_to_the_item(member_client, plan, task):
    response = member_client.get(note_url(plan, task) + "?cancel=1")
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#item-{task.id}"


def test_saving_a_note_focuses_the_note_link_and_says_so(member_client, plan, task):
    response = member_client.post(note_url(plan, task), {f"note-{task.id}-note": "Done"}, **HX)
    html = response.content.decode()
    assert ItemProgress.objects.get(plan=plan, item=task).note == "Done"
    link = tag(html, f"item-{task.id}-note")
    assert "autofocus" in link and html.count("autofocus") == 1
    assert re.search(
        r'<div id="plan-alert"[^>]*>\s*<p class="message message-success">Note saved.', html
    )


def test_a_bad_note_focuses_the_summary_not_the_box(member_client, plan, task):
    data = {f"note-{task.id}-note": "keep", f"note-{task.id}-evidence_url": "ftp://x.example"}
    html = member_client.post(note_url(plan, task), data, **HX).content.decode()
    box = summary(html)
    assert f'id="note-{task.id}-error-summary"' in box
    assert 'tabindex="-1"' in box and "autofocus" in box and 'role="alert"' in box
    assert f'href="#id_note-{task.id}-evidence_url"' in box
    assert "autofocus" not in tag(html, f"id_note-{task.id}-note")
    url_input = tag(html, f"id_note-{task.id}-evidence_url")
    assert 'aria-invalid="true"' in url_input
    assert re.search(rf'aria-describedby="[^"]*\bid_note-{task.id}-evidence_url_error"', url_input)
    assert f'id="id_note-{task.id}-evidence_url_error"' in html


# --- The check-in form -------------------------------------------------------------------------


def answers(**overrides):
    data = {"hours": "6.5", "confidence": "4", "wins": "", "blockers": "", "next_focus": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_failed_check_in_lists_each_error_linked_to_its_field(member_client, plan):
    url = reverse("roadmaps:checkin", args=[plan.id])
    html = member_client.post(url, answers(hours="200", confidence=None)).content.decode()
    box = summary(html)
    assert 'tabindex="-1"' in box and "autofocus" in box
    assert "There are 2 problems; nothing has been saved yet" in box
    assert re.search(r'<a href="#id_hours">[^<]*168', box)
    # A radio group has no single control: the link goes to its first radio.
    assert '<a href="#id_confidence_0">' in box
    hours = tag(html, "id_hours")
    assert 'aria-invalid="true"' in hours and "id_hours_error" in hours
    assert 'id="id_hours_error"' in html
    assert 'aria-invalid="true"' in tag(html, "id_confidence_0")
    assert 'aria-describedby="id_confidence_error"' in html and 'id="id_confidence_error"' in html


def test_a_good_form_has_no_summary_and_nothing_marked_invalid(member_client, plan):
    html = member_client.get(reverse("roadmaps:checkin", args=[plan.id])).content.decode()
    assert "error-summary" not in html and "aria-invalid" not in html


# --- The pace form: a live preview must not steal focus ----------------------------------------


def test_the_pace_preview_shows_errors_without_taking_focus(member_client, plan):
    url = reverse("roadmaps:settings", args=[plan.id])
    preview = member_client.get(url, {"preview": "1", "pace_months": "999"}, **HX).content.decode()
    assert "autofocus" not in summary(preview)
    posted = member_client.post(url, {"pace_months": "999"}, **HX).content.decode()
    assert "autofocus" in summary(posted) and 'href="#id_pace_months"' in summary(posted)
    plain = member_client.get(url, {"preview": "1", "pace_months": "999"}).content.decode()
    assert "autofocus" in summary(plain)  # the Preview button without JavaScript: a new page
