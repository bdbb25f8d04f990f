from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "maillage.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"
