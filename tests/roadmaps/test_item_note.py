import pytest
from django.urls import reverse

from roadmaps.models import ItemProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def note_url(plan, item):
    return reverse("roadmaps:item_note", args=[plan.id, item.id])


@pytest.fixture
def task(plan):
    return plan.transition.roadmap_items.filter(kind="task").first()


def post_note(client, plan, task, htmx=False, **data):
    fields = {f"note-{task.id}-{k}": v for k, v in data.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(note_url(plan, task), fields, **headers)


def test_htmx_get_swaps_the_row_into_an_edit_form(member_client, plan, task):
    response = member_client.get(note_url(plan, task), HTTP_HX_REQUEST="true")
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="item-{task.id}"')
    assert f'name="note-{task.id}-note"' in html and "Save note" in html


def test_without_htmx_get_is_a_page_with_the_form(member_client, plan, task):
    html = member_client.get(note_url(plan, task)).content.decode()
    assert "<h1>Note, evidence and day done</h1>" in html and task.title in html


def test_it_saves_a_note_and_link_and_shows_them_escaped(member_client, plan, task):
    response = post_note(
        member_client,
        plan,
        task,
        htmx=True,
        note="<script>alert(1)</script> learned a lot",
        evidence_url="https://github.com/me/interp",
    )
    html = response.content.decode()
    progress = ItemProgress.objects.get(plan=plan, item=task)
    assert progress.note.startswith("<script>") and progress.state == "open"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; learned a lot" in html
    assert "<script>alert" not in html
    assert 'href="https://github.com/me/interp"' in html


def test_without_htmx_it_redirects_back_to_the_item(member_client, plan, task):
    response = post_note(member_client, plan, task, note="Done the first week", evidence_url="")
    assert response["Location"] == f"{plan.get_absolute_url()}#item-{task.id}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"evidence_url": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"evidence_url": "ftp://example.com/x"}, "starting with http:// or https://"),
        ({"evidence_url": "https://example.com/" + "a" * 500}, "at most 500 characters"),
        ({"note": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_it_explains_bad_input_and_keeps_what_was_typed(member_client, plan, task, data, message):
    data = {"note": "keep me", "evidence_url": "https://example.com/kept", **data}
    response = post_note(member_client, plan, task, htmx=True, **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    # Nothing typed is lost: the note and the link come back in the form as they were sent.
    assert f'id="id_note-{task.id}-note">\n{data["note"]}</textarea>' in html
    assert f'value="{data["evidence_url"]}"' in html
    assert not ItemProgress.objects.exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_rejected_link_comes_back_in_a_text_box(member_client, plan, task, htmx):
    """HTML allows only a valid absolute URL as an <input type="url">'s value: what was typed
    comes back in a text box (URL keyboard kept), a valid link in the URL box."""
    html = post_note(member_client, plan, task, htmx, evidence_url="my notebook").content.decode()
    assert f'type="text" name="note-{task.id}-evidence_url" value="my notebook"' in html
    assert 'inputmode="url"' in html
    html = post_note(
        member_client, plan, task, htmx, note="x" * 2001, evidence_url="https://example.com/k"
    ).content.decode()
    assert f'type="url" name="note-{task.id}-evidence_url" value="https://example.com/k"' in html


def test_it_404s_for_another_members_plan(client, other_member, plan, task):
    client.force_login(other_member)
    assert client.get(note_url(plan, task)).status_code == 404
    assert post_note(client, plan, task, note="mine").status_code == 404
    assert not ItemProgress.objects.exists()


def test_notes_survive_ticking(member_client, plan, task):
    post_note(member_client, plan, task, note="kept", evidence_url="")
    member_client.post(reverse("roadmaps:item_state", args=[plan.id, task.id]), {"state": "done"})
    progress = ItemProgress.objects.get(item=task)
    assert (progress.note, progress.state) == ("kept", "done")
