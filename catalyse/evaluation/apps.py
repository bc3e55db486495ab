from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from catalyse.core import registry

        from . import demo, demo_change, demo_partnership, permissions  # noqa: F401  (permissions registers the policies)

        def load_demo() -> str:
            return f"{demo.load()} ; {demo_partnership.load()} ; {demo_change.load()}"

        # The demo frameworks belong to demo initiatives and name demo organisations as owners.
        registry.register_demo(self, load_demo, after=["initiatives"])
