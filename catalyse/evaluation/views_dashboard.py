"""The evaluation dashboards: an initiative's (/initiatives/<slug>/evaluation/tableau-de-bord/) and the network's
(/evaluation/), read through the permission module so that each person sees only what they may."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from .dashboards import initiative_dashboard
from .results import network_results


def _on(request) -> date:
    """The date of the dashboard: ?au=AAAA-MM-JJ, today when absent or unreadable."""
    try:
        return date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        return timezone.localdate()


def dashboard(request, slug):
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    board = initiative_dashboard(request.user, initiative, _on(request))
    return render(request, "evaluation/dashboard.html", {"initiative": initiative, "board": board})


def network_dashboard(request):
    return render(request, "evaluation/network_dashboard.html", {"results": network_results(request.user)})
