from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "catalyse.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation"

    def ready(self) -> None:
        from catalyse.accounts import personal_data
        from catalyse.core import registry

        # permissions registers the policies, the lead role and the evidence files (core.files);
        # importers the "measurements" import kind.
        from . import demo, demo_change, demo_partnership, generate, importers, permissions, search, signals  # noqa: F401
        from .home import results_block
        from .personal_data import evidence_created

        signals.connect()
        search.connect()
        personal_data.register("evaluation_evidence", evidence_created)

        def load_demo() -> str:
            return f"{demo.load()} ; {demo_partnership.load()} ; {demo_change.load()}"

        # Read from a few precomputed rows: not worth a cached copy.
        registry.register_home_block(self, "results", "evaluation/home_results.html", results_block, order=50)
        # The demo frameworks belong to demo initiatives and name demo organisations as owners.
        registry.register_demo(self, load_demo, after=["initiatives"])
        registry.register_generator(
            "evaluations", label="évaluations", help="nombre d'initiatives à doter d'un cadre d'évaluation",
            after=["initiatives"], generate=generate.evaluations_generate, clear=generate.evaluations_clear,
            batch_divisor=5,  # each framework writes indicators, versions and measurements with it
        )
