"""Browser journeys (`make e2e`): a real server driven by Debian's Chromium.

See docs/adr/005-tests-navigateur.md. The session starts gunicorn on a
throw-away SQLite database (migrations, the territory, demo data) and
one headless Chromium; every test gets a fresh browser context (cookies,
language) and a `site` helper whose `visit()` / `check()` save a screenshot
into test-results/ and fail on any serious or critical axe-core violation.

These tests never touch pytest-django's test database: they only talk HTTP to
the server process, on 127.0.0.1 (allowed by pytest-socket).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .browsing import RESULTS, Site, screenshot

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
CHROMIUM = Path(os.environ.get("MAILLAGE_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # we run as root in CI containers
    "--disable-gpu",
    # Without these Chromium phones Google at start-up and gets refused.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_TIMEOUT = 30.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    # Lets the `page` fixture know whether the test failed (for a last screenshot).
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


# --- The server ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def live_server_url() -> Iterator[str]:
    """gunicorn serving a fresh database in a temporary folder; yields its base URL."""
    for tool in ("maillage", "gunicorn"):
        if not (BIN / tool).exists():
            pytest.fail(f"{BIN / tool} est introuvable : lancez `make install` d'abord.")
    with tempfile.TemporaryDirectory(prefix="maillage-e2e-") as tmp:
        env = {
            **os.environ,
            "MAILLAGE_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/e2e.sqlite3",
            "DEBUG": "0",
            "MAILLAGE_MANIFEST_STATIC": "0",
            "WHITENOISE_USE_FINDERS": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECRET_KEY": "e2e",
        }
        for command in (
            ["migrate", "--noinput"],
            # All of France, as `make demo` does: the demo offer spans many
            # départements (about 12 s).
            ["territory", "load"],
            ["demo", "load"],
        ):
            done = subprocess.run(
                [str(BIN / "maillage"), *command],
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                pytest.fail(
                    f"`maillage {' '.join(command)}` a échoué ({done.returncode}) :\n"
                    f"{done.stdout}\n{done.stderr}"
                )

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "gunicorn.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "maillage.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                ],
                env=env,
                cwd=tmp,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + SERVER_TIMEOUT
            while not _answers(url + "/"):
                if server.poll() is not None or time.monotonic() > deadline:
                    state = (
                        f"s'est arrêté (code {server.returncode})"
                        if server.poll() is not None
                        else f"ne répond pas après {SERVER_TIMEOUT:.0f} s"
                    )
                    pytest.fail(f"gunicorn {state} :\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- The browser --------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}). Installez celui de Debian : "
            "`apt-get install chromium` (les tests n'utilisent pas `playwright install`), "
            "ou indiquez un autre chemin dans MAILLAGE_E2E_CHROMIUM."
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def javascript() -> bool:
    """Parametrize with False to load pages without their scripts (the no-JS fallback)."""
    return True


@pytest.fixture
def context(browser: Browser, live_server_url: str, javascript: bool) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server_url,
        locale="fr-FR",  # Accept-Language: fr, as for most of our users
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    if not javascript:
        # The page's own scripts are not served; the JS engine stays on because
        # axe-core runs in it (with `java_script_enabled=False` it never returns).
        context.route(re.compile(r"\.m?js(\?.*)?$"), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that fails the test on JavaScript errors and on broken requests."""
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"erreur JavaScript : {error}"))

    def on_response(response):  # type: ignore[no-untyped-def]
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"HTTP {response.status} : {response.url}")

    page.on("response", on_response)
    yield page
    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed:
        screenshot(page, request.node.name, "echec")
    page.close()
    assert not problems, "Problèmes pendant le parcours :\n" + "\n".join(problems)


@pytest.fixture
def site(page: Page, request: pytest.FixtureRequest) -> Site:
    """The page, seen through `Site.visit()` / `Site.check()`."""
    return Site(page, request.node.name)


@pytest.fixture(scope="session", autouse=True)
def _clean_results() -> None:
    # Screenshots of this run only (the folder is gitignored).
    shutil.rmtree(RESULTS, ignore_errors=True)
