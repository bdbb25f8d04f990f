from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "Comptes et organisations"
    name = "maillage.accounts"
    label = "accounts"
