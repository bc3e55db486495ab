"""“Le réseau en chiffres”: the numbers of network_stats() as server-side SVG charts with their tables."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from catalyse.core import charts

from .queries import network_stats


def network(request):
    stats = network_stats()
    return render(request, "actors/network.html", {"stats": stats, "charts": network_charts(stats)})


def network_charts(stats: dict) -> list[charts.Chart]:
    """The statistics page's charts, in reading order (also usable by a report or a PDF)."""
    growth = stats["growth"]
    return [
        charts.donut_chart(_("Acteurs locaux et réseaux nationaux"),
                           [(s["label"], s["count"]) for s in stats["scopes"]], value_label=_("Catalyseurs")),
        charts.bar_chart(_("Catalyseurs par profil"), [(p["label"], p["count"]) for p in stats["profiles"]],
                         value_label=_("Catalyseurs")),
        charts.bar_chart(_("Catalyseurs par métier (une organisation peut en exercer plusieurs)"),
                         [(t["label"], t["count"]) for t in stats["trades"]], value_label=_("Catalyseurs")),
        charts.bar_chart(_("Catalyseurs par région du siège"),
                         [(r["name"] + (" ★" if r["overseas"] else ""), r["count"]) for r in stats["regions"]],
                         value_label=_("Catalyseurs")),
        charts.donut_chart(_("Métropole et outre-mer"),
                           [(_("Métropole"), stats["metropole"]["count"]),
                            (_("Outre-mer"), stats["overseas"]["count"])],
                           value_label=_("Catalyseurs")),
        charts.line_chart(_("Croissance du réseau par année d'adhésion (cumul)"), [str(g["year"]) for g in growth],
                          [charts.Series(_("Catalyseurs (cumul)"), [g["cumulative"] for g in growth]),
                           charts.Series(_("Adhésions de l'année"), [g["joined"] for g in growth])], area=True),
    ]
