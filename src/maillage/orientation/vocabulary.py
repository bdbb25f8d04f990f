"""Vocabularies of porteurs, projects, orientations and pathways."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PorteurKind(models.TextChoices):
    PERSON = "personne", _("Personne")
    COLLECTIVE = "collectif", _("Collectif")


class Profile(models.TextChoices):
    NEORURAL = "neorural", _("Néorural")
    CONJOINT = "conjoint", _("Conjoint·e")
    JEUNE = "jeune", _("Jeune")
    NEET = "neet", _("Jeune ni en emploi ni en formation (NEET)")
    PLURIACTIF = "pluriactif", _("Pluriactif")
    COLLECTIF = "collectif-citoyens", _("Collectif de citoyens")
    STRUCTURE = "structure-existante", _("Structure existante")


# Porteur profile → audiences of the offer it makes eligible.
PROFILE_AUDIENCES = {
    "neorural": {"neorural", "individuel"},
    "conjoint": {"individuel", "femme"},
    "jeune": {"jeune", "individuel"},
    "neet": {"neet", "jeune", "individuel"},
    "pluriactif": {"individuel"},
    "collectif-citoyens": {"collectif-citoyens"},
    "structure-existante": {"structure-existante"},
}


class Need(models.TextChoices):
    MISSION = "mission-sociale", _("Mission sociale")
    MARKET = "etude-de-marche", _("Étude de marché")
    MODEL = "modele-economique", _("Modèle économique")
    GOVERNANCE = "gouvernance-statut", _("Gouvernance et statut juridique")
    FUNDING = "financement", _("Financement")
    PREMISES = "locaux-foncier", _("Locaux, foncier")
    NETWORK = "reseau-posture", _("Réseau et posture")
    IMPACT = "mesure-impact", _("Mesure d'impact")
    SKILLS = "competences-metier", _("Compétences métier")


# Which stages of the offer usually address each need: a programme "covers"
# a need when it works on one of these stages.
NEED_STAGES = {
    "mission-sociale": {"ideation-premiers-pas", "emergence-faisabilite"},
    "etude-de-marche": {"emergence-faisabilite", "creation-incubation"},
    "modele-economique": {"emergence-faisabilite", "creation-incubation", "consolidation"},
    "gouvernance-statut": {"emergence-faisabilite", "creation-incubation"},
    "financement": {"creation-incubation", "consolidation", "developpement"},
    "locaux-foncier": {"creation-incubation", "test-activite", "developpement"},
    "reseau-posture": {"ideation-premiers-pas", "information-orientation", "test-activite"},
    "mesure-impact": {"consolidation", "developpement"},
    "competences-metier": {"test-activite", "formation-acteurs"},
}


class OrientationState(models.TextChoices):
    SENT = "envoyee", _("Envoyée")
    REVIEW = "en_examen", _("En examen")
    ACCEPTED = "acceptee", _("Acceptée")
    REFUSED = "refusee", _("Refusée")
    EXPIRED = "expiree", _("Expirée")
    CANCELLED = "annulee", _("Annulée")


OPEN_STATES = frozenset({OrientationState.SENT, OrientationState.REVIEW})


class RefusalReason(models.TextChoices):
    FULL = "complet", _("Promotion complète")
    CRITERIA = "criteres", _("Ne remplit pas les conditions d'entrée")
    STAGE = "etape", _("Projet pas à la bonne étape")
    ZONE = "territoire", _("Hors du territoire servi")
    NO_ANSWER = "injoignable", _("Porteur injoignable")
    OTHER = "autre", _("Autre motif")


class ExitOutcome(models.TextChoices):
    LAUNCHED = "projet-lance", _("Projet lancé")
    CONTINUES = "poursuite", _("Poursuite vers un autre accompagnement")
    ABANDONED = "abandon", _("Abandon")
    JOB_TRAINING = (
        "reorientation-emploi-formation",
        _("Réorientation vers l'emploi ou la formation"),
    )


class EventKind(models.TextChoices):
    CREATED = "creation", _("Ouverture du dossier")
    STAGE = "etape", _("Changement d'étape")
    ORIENTATION = "orientation", _("Orientation")
    ENROLMENT = "inscription", _("Entrée dans un dispositif")
    EXIT = "sortie", _("Sortie")
    FOLLOW_UP = "suivi", _("Groupe de suivi")
    CONSENT = "consentement", _("Consentement")
    NOTE = "note", _("Note")
