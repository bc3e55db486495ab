"""CSV and XLSX of an initiative's evaluation, on the one export framework (`catalyse.core.exports`: streamed
CSV, write-only XLSX, formula-like text neutralised):

- `cadre`: the framework, one row per indicator with its objective and the fields of its current version; an
  objective without indicator has a row of its own;
- `mesures`: the measurements, one row per measurement with its version, status and disaggregations.

Only what `user` may see (`catalyse.core.permissions.visible_queryset`): a visitor gets the published items,
the initiative's partners everything, drafts included (the status column says which is which)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from catalyse.core.exports import FORMATS, Column, write_csv, write_xlsx
from catalyse.core.permissions import visible_queryset
from catalyse.initiatives.models import Initiative

from .models import DEFAULT_TIERS, Indicator, IndicatorVersion, Measurement, Objective

COLLECTIVE = "collectif"


@dataclass
class FrameworkRow:
    objective: Objective | None
    indicator: Indicator | None
    version: IndicatorVersion | None
    tier_names: list[str]


def _number(value: Decimal | None) -> int | float | None:
    """Numbers stay numbers in the spreadsheet, without the four stored decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _tier(row: FrameworkRow) -> str:
    tier = row.objective.tier
    return row.tier_names[tier] if tier < len(row.tier_names) else str(tier)


def _objective(attribute):
    return lambda row: attribute(row.objective) if row.objective else None


def _indicator(attribute):
    return lambda row: attribute(row.indicator) if row.indicator else None


def _version(attribute):
    return lambda row: attribute(row.version) if row.version else None


FRAMEWORK_COLUMNS = [
    Column("objectif_id", "Identifiant de l'objectif", _objective(lambda o: o.pk)),
    Column("objectif", "Intitulé de l'objectif", _objective(lambda o: o.title)),
    Column("niveau", "Niveau de l'objectif dans l'arbre (noms choisis par l'initiative)",
           lambda row: _tier(row) if row.objective else None),
    Column("objectif_parent", "Intitulé de l'objectif parent",
           _objective(lambda o: o.parent.title if o.parent else None)),
    Column("objectif_porteur", "Partenaire porteur de l'objectif, ou « collectif »",
           _objective(lambda o: o.owner.name if o.owner else COLLECTIVE)),
    Column("hypotheses", "Hypothèses", _objective(lambda o: o.assumptions)),
    Column("contribue_a", "Objectif collectif auquel cet objectif déclare contribuer",
           _objective(lambda o: o.contributes_to.title if o.contributes_to else None)),
    Column("recit_contribution", "Récit de la contribution", _objective(lambda o: o.contribution)),
    Column("indicateur_id", "Identifiant de l'indicateur", _indicator(lambda i: i.pk)),
    Column("indicateur", "Nom de l'indicateur", _indicator(lambda i: i.name)),
    Column("cle", "Indicateur clé", _indicator(lambda i: i.key)),
    Column("actif", "Suivi en cours", _indicator(lambda i: i.active)),
    Column("publie", "Indicateur publié", _indicator(lambda i: i.is_public)),
    Column("unite", "Unité", _indicator(lambda i: i.unit)),
    Column("responsable", "Partenaire responsable, ou « collectif »",
           _indicator(lambda i: i.owner.name if i.owner else COLLECTIVE)),
    Column("famille_impact", "Famille d'impact", _indicator(lambda i: str(i.get_impact_family_display()))),
    Column("dimension", "Dimension", _indicator(lambda i: str(i.get_dimension_display()))),
    Column("cible_odd", "Cible ODD (par exemple 11.3)", _indicator(lambda i: i.sdg_target)),
    Column("frequence", "Fréquence de collecte", _indicator(lambda i: str(i.get_frequency_display()))),
    Column("source", "Source des données", _indicator(lambda i: i.data_source)),
    Column("verification", "Moyens de vérification", _indicator(lambda i: i.verification)),
    Column("version", "Numéro de la définition en vigueur", _version(lambda v: v.number)),
    Column("definition", "Définition", _version(lambda v: v.definition)),
    Column("calcul", "Mode de calcul", _version(lambda v: v.computation)),
    Column("mesure", "Nombre, pourcentage ou échelle", _version(lambda v: str(v.get_measure_display()))),
    Column("niveaux_echelle", "Libellés des niveaux de l'échelle, du niveau 1 au dernier",
           _version(lambda v: list(v.scale_levels))),
    Column("sens", "Sens souhaité", _version(lambda v: str(v.get_direction_display()))),
    Column("cumul", "Cumul des valeurs", _version(lambda v: str(v.get_cumulation_display()))),
    Column("reference_valeur", "Valeur de référence (vide : sans objet)",
           _version(lambda v: _number(v.baseline_value))),
    Column("reference_date", "Date de la valeur de référence", _version(lambda v: v.baseline_date)),
    Column("cibles", "Cibles datées, « date : valeur », la dernière est la cible finale",
           _version(lambda v: [f"{t.get('date')} : {t.get('value')}" for t in v.targets or []])),
    Column("motif_changement", "Motif du dernier changement de définition",
           _version(lambda v: str(v.get_reason_category_display()) if v.reason_category else None)),
    Column("explication_changement", "Explication du dernier changement", _version(lambda v: v.reason_text)),
    Column("decide_le", "Date de la décision de changement", _version(lambda v: v.decided_on)),
]


