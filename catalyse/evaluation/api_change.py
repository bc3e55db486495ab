"""/api/v1/initiatives/{slug}/change-paths, …/change-paths/{id}/journal and …/sroi: part 2 of an initiative's
evaluation as JSON (a contract, in the OpenAPI document).

Same conventions as `api.py`: invisible → 404, visible but not a partner → 403, signed out on a write → 401,
bad input → 422 with a readable `detail`. Items are private to the partners until published with co-validation
(`publication`): others see only published ones. Every SROI result is labelled `"label": "estimation"`."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from catalyse.actors.models import Organisation
from catalyse.api.auth import WRITE_AUTH
from catalyse.core import permissions

from . import publication, queries_change, services_change, sroi
from .api import Text, _contributable_initiative, _initiative, _invalid
from .models import ChangePath, Evidence, Indicator, MarkerLevel, MarkerStatus, SroiEstimate

router = Router(tags=["evaluation"])

Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=4)]
Share = Annotated[Decimal, Field(description="entre 0 et 1 (0,25 pour 25 %)", max_digits=12, decimal_places=8)]


def _or_422(action):
    try:
        return action()
    except ValidationError as exc:
        raise _invalid(exc) from None


def _organisation(request: HttpRequest, slug: str | None, field: str) -> Organisation | None:
    if not slug:
        return None
    organisation = permissions.visible_queryset(request.user, Organisation.objects.all()).filter(slug=slug).first()
    if organisation is None:
        raise HttpError(422, f"{field}: organisation inconnue")
    return organisation


class Publication(Schema):
    state: str = Field(description="private, requested ou published")
    approved_by: list[dict]
    waiting_for: list[str] = Field(description="slugs des partenaires dont l'accord est attendu")


# Change paths --------------------------------------------------------------------------------------------------------

class MarkerIn(Schema):
    level: MarkerLevel = Field(description="expect (nous nous attendons à voir), like (aimerions), love (adorerions)")
    text: str = Field(min_length=1, max_length=500)


class MarkerOut(Schema):
    id: int
    level: MarkerLevel
    text: str
    status: MarkerStatus = Field(description="statut de la dernière entrée du journal ; not_yet sans entrée")


class ChangePathOut(Schema):
    id: int
    actor: str
    organisation: str | None = Field(description="slug de l'organisation ; null : acteur en texte libre")
    outcome_challenge: str
    markers: list[MarkerOut]
    publication: Publication


class ChangePathList(Schema):
    vision: str | None = Field(description="la vision partagée, si elle est visible")
    items: list[ChangePathOut]


class ChangePathIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "actor_name": "Les bailleurs sociaux du département",
        "outcome_challenge": "Les bailleurs associent les habitants à la gestion des quartiers.",
        "markers": [{"level": "expect", "text": "Ils participent aux réunions de quartier"},
                    {"level": "love", "text": "Ils co-financent une conciergerie"}],
    }]}}

    organisation: str | None = Field(None, description="slug d'une organisation ; sinon actor_name")
    actor_name: str = Field("", max_length=200)
    outcome_challenge: Text = Field(min_length=1)
    markers: list[MarkerIn] = Field([], max_length=100)


def _path_out(path: ChangePath) -> dict:
    status = getattr(path, "status", None) or queries_change.marker_statuses(path.markers.all(), path.journal.all())
    return {
        "id": path.pk, "actor": path.actor, "organisation": path.organisation.slug if path.organisation_id else None,
        "outcome_challenge": path.outcome_challenge,
        "markers": [{"id": m.pk, "level": m.level, "text": m.text, "status": status[m.pk]}
                    for m in path.markers.all()],
        "publication": publication.status(path).as_dict(),
    }


@router.get("/{slug}/change-paths", response=ChangePathList, summary="Les chemins de changement d'une initiative")
def change_path_list(request: HttpRequest, slug: str):
    """Les acteurs dont le changement est recherché, leurs marqueurs de progrès et le statut de chacun."""
    initiative = _initiative(request, slug)
    vision = queries_change.vision_visible(request.user, initiative)
    return {"vision": vision.text if vision else None,
            "items": [_path_out(p) for p in queries_change.change_paths_visible(request.user, initiative)]}


@router.post("/{slug}/change-paths", response={201: ChangePathOut}, auth=WRITE_AUTH,
             summary="Ajouter un chemin de changement")
def change_path_create(request: HttpRequest, slug: str, payload: ChangePathIn):
    initiative = _contributable_initiative(request, slug)
    organisation = _organisation(request, payload.organisation, "organisation")
    path = _or_422(lambda: services_change.change_path_create(
        initiative=initiative, organisation=organisation, actor_name=payload.actor_name,
        outcome_challenge=payload.outcome_challenge, markers=[m.dict() for m in payload.markers],
        created_by=request.user))
    return 201, _path_out(path)


# Journal -------------------------------------------------------------------------------------------------------------

class JournalOut(Schema):
    id: int
    marker: int | None = Field(description="null : changement inattendu")
    observed_on: date
    status: MarkerStatus | None
    observed_change: str
    significance: str
    contribution: str
    evidence: list[int]
    confirmed_by: str | None = Field(description="slug de l'organisation qui confirme")
    confirmed_by_role: str
    publication: Publication


class JournalIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "marker": 1, "observed_on": "2025-03-14", "status": "partly",
        "observed_change": "Le bailleur a participé à deux réunions sur trois.",
        "contribution": "L'alliance a porté l'invitation.", "confirmed_by_role": "gardien d'immeuble",
    }]}}

    marker: int | None = Field(None, ge=1, le=2**31 - 1, description="un marqueur de ce chemin ; null : inattendu")
    observed_on: date
    status: MarkerStatus | None = Field(None, description="obligatoire avec un marqueur")
    observed_change: Text = Field(min_length=1)
    significance: Text = ""
    contribution: Text = ""
    evidence: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field([], max_length=50,
                                                                       description="preuves de la bibliothèque")
    confirmed_by: str | None = Field(None, description="slug d'une organisation")
    confirmed_by_role: str = Field("", max_length=120, description="une fonction, jamais un nom")


def _journal_out(entry) -> dict:
    return {
        "id": entry.pk, "marker": entry.marker_id, "observed_on": entry.observed_on, "status": entry.status or None,
        "observed_change": entry.observed_change, "significance": entry.significance,
        "contribution": entry.contribution, "evidence": [e.pk for e in entry.evidence.all()],
        "confirmed_by": entry.confirmed_by.slug if entry.confirmed_by_id else None,
        "confirmed_by_role": entry.confirmed_by_role, "publication": publication.status(entry).as_dict(),
    }


def _path(request: HttpRequest, slug: str, path_id: int) -> ChangePath:
    initiative = _initiative(request, slug)
    return permissions.get_visible_or_404(request.user, ChangePath.objects.filter(initiative=initiative),
                                          pk=path_id)


@router.get("/{slug}/change-paths/{int:path_id}/journal", response=list[JournalOut],
            summary="Le journal des changements d'un chemin")
def journal_list(request: HttpRequest, slug: str, path_id: int):
    """Par date d'observation."""
    return [_journal_out(e) for e in queries_change.journal_visible(request.user, _path(request, slug, path_id))]


