import pytest
from django.test import Client

from careers.catalog.loader import load_catalog


@pytest.fixture
def catalog(db):
    """The shipped catalog, loaded as `make run` loads it."""
    return load_catalog()


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF checks, as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        email="staff@example.com", password="a-long-staff-password"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
