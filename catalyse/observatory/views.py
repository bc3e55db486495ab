from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .cards import region_cards
from .models import Indicator


def indicator_catalogue(request: HttpRequest) -> HttpResponse:
    indicators = list(Indicator.objects.all())
    return render(request, "observatory/catalogue.html", {
        "indicators": indicators, "demo": any(i.is_demo for i in indicators),
    })


def region_card_list(request: HttpRequest) -> HttpResponse:
    cards = region_cards(request.user)
    return render(request, "observatory/region_cards.html", {
        "cards": cards, "demo": any(c.demo for c in cards), "single": False,
    })


def region_card(request: HttpRequest, code: str) -> HttpResponse:
    cards = region_cards(request.user, code)
    if not cards:
        raise Http404("Région inconnue.")
    return render(request, "observatory/region_cards.html", {"cards": cards, "demo": cards[0].demo, "single": True})