def _level_label(measurement: Measurement) -> str | None:
    levels = measurement.version.scale_levels or []
    if measurement.level is None or not 1 <= measurement.level <= len(levels):
        return None
    return levels[measurement.level - 1]


MEASUREMENT_COLUMNS = [
    Column("mesure_id", "Identifiant de la mesure", lambda m: m.pk),
    Column("indicateur_id", "Identifiant de l'indicateur", lambda m: m.indicator_id),
    Column("indicateur", "Nom de l'indicateur", lambda m: m.indicator.name),
    Column("version", "Numéro de la définition sous laquelle la mesure a été prise", lambda m: m.version.number),
    Column("debut", "Début de la période", lambda m: m.period_start),
    Column("fin", "Fin de la période", lambda m: m.period_end),
    Column("valeur", "Valeur (indicateurs chiffrés)", lambda m: _number(m.value)),
    Column("niveau", "Niveau (indicateurs à échelle)", lambda m: m.level),
    Column("niveau_libelle", "Libellé du niveau", _level_label),
    Column("statut", "Brouillon, soumise, validée ou renvoyée", lambda m: str(m.get_status_display())),
    Column("commentaire", "Commentaire", lambda m: m.comment),
    Column("note_relecture", "Note de relecture", lambda m: m.review_note),
    Column("desagregations", "Désagrégations, « dimension / catégorie : valeur »",
           lambda m: [f"{d.dimension} / {d.category} : {_number(d.value)}" for d in m.disaggregations.all()]),
]


def framework_rows(user, initiative: Initiative) -> Iterator[FrameworkRow]:
    """Objectives in tree order, each followed by its indicators (key ones first); then the indicators of no
    objective, or of an objective `user` may not see."""
    framework = initiative.evaluation if hasattr(initiative, "evaluation") else None  # no framework row yet
    tier_names = framework.tier_names if framework else DEFAULT_TIERS
    objectives = list(visible_queryset(user, Objective.objects.filter(initiative=initiative))
                      .select_related("parent", "owner", "contributes_to"))
    indicators = visible_queryset(user, Indicator.objects.filter(initiative=initiative)).select_related("owner")
    versions = {(v.indicator_id, v.number): v
                for v in IndicatorVersion.objects.filter(indicator__in=indicators.values("pk"))}
    by_objective: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_objective[indicator.objective_id].append(indicator)
    for objective in objectives:
        for indicator in by_objective.pop(objective.pk, None) or [None]:
            version = versions.get((indicator.pk, indicator.current_version)) if indicator else None
            yield FrameworkRow(objective, indicator, version, tier_names)
    for group in by_objective.values():  # what is left: no objective, or one this reader may not see
        for indicator in group:
            yield FrameworkRow(None, indicator, versions.get((indicator.pk, indicator.current_version)), tier_names)


def measurement_rows(user, initiative: Initiative) -> Iterator[Measurement]:
    indicators = visible_queryset(user, Indicator.objects.filter(initiative=initiative))
    measurements = visible_queryset(user, Measurement.objects.filter(indicator__in=indicators.values("pk")))
    return (measurements.select_related("indicator", "version").prefetch_related("disaggregations")
            .order_by("indicator__name", "indicator", "period_end", "pk").iterator(chunk_size=500))


TABLES = {"cadre": (FRAMEWORK_COLUMNS, framework_rows), "mesures": (MEASUREMENT_COLUMNS, measurement_rows)}


def evaluation_csv(user, initiative: Initiative, table: str) -> Iterator[str]:
    """The `table` ("cadre" or "mesures") of `initiative` as CSV text chunks."""
    columns, rows = TABLES[table]
    return write_csv(columns, rows(user, initiative))


def evaluation_xlsx(user, initiative: Initiative, table: str) -> io.BufferedRandom:
    """The `table` ("cadre" or "mesures") of `initiative` as an XLSX file, positioned at its start."""
    columns, rows = TABLES[table]
    return write_xlsx(columns, rows(user, initiative), title=f"{table} {initiative.slug}")


def evaluation_download(user, initiative: Initiative, table: str, fmt: str) -> HttpResponse:
    """The `table` of `initiative` as a CSV (streamed) or XLSX download, named `<slug>-<table>.<fmt>`; an unknown
    table or format is a page that does not exist."""
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404("Export inconnu.")
    filename = f"{initiative.slug}-{table}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(evaluation_xlsx(user, initiative, table), as_attachment=True, filename=filename,
                            content_type=FORMATS["xlsx"][0])
    response = StreamingHttpResponse((chunk.encode() for chunk in evaluation_csv(user, initiative, table)),
                                     content_type=FORMATS["csv"][0])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
