from django.apps import AppConfig


class OfferConfig(AppConfig):
    name = "maillage.offer"
    label = "offer"
    verbose_name = "Offre d'accompagnement"
