"""Controlled vocabularies of the support offer, with French labels.

Stored as slugs (stable across translations and exports); the labels are
what people read. The order of STAGES is the order of a project's pathway.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureKind(models.TextChoices):
    INCUBATEUR = "incubateur", _("Incubateur")
    FABRIQUE = "fabrique-a-initiatives", _("Fabrique à initiatives")
    PTCE = "ptce", _("Pôle territorial de coopération économique (PTCE)")
    SCIC = "scic", _("Société coopérative d'intérêt collectif (SCIC)")
    CAE = "cae", _("Coopérative d'activité et d'emploi (CAE)")
    TIERS_LIEU = "tiers-lieu", _("Tiers-lieu")
    FABLAB = "fablab", _("Fablab")
    DLA = "dla", _("Dispositif local d'accompagnement (DLA)")
    POLE_ESS = "pole-ess", _("Pôle ESS")
    CRESS = "cress", _("Chambre régionale de l'ESS (CRESS)")
    EDUCATION_POPULAIRE = "education-populaire", _("Éducation populaire")
    FONCIERE = "fonciere", _("Foncière solidaire")
    ESPACE_TEST = "espace-test-agricole", _("Espace-test agricole")
    COUVEUSE = "couveuse", _("Couveuse")
    ORGANISME_FORMATION = "organisme-formation", _("Organisme de formation")
    GENERALISTE = (
        "accompagnateur-generaliste",
        _("Accompagnateur généraliste (BGE, France Active, Initiative, chambres consulaires…)"),
    )
    COLLECTIVITE = "collectivite", _("Collectivité")
    FINANCEUR = "financeur", _("Financeur")
    PNR = "parc-naturel-regional", _("Parc naturel régional")
    OTHER = "other", _("Autre")


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCIC = "scic", _("SCIC")
    SCOP = "scop", _("SCOP")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    SOCIETE = "societe", _("Société commerciale (SAS, SARL…)")
    FONDATION = "fondation", _("Fondation")
    GIP = "gip", _("Groupement d'intérêt public")
    COLLECTIVITE = "collectivite", _("Collectivité ou établissement public")
    OTHER = "other", _("Autre")
    UNKNOWN = "unknown", _("Non renseignée")


class Stage(models.TextChoices):
    SENSIBILISATION = "sensibilisation", _("Sensibilisation")
    INFORMATION = "information-orientation", _("Information et orientation")
    IDEATION = "ideation-premiers-pas", _("Idéation, premiers pas")
    EMERGENCE = "emergence-faisabilite", _("Émergence, étude de faisabilité")
    CREATION = "creation-incubation", _("Création, incubation")
    TEST = "test-activite", _("Test d'activité")
    CONSOLIDATION = "consolidation", _("Consolidation")
    DEVELOPPEMENT = "developpement", _("Développement")
    COOPERATION = "cooperation-territoriale", _("Coopération territoriale")
    FORMATION = "formation-acteurs", _("Formation des acteurs")


# The porteur's pathway, in order; the last two stages are not steps of a
# project but offers to territories and professionals.
PATHWAY = [
    Stage.SENSIBILISATION,
    Stage.INFORMATION,
    Stage.IDEATION,
    Stage.EMERGENCE,
    Stage.CREATION,
    Stage.TEST,
    Stage.CONSOLIDATION,
    Stage.DEVELOPPEMENT,
]


def next_stage(stage: str) -> str | None:
    """The stage that follows on the pathway, or None at its end / off it."""
    order = [s.value for s in PATHWAY]
    if stage not in order or stage == order[-1]:
        return None
    return order[order.index(stage) + 1]


class Audience(models.TextChoices):
    INDIVIDUEL = "individuel", _("Porteur individuel")
    NEORURAL = "neorural", _("Néorural")
    JEUNE = "jeune", _("Jeune")
    NEET = "neet", _("Jeune ni en emploi ni en formation (NEET)")
    FEMME = "femme", _("Femme")
    COLLECTIF = "collectif-citoyens", _("Collectif de citoyens")
    STRUCTURE = "structure-existante", _("Structure existante")
    COLLECTIVITE = "collectivite", _("Collectivité")
    ELUS = "elus-techniciens", _("Élus et techniciens")
    PROS = "professionnels-accompagnement", _("Professionnels de l'accompagnement")
    GRAND_PUBLIC = "grand-public", _("Grand public")


class Sector(models.TextChoices):
    ALIMENTATION = "alimentation-circuits-courts", _("Alimentation, circuits courts")
    AGRICULTURE = "agriculture", _("Agriculture")
    COMMERCE = "commerce-multiservice", _("Commerce, multiservice")
    REEMPLOI = "reemploi-economie-circulaire", _("Réemploi, économie circulaire")
    LIEN_SOCIAL = "lien-social", _("Lien social")
    INSERTION = "insertion-iae", _("Insertion, IAE")
    SANTE = "sante-autonomie", _("Santé, autonomie")
    PETITE_ENFANCE = "petite-enfance", _("Petite enfance")
    CULTURE = "culture-patrimoine", _("Culture, patrimoine")
    TOURISME = "tourisme", _("Tourisme")
    MOBILITE = "mobilite", _("Mobilité")
    ENERGIE = "energie-renovation", _("Énergie, rénovation")
    NUMERIQUE = "numerique", _("Numérique")
    ARTISANAT = "artisanat", _("Artisanat")
    HABITAT = "habitat", _("Habitat")
    SERVICES = "services-proximite", _("Services de proximité")
    TOUS = "tous-secteurs", _("Tous secteurs")


class Format(models.TextChoices):
    COLLECTIVE = "collective", _("Collectif")
    INDIVIDUAL = "individual", _("Individuel")
    ITINERANT = "itinerant", _("Itinérant")
    REMOTE = "remote", _("À distance")


class Criterion(models.TextChoices):
    """Structured entry criteria that orientation can check."""

    COLLECTIVE_ONLY = "collective-only", _("Projets collectifs uniquement")
    INDIVIDUAL_ONLY = "individual-only", _("Projets individuels uniquement")
    SOCIAL_UTILITY = "social-utility", _("Utilité sociale requise")
    ESS_STRUCTURE = "ess-employer", _("Structure employeuse de l'ESS")
    RESIDENT = "resident", _("Projet implanté sur le territoire servi")
    APPLICATION = "application-call", _("Sur appel à candidatures")


class ZoneKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    FRANCE = "france", _("France entière")


def labels(choices: type[models.TextChoices], values: list[str]) -> list[str]:
    """French labels of stored slugs, unknown slugs shown as they are."""
    mapping = dict(choices.choices)
    return [str(mapping.get(v, v)) for v in values]
