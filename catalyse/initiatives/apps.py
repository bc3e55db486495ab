from django.apps import AppConfig

from catalyse.core.reference import reseed_after_flush


class InitiativesConfig(AppConfig):
    name = "catalyse.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from catalyse.accounts import moderation, personal_data
        from catalyse.actors.browse_cache import DIRECTORY_VERSION
        from catalyse.core import registry

        from . import demo, generate, home, permissions, search, signals  # noqa: F401  (permissions registers the policies)
        from .models import Initiative
        from .personal_data import initiatives_created
        from .queries import DATA_VERSION
        from .services import initiative_update

        signals.connect()
        search.connect()
        reseed_after_flush(self, "0002_themes_and_sdgs")
        moderation.register(
            Initiative, label=_("Initiatives"), status_field="publication", preview_field="recit",
            apply_change=lambda initiative, field, value: initiative_update(
                initiative, message=str(_("Proposition d'un visiteur acceptée")), **{field: value}),
            suggestible_fields=["title", "summary", "recit"],
        )
        personal_data.register("initiatives_created", initiatives_created)
        # The network in figures counts organisations too: either version moving renders it again.
        registry.register_home_block(self, "figures", "initiatives/home_figures.html", home.figures, order=10,
                                     versions=[DATA_VERSION, DIRECTORY_VERSION], public=True)
        registry.register_home_block(self, "showcase", "initiatives/home_showcase.html", home.showcase, order=30,
                                     versions=[DATA_VERSION], public=True)
        registry.register_home_block(self, "themes", "initiatives/home_themes.html", home.themes, order=35,
                                     versions=[DATA_VERSION], public=True)
        # The demo initiatives name demo organisations as partners.
        registry.register_demo(self, demo.load, after=["actors"])
        registry.register_generator(
            "initiatives", label="initiatives", help="nombre d'initiatives à créer", after=["organisations"],
            generate=generate.initiatives_generate, clear=generate.initiatives_clear,
            batch_divisor=2,  # each initiative writes partnerships, themes, SDGs and stages with it
        )
