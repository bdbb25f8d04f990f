"""Finding support near a commune: the offer search with its map and list."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .browsing import Site


def test_idea_stage_support_near_annonay(site: Site) -> None:
    page = site.visit("/accompagnement/")
    box = page.get_by_role("combobox", name="Votre commune")
    with page.expect_response(lambda r: "/api/v1/communes?" in r.url):
        box.press_sequentially("annonay", delay=30)
    option = page.get_by_role("option", name=re.compile("^Annonay \\(07\\)"))
    option.click()
    page.get_by_label("Étape du projet").select_option("ideation-premiers-pas")
    page.get_by_role("button", name=re.compile("Rechercher|Chercher")).first.click()

    page.wait_for_url(re.compile(r".*/accompagnement/\?.*commune=07010.*"))
    site.check("resultats")
    results = page.locator("article")
    expect(results.first).to_contain_text("Lance-toi")
    expect(results.first).to_contain_text("min")
    # The map draws the same results (Leaflet from our own static files).
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert page.locator(".leaflet-tile").count() == 0  # no basemap by default

    # The URL is shareable: opening it again gives the same list.
    parts = urlsplit(page.url)
    again = site.visit(f"{parts.path}?{parts.query}")
    expect(again.locator("article").first).to_contain_text("Lance-toi")


def test_empty_search_says_what_is_missing(site: Site) -> None:
    page = site.visit("/accompagnement/?commune=23096&stage=developpement&max_minutes=15")
    site.check("vide")
    expect(page.locator("main")).to_contain_text("Aucun dispositif")
    expect(page.locator("main")).to_contain_text("15 min")
