"""A local authority looks at support gaps in the Creuse at the creation stage."""

import json
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .browsing import Site


def test_creuse_creation_stage_diagnosis_matches_the_api(site: Site) -> None:
    page = site.visit("/diagnostic/")
    page.get_by_label("Un département").check()
    page.locator("#id_departement").select_option("23")
    page.get_by_label("Étape du parcours").select_option("creation-incubation")
    page.get_by_label("Seuil de temps de trajet").select_option("30")
    page.get_by_role("button", name="Lancer le diagnostic").click()

    # The job runs in the background; the page shows progress, then the result.
    page.wait_for_url(re.compile(r".*/diagnostic/resultat/\d+/$"))
    expect(page.get_by_role("heading", name="Carte des temps de trajet")).to_be_visible(
        timeout=30_000
    )
    site.check("resultat")
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator("#communes table, table").last).to_contain_text("Guéret")

    # The numbers on the page are those of the API (and so of the CLI).
    api = page.request.get(
        "/api/v1/diagnosis?territory=departement:23&stage=creation-incubation&threshold=30"
    )
    data = json.loads(api.text())
    assert data["communes"] == 255
    main = page.locator("main")
    expect(main).to_contain_text(f"{data['communes_beyond']}")

    # Exports: the four formats download.
    base = urlsplit(page.url).path
    for fmt, magic in (("csv", b""), ("xlsx", b"PK"), ("ods", b"PK"), ("pdf", b"%PDF")):
        response = page.request.get(f"{base}export.{fmt}")
        assert response.ok, fmt
        assert response.body().startswith(magic), fmt
    svg = page.request.get(f"{base}carte.svg")
    assert svg.ok and b"<svg" in svg.body()
