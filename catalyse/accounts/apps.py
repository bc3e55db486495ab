from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "catalyse.accounts"
    label = "accounts"
    verbose_name = "Comptes"
