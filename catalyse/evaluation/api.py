"""/api/v1/initiatives/{slug}/objectives|indicators and /api/v1/evaluation/…: an initiative's evaluation as JSON.

Numbers travel as JSON numbers; values that are not numbers ("N/A") are refused with 422. Invisible objects
answer 404, visible ones the person may not change 403, and a definition change without its reason 422.
Writes go through `services`, as the pages do."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from catalyse.actors.models import Organisation
from catalyse.api.auth import WRITE_AUTH
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import queries, services
from .models import NUMBER as _NUMBER
from .models import (
    Cumulation,
    Dimension,
    Direction,
    Frequency,
    ImpactFamily,
    Indicator,
    Measure,
    Measurement,
    MeasurementStatus,
    Objective,
    ReasonCategory,
)
from .permissions import can_contribute, can_review

initiatives_router = Router(tags=["evaluation"])
router = Router(tags=["evaluation"])

Number = Annotated[Decimal, Field(max_digits=_NUMBER["max_digits"], decimal_places=_NUMBER["decimal_places"])]
Text = Annotated[str, Field(max_length=10_000)]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _invalid(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        return HttpError(422, "; ".join(f"{field}: {' '.join(messages)}"
                                        for field, messages in exc.message_dict.items()))
    return HttpError(422, " ".join(exc.messages))


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    return permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)


def _contributable_initiative(request: HttpRequest, slug: str):
    initiative = _initiative(request, slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied("Réservé aux partenaires de l'initiative.")
    return initiative


def _partner(request: HttpRequest, slug: str | None) -> Organisation | None:
    if not slug:
        return None
    org = permissions.visible_queryset(request.user, Organisation.objects.all()).filter(slug=slug).first()
    if org is None:
        raise HttpError(422, "owner: organisation inconnue")
    return org


# Objectives ----------------------------------------------------------------------------------------------------------

class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    assumptions: str
    tier: int
    parent: int | None = Field(None, alias="parent_id")
    owner: str | None = Field(None, description="slug du partenaire porteur ; null : objectif collectif")
    contributes_to: int | None = Field(None, alias="contributes_to_id")
    contribution: str
    is_public: bool

    @staticmethod
    def resolve_owner(obj: Objective) -> str | None:
        return obj.owner.slug if obj.owner_id else None


class ObjectiveIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"title": "Nourrir le quartier", "tier": 1}]}}

    title: str = Field(min_length=1, max_length=300)
    description: Text = ""
    assumptions: Text = ""
    tier: int = Field(0, ge=0, le=20)
    parent: int | None = Field(None, ge=1, le=2**31 - 1)
    owner: str | None = Field(None, description="slug d'une organisation partenaire ; absent : objectif collectif")
    contributes_to: int | None = Field(None, ge=1, le=2**31 - 1, description="un objectif collectif")
    contribution: Text = ""
    is_public: bool = False


@initiatives_router.get("/{slug}/objectives", response=list[ObjectiveOut], summary="Les objectifs d'une initiative")
def objective_list(request: HttpRequest, slug: str):
    return list(queries.objectives_visible(request.user, _initiative(request, slug)))


@initiatives_router.post("/{slug}/objectives", response={201: ObjectiveOut}, auth=WRITE_AUTH,
                         summary="Ajouter un objectif")
def objective_create(request: HttpRequest, slug: str, payload: ObjectiveIn):
    initiative = _contributable_initiative(request, slug)
    data = payload.dict()
    objectives = Objective.objects.filter(initiative=initiative)
    for field in ("parent", "contributes_to"):
        if data[field] is not None:
            data[field] = objectives.filter(pk=data[field]).first()
            if data[field] is None:
                raise HttpError(422, f"{field}: objectif inconnu dans cette initiative")
    data["owner"] = _partner(request, data["owner"])
    try:
        objective = services.objective_create(initiative=initiative, created_by=request.user, **data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return 201, objective


# Indicators ----------------------------------------------------------------------------------------------------------

class Point(Schema):
    date: date
    value: Number


class PointOut(Schema):
    date: date
    value: float


class Reason(Schema):
    category: ReasonCategory
    text: str = Field(min_length=1, max_length=10_000)


class IndicatorOut(Schema):
    id: int
    initiative: str
    name: str
    definition: str
    computation: str
    unit: str
    measure: Measure
    scale_levels: list[str]
    direction: Direction
    cumulation: Cumulation
    baseline: PointOut | None
    targets: list[PointOut]
    key: bool
    version: int
    active: bool
    is_public: bool
    owner: str | None
    objective: int | None
    impact_family: ImpactFamily
    dimension: Dimension
    sdg_target: str
    frequency: Frequency
    data_source: str
    verification: str


def _indicator_out(indicator: Indicator) -> dict:
    version = getattr(indicator, "current", None) or services.current_version(indicator)
    baseline = None
    if version.baseline_value is not None:
        baseline = {"date": version.baseline_date, "value": float(version.baseline_value)}
    return {
        "id": indicator.pk, "initiative": indicator.initiative.slug, "name": indicator.name,
        "definition": version.definition, "computation": version.computation, "unit": indicator.unit,
        "measure": version.measure, "scale_levels": version.scale_levels, "direction": version.direction,
        "cumulation": version.cumulation, "baseline": baseline,
        "targets": [{"date": t["date"], "value": float(t["value"])} for t in version.targets],
        "key": indicator.key, "version": indicator.current_version, "active": indicator.active,
        "is_public": indicator.is_public, "owner": indicator.owner.slug if indicator.owner_id else None,
        "objective": indicator.objective_id, "impact_family": indicator.impact_family,
        "dimension": indicator.dimension, "sdg_target": indicator.sdg_target, "frequency": indicator.frequency,
        "data_source": indicator.data_source, "verification": indicator.verification,
    }


class IndicatorList(Schema):
    warning: str | None = Field(description="Affiché au-delà de cinq indicateurs suivis")
    items: list[IndicatorOut]


class IndicatorIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "name": "Repas servis", "definition": "Repas servis à l'épicerie solidaire.",
        "computation": "Somme des tickets de caisse du mois.", "unit": "repas", "cumulation": "cumulative",
        "baseline": {"date": "2024-01-01", "value": 0}, "targets": [{"date": "2025-12-31", "value": 2400}],
    }]}}

    name: str = Field(min_length=1, max_length=200)
    definition: Text = Field(min_length=1)
    computation: Text = Field(min_length=1, description="Comment l'indicateur est calculé (obligatoire)")
    unit: str = Field("", max_length=50)
    measure: Measure = Measure.NUMBER
    scale_levels: list[Annotated[str, Field(max_length=200)]] = Field([], description="Échelle : niveaux, 1 d'abord")
    direction: Direction = Direction.INCREASE
    cumulation: Cumulation = Cumulation.NONE
    baseline: Point | None = Field(None, description="null : sans objet (les calculs partent de 0)")
    targets: list[Point] = Field(min_length=1, description="Cibles datées ; la dernière est la cible finale")
    key: bool = False
    active: bool = True
    is_public: bool = False
    owner: str | None = Field(None, description="slug du partenaire responsable ; absent : le collectif")
    objective: int | None = Field(None, ge=1, le=2**31 - 1)
    impact_family: ImpactFamily = ImpactFamily.PERFORMANCE
    dimension: Dimension = Dimension.SOCIAL
    sdg_target: str = Field("", max_length=8)
    frequency: Frequency = Frequency.QUARTERLY
    data_source: Text = ""
    verification: Text = ""


class IndicatorPatch(Schema):
    model_config = {"json_schema_extra": {"examples": [
        {"targets": [{"date": "2025-12-31", "value": 1800}],
         "reason": {"category": "budget", "text": "Budget réduit d'un quart."}},
    ]}}

    name: str | None = Field(None, min_length=1, max_length=200)
    definition: Text | None = None
    computation: Text | None = None
    unit: str | None = Field(None, max_length=50)
    measure: Measure | None = None
    scale_levels: list[Annotated[str, Field(max_length=200)]] | None = None
    direction: Direction | None = None
    cumulation: Cumulation | None = None
    baseline: Point | None = Field(None, description="null : sans objet")
    targets: list[Point] | None = Field(None, min_length=1)
    key: bool | None = None
    active: bool | None = None
    is_public: bool | None = None
    owner: str | None = None
    objective: int | None = Field(None, ge=1, le=2**31 - 1)
    impact_family: ImpactFamily | None = None
    dimension: Dimension | None = None
    sdg_target: str | None = Field(None, max_length=8)
    frequency: Frequency | None = None
    data_source: Text | None = None
    verification: Text | None = None
    reason: Reason | None = Field(None, description="Obligatoire quand la définition change")
    decided_on: date | None = None
    participants: Text = ""


def _service_fields(request: HttpRequest, initiative, data: dict) -> dict:
    """The API's shapes as the services' arguments: baseline split, owner and objective looked up."""
    if "baseline" in data:
        baseline = data.pop("baseline")
        data["baseline_value"] = baseline["value"] if baseline else None
        data["baseline_date"] = baseline["date"] if baseline else None
    if "owner" in data:
        data["owner"] = _partner(request, data["owner"])
    if data.get("objective") is not None:
        data["objective"] = Objective.objects.filter(initiative=initiative, pk=data["objective"]).first()
        if data["objective"] is None:
            raise HttpError(422, "objective: objectif inconnu dans cette initiative")
    return data


@initiatives_router.get("/{slug}/indicators", response=IndicatorList, summary="Les indicateurs d'une initiative")
def indicator_list(request: HttpRequest, slug: str):
    """Les indicateurs clés d'abord ; un avertissement au-delà de cinq indicateurs suivis."""
    initiative = _initiative(request, slug)
    indicators = queries.with_current_versions(queries.indicators_visible(request.user, initiative))
    warning = None
    if queries.too_many_indicators(initiative):
        warning = "Plus de cinq indicateurs suivis : trop d'indicateurs tuent l'information."
    return {"warning": warning, "items": [_indicator_out(i) for i in indicators]}


