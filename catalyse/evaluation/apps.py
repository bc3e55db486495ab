from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from catalyse.core import registry

        from . import demo, generate, permissions, signals  # noqa: F401  (permissions registers the policies and the lead role)

        signals.connect()

        # The demo frameworks belong to demo initiatives and name demo organisations as owners.
        registry.register_demo(self, demo.load, after=["initiatives"])
        registry.register_generator(
            "evaluations", label="évaluations", help="nombre d'initiatives à doter d'un cadre d'évaluation",
            after=["initiatives"], generate=generate.evaluations_generate, clear=generate.evaluations_clear,
            batch_divisor=5,  # each framework writes indicators, versions and measurements with it
        )
