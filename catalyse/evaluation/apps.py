from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        # permissions registers the policies, the lead role and the evidence files (core.files).
        from . import demo, permissions, search  # noqa: F401
        from .personal_data import evidence_created

        search.connect()
        personal_data.register("evaluation_evidence", evidence_created)

        # The demo frameworks belong to demo initiatives and name demo organisations as owners.
        registry.register_demo(self, demo.load, after=["initiatives"])
