from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class ActorsConfig(AppConfig):
    name = "catalyse.actors"
    label = "actors"
    verbose_name = "Acteurs"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from catalyse.accounts import moderation, personal_data
        from catalyse.core import registry

        # permissions registers the Organisation policy, importers the organisations import kind.
        from . import browse_cache, demo, generate, home, importers, permissions, search  # noqa: F401
        from .models import Organisation
        from .personal_data import organisations_created
        from .services import organisation_update

        browse_cache.connect()
        search.connect()
        reseed_after_flush(self, "0002_trades_and_competences", "create_trades")
        moderation.register(
            Organisation, label=_("Organisations"),
            apply_change=lambda org, field, value: organisation_update(org, **{field: value}),
            suggestible_fields=["name", "description", "website", "address", "postal_code", "legal_form"],
        )
        personal_data.register("organisations_created", organisations_created)
        registry.register_home_block(self, "map", "actors/home_map.html", home.map_block, order=20,
                                     versions=[browse_cache.DIRECTORY_VERSION], public=True)
        registry.register_demo(self, demo.load)
        registry.register_generator(
            "organisations", label="organisations", help="nombre d'organisations à créer",
            generate=generate.organisations_generate, clear=generate.organisations_clear,
        )
