"""Helpers for the browser journeys: screenshots and axe-core checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RESULTS = Path(__file__).resolve().parents[1] / "test-results"
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def screenshot(page: Page, test_name: str, label: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{slug(test_name)}--{slug(label)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_a11y(page: Page, report: Path | None = None) -> None:
    """Run axe-core on the page as it is now; fail on serious or critical violations.

    Every violation, whatever its impact, is saved as JSON into `report` if given.
    """
    results = _axe.run(page)
    if report is not None:
        report.parent.mkdir(exist_ok=True)
        results.save_to_file(report, violations_only=True)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"{len(blocking)} violation(s) d'accessibilité graves sur {page.url} :"]
    for violation in blocking:
        lines.append(
            f"- {violation['id']} ({violation['impact']}) : {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    · {target}\n      {node.get('failureSummary', '')}".rstrip())
    pytest.fail("\n".join(lines))


class Site:
    """The journey's view of the site: every page it sees is screenshotted and checked."""

    def __init__(self, page: Page, test_name: str) -> None:
        self.page = page
        self.test_name = test_name
        self.seen = 0

    def visit(self, path: str) -> Page:
        """Open `path` (relative to the server) and check the resulting page."""
        response = self.page.goto(path)
        assert response is not None, f"pas de réponse pour {path}"
        assert response.ok, f"{path} a répondu HTTP {response.status}"
        self.check()
        return self.page

    def check(self, label: str | None = None) -> None:
        """Check the current page, e.g. after a click, a form post or a script change."""
        self.page.wait_for_load_state("load")
        self.seen += 1
        name = label or (self.page.url.split("//", 1)[-1].split("/", 1)[-1] or "accueil")
        shot = screenshot(self.page, self.test_name, f"{self.seen:02d}-{name}")
        check_a11y(self.page, report=shot.with_suffix(".axe.json"))
