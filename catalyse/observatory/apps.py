from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "catalyse.observatory"
    label = "observatory"
    verbose_name = "Observatoire"

    def ready(self):
        from django.db.models.signals import post_save

        from catalyse.core import registry

        from . import demo, importers, signals  # noqa: F401  (importers registers the "indicators" import kind)
        from .blocks import register_blocks
        from .counts import counts_rebuild
        from .models import Indicator, IndicatorValue
        from .queries import VALUES_VERSION

        register_blocks()
        signals.connect()
        # The generator writes in bulk, without signals: the counts per territory are rebuilt after it.
        registry.register_derived("observatory-counts", label="comptes par territoire", rebuild=counts_rebuild)
        VALUES_VERSION.connect(Indicator)
        # Values: saves only. A delete receiver would make Django fetch every row of a bulk delete to signal
        # it; bulk writers (import, aggregation, demo) bump the version themselves.
        post_save.connect(VALUES_VERSION.bump, sender=IndicatorValue, dispatch_uid="observatory-value-save",
                          weak=False)
        registry.register_demo(self, demo.load, after=["initiatives"])
