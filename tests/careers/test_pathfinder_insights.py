"""Staff insights list the path finder's most common answers members saved (one query)."""

import pytest
from django.urls import reverse

from careers.models import Role
from roadmaps.insights import active_members, path_finder_answers
from tests.conftest import NOW
from tests.factories import make_member, make_role, make_transition

pytestmark = pytest.mark.django_db

URL = reverse("roadmaps:insights")


@pytest.fixture
def answers(db):
    swe = make_role(slug="software-engineer", name="Software Engineer", kind=Role.Kind.BACKGROUND)
    make_transition(from_role=swe)
    for skills, enjoy in [
        (["python", "sql"], ["building"]),
        (["python"], ["building", "data"]),
        (["python", "statistics"], ["research"]),
    ]:
        make_member(
            pathfinder_answers={"background": "software-engineer", "skills": skills, "enjoy": enjoy}
        )
    make_member(pathfinder_answers={"background": "", "skills": ["sql"], "enjoy": ["data"]})
    make_member()  # no answers
    make_member(is_staff=True, pathfinder_answers={"background": "", "skills": ["rust"]})


def test_it_counts_the_most_common_answers_of_members(answers, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts, saved = active_members(NOW, 7, 30)
    assert counts == {"members": 5, "active_7": 0, "active_30": 0}
    rows = path_finder_answers(saved, {"software-engineer": "Software Engineer"})
    assert rows == [
        ("Background", "Software Engineer", 3),
        ("Background", "Something else", 1),
        ("Skills they have", "Python", 3),
        ("Skills they have", "Sql", 2),
        ("Skills they have", "Statistics", 1),
        ("What they enjoy", "Building and shipping", 2),
        ("What they enjoy", "Data", 2),
        ("What they enjoy", "Research", 1),
    ]


def test_the_insights_page_lists_them_for_staff(admin_client, answers):
    html = admin_client.get(URL).content.decode()
    assert "No path finder answers yet." not in html
    assert '<th scope="row">Background</th><td>Software Engineer</td><td>3</td>' in html
    assert "Rust" not in html  # staff answers are not counted
