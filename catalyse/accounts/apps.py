from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "catalyse.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from catalyse.actors.models import Organisation
        from catalyse.actors.services import organisation_update
        from catalyse.core.concurrency import object_updated
        from catalyse.initiatives.models import Initiative
        from catalyse.initiatives.services import initiative_update

        from . import moderation
        from .audit import audit_update

        object_updated.connect(audit_update, dispatch_uid="accounts-audit-update")

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
