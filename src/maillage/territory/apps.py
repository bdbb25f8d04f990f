from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    verbose_name = "Référentiel territorial"
    name = "maillage.territory"
    label = "territory"
