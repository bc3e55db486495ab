from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CatalyseAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site's sign-in (see admin_site.py); listed in INSTALLED_APPS in its place."""

    default = False  # `catalyse.accounts` itself stays AccountsConfig
    default_site = "catalyse.accounts.admin_site.CatalyseAdminSite"


class AccountsConfig(AppConfig):
    name = "catalyse.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from catalyse.core.concurrency import object_updated

        from .audit import audit_update

        object_updated.connect(audit_update, dispatch_uid="accounts-audit-update")