@initiatives_router.post("/{slug}/indicators", response={201: IndicatorOut}, auth=WRITE_AUTH,
                         summary="Ajouter un indicateur")
def indicator_create(request: HttpRequest, slug: str, payload: IndicatorIn):
    initiative = _contributable_initiative(request, slug)
    data = payload.dict()
    data["targets"] = [dict(t) for t in data["targets"]]
    fields = _service_fields(request, initiative, data)
    try:
        indicator = services.indicator_create(initiative=initiative, created_by=request.user, **fields)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return 201, _indicator_out(indicator)


def _visible_indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    return permissions.get_visible_or_404(request.user, Indicator.objects.select_related("initiative"),
                                          pk=indicator_id)


@router.get("/indicators/{int:indicator_id}", response=IndicatorOut, summary="Un indicateur")
def indicator_get(request: HttpRequest, indicator_id: int):
    return _indicator_out(_visible_indicator(request, indicator_id))


@router.patch("/indicators/{int:indicator_id}", response=IndicatorOut, auth=WRITE_AUTH,
              summary="Modifier un indicateur")
def indicator_update(request: HttpRequest, indicator_id: int, payload: IndicatorPatch):
    """Changer la définition, le calcul, la mesure, l'échelle, le sens, le cumul, la référence ou les cibles crée
    une nouvelle version et demande `reason` {category, text} (422 sinon)."""
    indicator = permissions.get_editable_or_404(request.user, Indicator.objects.select_related("initiative"),
                                                pk=indicator_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", None) or {}
    decision = {"decided_on": data.pop("decided_on", None), "participants": data.pop("participants", "")}
    if "targets" in data:
        data["targets"] = [dict(t) for t in data["targets"] or []]
    nullable = {"baseline", "owner", "objective"}
    data = {name: value for name, value in data.items() if value is not None or name in nullable}
    fields = _service_fields(request, indicator.initiative, data)
    try:
        indicator = services.indicator_update(indicator, actor=request.user, reason_category=reason.get("category", ""),
                                              reason_text=reason.get("text", ""), **decision, **fields)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _indicator_out(indicator)


class VersionOut(Schema):
    number: int
    definition: str
    computation: str
    measure: Measure
    scale_levels: list[str]
    direction: Direction
    cumulation: Cumulation
    baseline: PointOut | None
    targets: list[PointOut]
    reason: Reason | None
    decided_on: date | None
    participants: str
    created_at: str

    @staticmethod
    def resolve_baseline(obj) -> dict | None:
        if obj.baseline_value is None:
            return None
        return {"date": obj.baseline_date, "value": float(obj.baseline_value)}

    @staticmethod
    def resolve_targets(obj) -> list[dict]:
        return [{"date": t["date"], "value": float(t["value"])} for t in obj.targets]

    @staticmethod
    def resolve_reason(obj) -> dict | None:
        return {"category": obj.reason_category, "text": obj.reason_text} if obj.reason_category else None

    @staticmethod
    def resolve_created_at(obj) -> str:
        return obj.created_at.isoformat()


@router.get("/indicators/{int:indicator_id}/versions", response=list[VersionOut],
            summary="Les versions de la définition d'un indicateur")
def indicator_versions(request: HttpRequest, indicator_id: int):
    return list(_visible_indicator(request, indicator_id).versions.order_by("number"))


# Measurements --------------------------------------------------------------------------------------------------------

class DisaggregationIn(Schema):
    dimension: str = Field(min_length=1, max_length=60, examples=["genre"])
    category: str = Field(min_length=1, max_length=100, examples=["femmes"])
    value: Number


class DisaggregationOut(Schema):
    dimension: str
    category: str
    value: float


class MeasurementIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "period_start": "2024-04-01", "period_end": "2024-06-30", "value": 412, "comment": "Deuxième trimestre",
        "disaggregations": [{"dimension": "genre", "category": "femmes", "value": 250}],
    }]}}

    period_start: date
    period_end: date
    value: Number | None = Field(None, description="Nombre ou pourcentage")
    level: int | None = Field(None, ge=1, le=100, description="Échelle : niveau de 1 à n")
    disaggregations: list[DisaggregationIn] = []
    comment: Text = ""


