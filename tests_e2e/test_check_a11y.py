"""The accessibility check itself: it must catch what it is meant to catch."""

import pytest
from playwright.sync_api import Page

from .browsing import check_a11y


def test_serious_violations_fail_with_their_rule_and_target(page: Page) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><input id="sans-etiquette" type="text"><button id="vide"></button>'
        "</main></body></html>"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        check_a11y(page)
    message = str(failure.value)
    assert "label (critical)" in message
    assert "#sans-etiquette" in message
    assert "button-name (critical)" in message
    assert "#vide" in message


def test_a_clean_page_passes(page: Page) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><label for="q">Commune</label><input id="q" type="text">'
        "<button>Rechercher</button></main></body></html>"
    )
    check_a11y(page)
