"""Finding a commune from the home page: autocomplete (keyboard, mouse), the
no-JavaScript fallback, and the language switch in the footer."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .browsing import Site


def search_box(page: Page) -> Locator:
    # Found by its label, as a screen-reader user would.
    box = page.get_by_role("combobox", name="Votre commune")
    expect(box).to_have_id("commune-q")
    return box


def suggestion(page: Page, name: str) -> Locator:
    # An option's accessible name is "Name (dep) — postal codes".
    return page.locator("#commune-q-listbox").get_by_role(
        "option", name=re.compile("^" + re.escape(name))
    )


def type_query(page: Page, text: str) -> None:
    box = search_box(page)
    with page.expect_response(lambda r: "/api/v1/communes?" in r.url) as api:
        box.press_sequentially(text, delay=30)
    query = parse_qs(urlsplit(api.value.url).query)
    assert api.value.ok
    assert query["limit"] == ["10"]
    assert query["q"][0].strip()


def test_choose_la_chaise_dieu_with_the_keyboard(site: Site) -> None:
    page = site.visit("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maillage")

    type_query(page, "chaise dieu")
    option = suggestion(page, "La Chaise-Dieu (43)")
    expect(option).to_be_visible()
    box = search_box(page)
    expect(box).to_have_attribute("aria-expanded", "true")
    site.check("accueil-suggestions")  # the open listbox must be accessible too

    options = page.locator("#commune-q-listbox [role=option]")
    for _ in range(options.count()):
        box.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    box.press("Enter")

    page.wait_for_url("**/communes/43048/")
    site.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("La Chaise-Dieu")


def test_choose_gueret_by_postal_code_with_the_mouse(site: Site) -> None:
    page = site.visit("/")
    type_query(page, "23000")
    suggestion(page, "Guéret (23)").click()

    page.wait_for_url("**/communes/23096/")
    site.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guéret")
    expect(page.locator("dl.facts")).to_contain_text("23000")
    expect(page.locator("svg.commune-map")).to_be_visible()
    assert page.locator("svg.commune-map path").count() > 1  # the commune and its EPCI
    expect(page.locator("svg.commune-map path.self")).to_have_count(1)


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_submitting_the_form_lists_the_matching_communes(site: Site, javascript: bool) -> None:
    page = site.visit("/")
    box = search_box(page)
    box.fill("louvigne")
    if javascript:
        # The suggestions open, but none is chosen.
        expect(suggestion(page, "Louvigné-du-Désert (35)")).to_be_visible()
    else:
        expect(page.locator("#commune-q-listbox")).to_be_hidden()
    box.press("Enter")  # no option chosen: the form is submitted

    page.wait_for_url(re.compile(r"/communes/\?q=louvigne$"))
    site.check()
    first = page.locator("table tbody tr").first.get_by_role("link")
    expect(first).to_have_text("Louvigné-du-Désert")
    expect(first).to_have_attribute("href", "/communes/35162/")

    first.click()
    page.wait_for_url("**/communes/35162/")
    site.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Louvigné-du-Désert")


def test_the_footer_switches_the_site_to_english(site: Site) -> None:
    page = site.visit("/")
    footer = page.locator("footer")
    footer.get_by_label("Langue").select_option(value="en")
    footer.get_by_role("button").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    site.check("accueil-en")
    # The choice is remembered from page to page.
    site.visit("/communes/43048/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_languages_are_offered_in_their_own_language(site: Site) -> None:
    page = site.visit("/")
    english = page.locator("#langue option[value=en]")
    assert english.text_content() == "English"
    assert english.get_attribute("lang") == "en"
