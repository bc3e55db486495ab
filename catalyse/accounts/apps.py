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
        from django.utils.translation import gettext_lazy as _

        from catalyse.actors.models import Organisation
        from catalyse.actors.services import organisation_update
        from catalyse.initiatives.models import Initiative
        from catalyse.initiatives.services import initiative_update

        from . import moderation

        moderation.register(
            Organisation, label=_("Organisations"),
            apply_change=lambda org, field, value: organisation_update(org, **{field: value}),
            suggestible_fields=["name", "description", "website", "address", "postal_code", "legal_form"],
        )
        moderation.register(
            Initiative, label=_("Initiatives"), status_field="publication", preview_field="recit",
            apply_change=lambda initiative, field, value: initiative_update(
                initiative, message=str(_("Proposition d'un visiteur acceptée")), **{field: value}),
            suggestible_fields=["title", "summary", "recit"],
        )
