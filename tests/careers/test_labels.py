"""Counts read as English: "1 phase, 1 week", never "1 phases"."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_transition

pytestmark = pytest.mark.django_db


def test_a_one_phase_one_week_roadmap_says_so_in_the_singular(client):
    t = make_transition(phases=1, timeline_min_months=1, timeline_max_months=1)
    t.phases.update(weeks=1)
    html = client.get(reverse("careers:transition", args=[t.slug])).content.decode()
    assert "<dd>1 phase, 1 week</dd>" in html
    assert "1 phase over 1 week at the guide's pace" in html
    assert '<span class="phase-weeks">1 week</span>' in html
    assert "1–1 month<" in html
    assert not re.search(r"\b1 (phases|weeks|months)\b", html)


def test_a_longer_roadmap_keeps_its_plurals(client):
    t = make_transition(phases=2)  # phases of 5 and 6 weeks
    html = client.get(reverse("careers:transition", args=[t.slug])).content.decode()
    assert "<dd>2 phases, 11 weeks</dd>" in html
    assert '<span class="phase-weeks">5 weeks</span>' in html
    assert "9–15 months" in html
