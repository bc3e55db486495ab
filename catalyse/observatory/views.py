from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Indicator


def indicator_catalogue(request: HttpRequest) -> HttpResponse:
    indicators = list(Indicator.objects.all())
    return render(request, "observatory/catalogue.html", {
        "indicators": indicators, "demo": any(i.is_demo for i in indicators),
    })