@router.post("/{slug}/change-paths/{int:path_id}/journal", response={201: JournalOut}, auth=WRITE_AUTH,
             summary="Noter un changement observé")
def journal_create(request: HttpRequest, slug: str, path_id: int, payload: JournalIn):
    initiative = _contributable_initiative(request, slug)
    path = _path(request, slug, path_id)
    marker = None
    if payload.marker is not None:
        marker = path.markers.filter(pk=payload.marker).first()
        if marker is None:
            raise HttpError(422, "marker: marqueur inconnu sur ce chemin")
    evidence = list(Evidence.objects.filter(initiative=initiative, pk__in=payload.evidence))
    if len(evidence) != len(set(payload.evidence)):
        raise HttpError(422, "evidence: preuve inconnue dans cette initiative")
    data = payload.dict(exclude={"marker", "evidence", "confirmed_by", "status"})
    entry = _or_422(lambda: services_change.journal_entry_create(
        path=path, marker=marker, status=payload.status or "", evidence=evidence, created_by=request.user,
        confirmed_by=_organisation(request, payload.confirmed_by, "confirmed_by"), **data))
    return 201, _journal_out(entry)


# SROI ----------------------------------------------------------------------------------------------------------------

class OutcomeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    stakeholder: str = Field("", max_length=200)
    quantity: Amount
    proxy: Amount = Field(description="valeur financière d'une unité de l'effet, par an (€)")
    proxy_source: str = Field(min_length=1, max_length=500, description="d'où vient cette valeur (obligatoire)")
    deadweight: Share = Decimal(0)
    attribution: Share = Decimal(0)
    displacement: Share = Decimal(0)
    drop_off: Share = Decimal(0)
    duration: int = Field(1, ge=1, le=sroi.MAX_DURATION, description="en années")
    assumptions: Text = Field("", description="comment les taux ont été estimés")
    indicator: int | None = Field(None, ge=1, le=2**31 - 1, description="indicateur d'où vient la quantité")


class SroiIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "title": "Estimation 2025", "investment": 4000, "discount_rate": 0.035, "sensitivity_step": 0.1,
        "outcomes": [{"name": "Retour à l'emploi", "quantity": 10, "proxy": 1000,
                      "proxy_source": "Coût évité d'une année de chômage", "deadweight": 0.2, "attribution": 0.25,
                      "displacement": 0.1, "drop_off": 0.5, "duration": 3}],
    }]}}

    title: str = Field(min_length=1, max_length=200)
    estimated_on: date | None = None
    investment: Amount = Field(description="supérieur à zéro")
    investment_note: Text = ""
    discount_rate: Share
    sensitivity_step: Share = Decimal("0.1")
    notes: Text = ""
    outcomes: list[OutcomeIn] = Field(min_length=1, max_length=100)
    save: bool = Field(True, description="false : calculer sans enregistrer")