class MeasurementOut(Schema):
    id: int
    indicator: int = Field(alias="indicator_id")
    version: int
    period_start: date
    period_end: date
    value: float | None
    level: int | None
    disaggregations: list[DisaggregationOut]
    comment: str
    status: MeasurementStatus
    review_note: str

    @staticmethod
    def resolve_version(obj: Measurement) -> int:
        return obj.version.number

    @staticmethod
    def resolve_value(obj: Measurement) -> float | None:
        return _float(obj.value)

    @staticmethod
    def resolve_disaggregations(obj: Measurement) -> list[dict]:
        return [{"dimension": d.dimension, "category": d.category, "value": float(d.value)}
                for d in obj.disaggregations.all()]


@router.get("/indicators/{int:indicator_id}/measurements", response=list[MeasurementOut],
            summary="Les mesures d'un indicateur")
def measurement_list(request: HttpRequest, indicator_id: int):
    """Par date de fin de période ; hors de l'initiative, seules les mesures validées d'un indicateur publié."""
    return list(queries.measurements_visible(request.user, _visible_indicator(request, indicator_id)))


@router.post("/indicators/{int:indicator_id}/measurements", response={201: MeasurementOut}, auth=WRITE_AUTH,
             summary="Saisir une mesure (brouillon)")
def measurement_create(request: HttpRequest, indicator_id: int, payload: MeasurementIn):
    indicator = permissions.get_editable_or_404(request.user, Indicator.objects.select_related("initiative"),
                                                pk=indicator_id)
    data = payload.dict()
    try:
        measurement = services.measurement_create(indicator=indicator, author=request.user, **data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return 201, measurement


class MeasurementPatch(Schema):
    period_start: date | None = None
    period_end: date | None = None
    value: Number | None = None
    level: int | None = Field(None, ge=1, le=100)
    disaggregations: list[DisaggregationIn] | None = None
    comment: Text | None = None


@router.patch("/measurements/{int:measurement_id}", response=MeasurementOut, auth=WRITE_AUTH,
              summary="Corriger une mesure en brouillon ou renvoyée")
def measurement_update(request: HttpRequest, measurement_id: int, payload: MeasurementPatch):
    measurement = permissions.get_editable_or_404(
        request.user, Measurement.objects.select_related("indicator__initiative", "version"), pk=measurement_id)
    data = payload.dict(exclude_unset=True)
    nullable = {"value", "level"}  # a scale measurement drops its value, a number its level
    data = {name: value for name, value in data.items() if value is not None or name in nullable}
    return _or_422(lambda: services.measurement_update(measurement, actor=request.user, **data))


class ReviewIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"note": "Joignez la liste d'émargement."}]}}

    note: Text = ""


