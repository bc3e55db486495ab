"""The home page's "résultats du réseau" block (registered in apps.py through core's home block registry):
the published results as a visitor sees them, read from the precomputed counts (a few rows)."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from .dashboards import STATUS_LABELS
from .results import network_summary


def results_block(request) -> dict | None:
    initiatives, by_status = network_summary(AnonymousUser())
    if not initiatives:
        return None
    return {
        "initiatives": initiatives,
        "indicators": sum(by_status.values()),
        "by_status": [{"code": s, "label": STATUS_LABELS[s], "count": n} for s, n in by_status.items()],
        "url": reverse("evaluation_network"),
    }
