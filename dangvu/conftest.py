import importlib
import os
import shutil

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from dangvu.testing import World, make_world  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def world(db) -> World:
    return make_world()


# The rows the data migrations load (the holiday calendar, the base salaries and coefficients).
SEEDS = ("dangvu.core.migrations.0004_load_vn_calendar", "dangvu.badges.migrations.0002_seed_tables")


@pytest.fixture(autouse=True)
def _seeded(request):
    """A transactional test (a browser test's live server; a marker's transaction=True) empties every
    table when it ends, the rows of the data migrations too, and pytest-django runs those tests last:
    each of them loads the rows again first (the loads skip what is there). Django's serialized
    rollback would do it for every seed, but it collides with the content types the flush recreates."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for module in SEEDS:
            importlib.import_module(module).load(apps, None)


@pytest.fixture
def as_user(client):
    """`as_user(user)` -> the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip, saying why, when Chromium is missing; in CI (DANGVU_REQUIRE_BROWSER=1)
    a missing browser is a failure instead."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    required = os.environ.get("DANGVU_REQUIRE_BROWSER") == "1"
    for item in items:
        if "browser" in item.keywords:
            if required:
                item.add_marker(pytest.mark.usefixtures("_browser_required"))
            else:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"browser test skipped: Chromium not found at {CHROMIUM} "
                        "(apt-get install chromium, or set CHROMIUM_PATH)"
                    )
                )


@pytest.fixture
def _browser_required():
    pytest.fail(f"DANGVU_REQUIRE_BROWSER=1 but Chromium is not found at {CHROMIUM}")