def _measurement(request: HttpRequest, measurement_id: int) -> Measurement:
    return permissions.get_visible_or_404(
        request.user, Measurement.objects.select_related("indicator__initiative", "version"), pk=measurement_id)


def _reviewed(request: HttpRequest, measurement_id: int) -> Measurement:
    measurement = _measurement(request, measurement_id)
    if not can_review(request.user, measurement.indicator.initiative):
        raise PermissionDenied("Réservé aux responsables de l'évaluation de l'initiative.")
    return measurement


def _or_422(action):
    try:
        return action()
    except ValidationError as exc:
        raise _invalid(exc) from None


@router.post("/measurements/{int:measurement_id}/submit", response=MeasurementOut, auth=WRITE_AUTH,
             summary="Soumettre une mesure à la relecture")
def measurement_submit(request: HttpRequest, measurement_id: int):
    measurement = permissions.get_editable_or_404(
        request.user, Measurement.objects.select_related("indicator__initiative"), pk=measurement_id)
    return _or_422(lambda: services.measurement_submit(measurement, actor=request.user))


@router.post("/measurements/{int:measurement_id}/approve", response=MeasurementOut, auth=WRITE_AUTH,
             summary="Valider une mesure")
def measurement_approve(request: HttpRequest, measurement_id: int, payload: ReviewIn | None = None):
    measurement = _reviewed(request, measurement_id)
    note = payload.note if payload else ""
    return _or_422(lambda: services.measurement_approve(measurement, reviewer=request.user, note=note))


