"""A prescriber opens a file for a citizens' collective in Herm, finds the
right next step and sends the orientation."""

import re

from playwright.sync_api import Page, expect

from .browsing import Site

DEMO_EMAIL = "demo@maillage.localhost"
DEMO_PASSWORD = "demo-maillage-2026"


def log_in(site: Site) -> Page:
    page = site.visit("/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(DEMO_EMAIL)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    return page


def choose_commune(page: Page, label: str, text: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    with page.expect_response(lambda r: "/api/v1/communes?" in r.url):
        box.press_sequentially(text, delay=30)
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).click()


def test_collective_in_herm_is_oriented_to_the_landes_collective_incubator(site: Site) -> None:
    log_in(site)
    page = site.visit("/porteurs/nouveau/")
    page.get_by_label("Collectif", exact=True).check()
    page.get_by_label("Nom ou prénom d'usage").fill("Collectif du café de Herm")
    page.get_by_label("Membres du collectif").fill("Alex\nSam")
    choose_commune(page, "Commune de résidence", "herm", "Herm (40)")
    page.get_by_label(re.compile("^Le porteur de projet accepte")).check()
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.wait_for_url(re.compile(r".*/porteurs/\d+/$"))
    site.check("dossier")

    page.get_by_role("link", name="Nouveau projet").first.click()
    page.get_by_label("Intitulé du projet").fill("Café associatif")
    page.get_by_label("Étape actuelle").select_option("ideation-premiers-pas")
    page.get_by_label("Secteur d'activité").select_option("lien-social")
    page.get_by_label("Projet porté collectivement").check()
    site.check("projet")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/projets/\d+/$"))

    page.get_by_role("link", name="Trouver un accompagnement et orienter").first.click()
    page.wait_for_url(re.compile(r".*/orienter/$"))
    site.check("recommandations")
    first = page.locator("main article").first
    expect(first).to_contain_text("PLOUCS")
    first.get_by_role("link", name=re.compile("Orienter vers ce dispositif")).click()

    page.get_by_label("Message à la structure").fill("Collectif motivé, café associatif.")
    page.get_by_label(re.compile("^Je confirme que le porteur a donné son accord")).check()
    site.check("envoi")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.wait_for_url(re.compile(r".*/orientations/\d+/$"))
    site.check("orientation")
    expect(page.locator("main")).to_contain_text("Envoyée")
