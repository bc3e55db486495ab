from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the policies and the evaluation lead role)
