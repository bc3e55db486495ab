"""The CSV of an SROI estimate, on the one export framework (`catalyse.core.exports`): every assumption with its
source or justification, the results, and the sensitivity table — one row per figure, so that a reader can redo
the computation. The first row says that the result is an estimate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import StreamingHttpResponse

from catalyse.core.exports import FORMATS, Column, write_csv

from . import services_change, sroi
from .models import SroiEstimate


@dataclass(frozen=True)
class Row:
    section: str
    outcome: str
    item: str
    value: Decimal | int | str | None
    note: str = ""


def _number(value) -> float | int | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 6))
    return value


COLUMNS = [
    Column("section", "hypothèses, résultats ou sensibilité", lambda r: r.section),
    Column("effet", "l'effet valorisé (vide : l'estimation entière)", lambda r: r.outcome),
    Column("element", "l'hypothèse ou le résultat", lambda r: r.item),
    Column("valeur", "sa valeur (taux entre 0 et 1, montants en euros)", lambda r: _number(r.value)),
    Column("source_ou_justification", "d'où vient la valeur, ou comment elle a été estimée", lambda r: r.note),
]


def sroi_rows(estimate: SroiEstimate) -> Iterator[Row]:
    inputs = services_change.sroi_inputs(estimate)
    result = sroi.estimate(inputs)
    yield Row("avertissement", "", "nature du résultat", "estimation",
              "Un SROI est une estimation : il vaut ce que valent ses hypothèses, toutes listées ici.")
    yield Row("hypotheses", "", "intitulé", estimate.title, estimate.notes)
    yield Row("hypotheses", "", "date de l'estimation", estimate.estimated_on.isoformat())
    yield Row("hypotheses", "", "investissement", estimate.investment, estimate.investment_note)
    yield Row("hypotheses", "", "taux d'actualisation", estimate.discount_rate)
    yield Row("hypotheses", "", "pas de sensibilité", estimate.sensitivity_step)
    for o in inputs.outcomes:
        yield Row("hypotheses", o.name, "partie prenante", o.stakeholder)
        yield Row("hypotheses", o.name, "quantité", o.quantity)
        yield Row("hypotheses", o.name, "valeur financière unitaire par an", o.proxy, o.proxy_source)
        for item, value in (("effet d'aubaine", o.deadweight), ("attribution à d'autres", o.attribution),
                            ("déplacement", o.displacement), ("érosion annuelle", o.drop_off)):
            yield Row("hypotheses", o.name, item, value, o.assumptions)
        yield Row("hypotheses", o.name, "durée en années", o.duration)
    for r in result.outcomes:
        for year, value in enumerate(r.yearly, start=1):
            yield Row("resultats", r.outcome.name, f"valeur année {year} (non actualisée)", value)
        yield Row("resultats", r.outcome.name, "valeur actuelle", r.present_value)
    yield Row("resultats", "", "valeur actuelle totale", result.present_value)
    yield Row("resultats", "", "valeur actuelle nette", result.net_present_value)
    yield Row("resultats", "", "ratio SROI (estimation)", result.ratio)
    for row in sroi.sensitivity(inputs, estimate.sensitivity_step):
        yield Row("sensibilite", row.outcome, f"{row.assumption} à {_number(row.low)}", row.ratio_low)
        yield Row("sensibilite", row.outcome, f"{row.assumption} à {_number(row.high)}", row.ratio_high)


def sroi_csv_response(estimate: SroiEstimate) -> StreamingHttpResponse:
    response = StreamingHttpResponse((chunk.encode() for chunk in write_csv(COLUMNS, sroi_rows(estimate))),
                                     content_type=FORMATS["csv"][0])
    response["Content-Disposition"] = f'attachment; filename="sroi-{estimate.initiative.slug}-{estimate.pk}.csv"'
    return response
