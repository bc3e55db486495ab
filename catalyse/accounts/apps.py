from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "catalyse.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from catalyse.actors.models import Organisation
        from catalyse.actors.services import organisation_update

        from . import moderation

        moderation.register(
            Organisation, label=_("Organisations"),
            apply_change=lambda org, field, value: organisation_update(org, **{field: value}),
            suggestible_fields=["name", "description", "website", "address", "postal_code", "legal_form"],
        )
