import pytest

from careers.models import Transition
from tests.factories import make_member, make_plan, make_transition

SEED_000 = "software-engineer-to-ai-interpretability-researcher"


@pytest.fixture
def member(db):
    return make_member(email="member@example.com")


@pytest.fixture
def other_member(db):
    return make_member(email="other@example.com")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def seed_transition(catalog):
    return Transition.objects.get(slug=SEED_000)


@pytest.fixture
def transition(db):
    """A small published transition: 2 phases of 2 tasks + 1 resource, and 3 actions."""
    return make_transition()


@pytest.fixture
def plan(member, transition):
    return make_plan(member, transition)
