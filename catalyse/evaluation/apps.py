from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from catalyse.core import registry

        # permissions registers the policies and the lead role; importers the "measurements" import kind.
        from . import demo, importers, permissions  # noqa: F401

        # The demo frameworks belong to demo initiatives and name demo organisations as owners.
        registry.register_demo(self, demo.load, after=["initiatives"])
