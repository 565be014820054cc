import re

import pytest
from django.core import mail

from tests.factories import make_member

PASSWORD = "correct-horse-battery"


@pytest.fixture
def member(db):
    return make_member(email="ada@example.com", display_name="Ada")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def last_link(prefix: str = "http") -> str:
    """The first link in the most recent email."""
    return re.search(rf"{prefix}\S+", mail.outbox[-1].body).group(0)


def signup_data(email="new@example.com", password="a-fine-long-password-42", **overrides):
    data = {"email": email, "password1": password, "password2": password}
    data.update(overrides)
    return data


def page_text(response) -> str:
    """The text of the response's <main>, whitespace collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())