class SensitivityOut(Schema):
    assumption: str
    outcome: str
    base: float
    low: float
    high: float
    ratio_low: float
    ratio_high: float


class OutcomeOut(Schema):
    name: str
    stakeholder: str
    quantity: float
    proxy: float
    proxy_source: str
    deadweight: float
    attribution: float
    displacement: float
    drop_off: float
    duration: int
    assumptions: str
    yearly_values: list[float]
    present_value: float


class SroiOut(Schema):
    id: int | None = Field(description="null quand l'estimation n'est pas enregistrée")
    label: str = Field(description="toujours « estimation » : un SROI n'est pas une mesure")
    title: str
    estimated_on: date | None
    discount_rate: float
    sensitivity_step: float
    investment: float
    investment_note: str
    notes: str
    present_value: float
    net_present_value: float
    ratio: float
    outcomes: list[OutcomeOut]
    sensitivity: list[SensitivityOut]
    publication: Publication | None


def _sroi_out(inputs: sroi.Inputs, step: Decimal, *, estimate: SroiEstimate | None = None, **fields) -> dict:
    result = sroi.estimate(inputs)
    return {
        "id": estimate.pk if estimate else None, "label": result.label,
        "title": estimate.title if estimate else fields["title"],
        "estimated_on": estimate.estimated_on if estimate else fields.get("estimated_on"),
        "investment_note": estimate.investment_note if estimate else fields.get("investment_note", ""),
        "notes": estimate.notes if estimate else fields.get("notes", ""),
        "discount_rate": float(inputs.discount_rate), "sensitivity_step": float(step),
        "investment": float(result.investment), "present_value": float(result.present_value),
        "net_present_value": float(result.net_present_value), "ratio": float(result.ratio),
        "outcomes": [{
            "name": r.outcome.name, "stakeholder": r.outcome.stakeholder, "quantity": float(r.outcome.quantity),
            "proxy": float(r.outcome.proxy), "proxy_source": r.outcome.proxy_source,
            "deadweight": float(r.outcome.deadweight), "attribution": float(r.outcome.attribution),
            "displacement": float(r.outcome.displacement), "drop_off": float(r.outcome.drop_off),
            "duration": r.outcome.duration, "assumptions": r.outcome.assumptions,
            "yearly_values": [float(v) for v in r.yearly], "present_value": float(r.present_value),
        } for r in result.outcomes],
        "sensitivity": [{"assumption": row.assumption, "outcome": row.outcome, "base": float(row.base),
                         "low": float(row.low), "high": float(row.high), "ratio_low": float(row.ratio_low),
                         "ratio_high": float(row.ratio_high)} for row in sroi.sensitivity(inputs, step)],
        "publication": publication.status(estimate).as_dict() if estimate else None,
    }


def _estimate_out(estimate: SroiEstimate) -> dict:
    return _sroi_out(services_change.sroi_inputs(estimate), estimate.sensitivity_step, estimate=estimate)


@router.get("/{slug}/sroi", response=list[SroiOut], summary="Les estimations SROI d'une initiative")
def sroi_list(request: HttpRequest, slug: str):
    """La plus récente d'abord ; chaque résultat est une estimation, avec toutes ses hypothèses."""
    initiative = _initiative(request, slug)
    return [_estimate_out(e) for e in queries_change.sroi_estimates_visible(request.user, initiative)]


@router.post("/{slug}/sroi", response={200: SroiOut, 201: SroiOut}, auth=WRITE_AUTH,
             summary="Calculer (et enregistrer) une estimation SROI")
def sroi_create(request: HttpRequest, slug: str, payload: SroiIn):
    """Valeur d'un effet l'année 1 = quantité × valeur × (1 − aubaine) × (1 − attribution) × (1 − déplacement) ;
    l'année k, × (1 − érosion)^(k − 1) ; valeur actuelle = Σ valeur_k / (1 + taux)^k ; ratio = valeur actuelle
    totale / investissement. `save: false` calcule sans enregistrer (200)."""
    initiative = _contributable_initiative(request, slug)
    data = payload.dict()
    outcomes = data.pop("outcomes")
    for outcome in outcomes:
        if outcome["indicator"] is not None:
            outcome["indicator"] = Indicator.objects.filter(initiative=initiative, pk=outcome["indicator"]).first()
            if outcome["indicator"] is None:
                raise HttpError(422, "indicator: indicateur inconnu dans cette initiative")
    if not data.pop("save"):
        inputs = _or_422(lambda: services_change.sroi_inputs_make(
            outcomes=outcomes, discount_rate=data["discount_rate"], investment=data["investment"]))
        step = _or_422(lambda: sroi.rate(data["sensitivity_step"], "sensitivity_step"))
        if step == 0:
            raise HttpError(422, "sensitivity_step: le pas de sensibilité est supérieur à zéro")
        return 200, _sroi_out(inputs, step, **data)
    estimate = _or_422(lambda: services_change.sroi_estimate_create(initiative=initiative, outcomes=outcomes,
                                                                    created_by=request.user, **data))
    return 201, _estimate_out(estimate)