@router.post("/measurements/{int:measurement_id}/return", response=MeasurementOut, auth=WRITE_AUTH,
             summary="Renvoyer une mesure avec une note")
def measurement_return(request: HttpRequest, measurement_id: int, payload: ReviewIn):
    measurement = _reviewed(request, measurement_id)
    return _or_422(lambda: services.measurement_return(measurement, reviewer=request.user, note=payload.note))


# Progress ------------------------------------------------------------------------------------------------------------

class ProgressQuery(Schema):
    on: date | None = Field(None, description="AAAA-MM-JJ ; par défaut aujourd'hui")


class ProgressOut(Schema):
    baseline: float
    actual: float | None
    expected: float
    final_target: float
    progress: float | None
    status: str = Field(description="no_data, behind, on_track ou ahead")


@router.get("/indicators/{int:indicator_id}/progress", response=ProgressOut,
            summary="Avancement vers les cibles à une date")
def indicator_progress(request: HttpRequest, indicator_id: int, query: Query[ProgressQuery]):
    """Seules les mesures validées comptent."""
    progress = queries.indicator_progress(_visible_indicator(request, indicator_id), query.on or timezone.localdate())
    return {"baseline": float(progress.baseline), "actual": _float(progress.actual),
            "expected": float(progress.expected), "final_target": float(progress.final_target),
            "progress": _float(progress.progress), "status": progress.status}
