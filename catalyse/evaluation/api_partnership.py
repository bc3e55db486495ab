"""/api/v1/initiatives/{slug}/mobilisation and /maturity: the partnership's own evaluation as JSON (a contract).

Everyone who may see the initiative reads what is published (co-validated by the partners concerned); its
insiders read everything. Writes are the partners' and editors' (`can_contribute`), through
`services_partnership`, as the pages do. Invisible initiative → 404; signed out on a write → 401; not a
partner → 403; bad input → 422 with a readable `detail`; a POST is all or nothing."""

from datetime import date
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictInt

from catalyse.actors.models import Organisation
from catalyse.api.auth import WRITE_AUTH
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import publication
from . import queries_partnership as queries
from . import services_partnership as services
from .models import EngagementScale, EventKind, EventSubject, Evidence, MaturityWave
from .permissions import can_contribute

router = Router(tags=["evaluation"])

Text = Annotated[str, Field(max_length=5_000)]
Slug = Annotated[str, Field(min_length=1, max_length=120, description="slug d'une organisation partenaire")]


def _invalid(exc: ValidationError, where: str = "") -> HttpError:
    prefix = f"{where}: " if where else ""
    if hasattr(exc, "error_dict"):
        return HttpError(422, prefix + "; ".join(f"{field}: {' '.join(messages)}"
                                                 for field, messages in exc.message_dict.items()))
    return HttpError(422, prefix + " ".join(exc.messages))


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    return permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)


def _contributable(request: HttpRequest, slug: str) -> Initiative:
    initiative = _initiative(request, slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied("Réservé aux partenaires de l'initiative.")
    return initiative


def _organisation(request: HttpRequest, slug: str, where: str) -> Organisation:
    # Partnership is checked by the services; an organisation the person may not see is simply unknown.
    org = permissions.visible_queryset(request.user, Organisation.objects.all()).filter(slug=slug).first()
    if org is None:
        raise HttpError(422, f"{where}: organisation inconnue « {slug} »")
    return org


class PublicationOut(Schema):
    state: str = Field(description="private (partenaires seulement), requested (en attente d'accord), published")
    waiting_for: list[str] = Field(description="partenaires concernés dont l'accord manque")


def _publication(item) -> dict:
    status = publication.status(item)
    return {"state": status.state, "waiting_for": [org.slug for org in status.waiting_for]}


# Mobilisation ------------------------------------------------------------------------------------------------------

class EventIn(Schema):
    organisation: Slug
    kind: EventKind
    date: date
    subject: EventSubject = EventSubject.ORGANISATION
    person_function: str = Field("", max_length=120, description="fonction (jamais un nom) quand subject=person")
    role: str = Field("", max_length=12, description="nouveau rôle (porteur, partenaire, financeur…)")
    reason: Text = ""
    evidence: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=50, description="preuves de la bibliothèque de l'initiative (ids)")


class LevelIn(Schema):
    organisation: Slug
    period_start: date
    period_end: date
    level: int = Field(ge=1, le=5, description="1 informé, 2 consulté, 3 contributeur, 4 co-décideur, 5 co-pilote")
    people: int | None = Field(None, ge=0, le=10_000, description="personnes de l'organisation impliquées")
    comment: Text = ""
    evidence: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(default_factory=list, max_length=50)


class MobilisationIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{
        "events": [{"organisation": "epicerie-solidaire", "kind": "left", "date": "2024-06-30",
                    "reason": "Fin de son financement"}],
        "levels": [{"organisation": "epicerie-solidaire", "period_start": "2024-01-01",
                    "period_end": "2024-12-31", "level": 3}]}]}}

    events: list[EventIn] = Field(default_factory=list, max_length=500)
    levels: list[LevelIn] = Field(default_factory=list, max_length=500)


class EventOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    date: date
    kind: str
    subject: str
    person_function: str
    role: str
    reason: str
    evidence: list[int]
    publication: PublicationOut


class LevelOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    period_start: date
    period_end: date
    level: int
    people: int | None
    comment: str
    evidence: list[int]
    publication: PublicationOut


class PeriodOut(Schema):
    period_start: date
    period_end: date
    partners: int = Field(description="partenaires dont le niveau est renseigné")
    engaged: int = Field(description="partenaires engagés : niveau 3 ou plus")
    by_level: dict[str, int]
    engaged_by_profile: dict[str, int]
    profiles: int = Field(description="profils distincts parmi les engagés")
    diversity: float | None = Field(description="diversité de Simpson 1 − Σ p² des profils engagés")


class TurnoverOut(Schema):
    year: int
    present_at_start: int
    present_at_end: int
    arrivals: int
    departures: int
    rate: float | None = Field(description="départs / moyenne des présents au 1er janvier et au 31 décembre")


class ScaleOut(Schema):
    level: int
    label: str


class MobilisationOut(Schema):
    scale: list[ScaleOut]
    engaged_from: int
    events: list[EventOut]
    levels: list[LevelOut]
    periods: list[PeriodOut]
    turnover: list[TurnoverOut]


class MobilisationCreated(Schema):
    events: list[EventOut]
    levels: list[LevelOut]


def _evidence_ids(request: HttpRequest, item) -> list[int]:
    return list(permissions.visible_queryset(request.user, item.evidence.all()).values_list("pk", flat=True))


def _evidence(request: HttpRequest, initiative: Initiative, ids: list[int], where: str) -> list:
    found = list(permissions.visible_queryset(request.user, Evidence.objects.filter(initiative=initiative, pk__in=ids)))
    if len(found) != len(set(ids)):
        raise HttpError(422, f"{where}.evidence: preuve inconnue dans cette initiative")
    return found


def _event_out(event) -> dict:
    return {"id": event.pk, "organisation": event.concerns.slug, "organisation_name": event.concerns.name,
            "date": event.happened_on, "kind": event.kind, "subject": event.subject,
            "person_function": event.person_function, "role": event.role, "reason": event.reason,
            "evidence": event.evidence_ids, "publication": _publication(event)}


def _level_out(level) -> dict:
    return {"id": level.pk, "organisation": level.concerns.slug, "organisation_name": level.concerns.name,
            "period_start": level.period_start, "period_end": level.period_end, "level": level.level,
            "people": level.people, "comment": level.comment, "evidence": level.evidence_ids,
            "publication": _publication(level)}


@router.get("/{slug}/mobilisation", response=MobilisationOut, summary="Le journal de mobilisation d'une initiative")
def mobilisation_get(request: HttpRequest, slug: str):
    """Événements (invité, arrivée, départ, retour, changement de rôle) et niveaux d'engagement par période, avec
    les partenaires engagés par période et profil et la rotation par année."""
    overview = queries.mobilisation_overview(request.user, _initiative(request, slug))
    for item in (*overview.events, *overview.levels):
        item.evidence_ids = _evidence_ids(request, item)
    return {
        "scale": [{"level": value, "label": label.split("— ")[-1]} for value, label in EngagementScale.choices],
        "engaged_from": queries.ENGAGED_FROM,
        "events": [_event_out(e) for e in overview.events],
        "levels": [_level_out(lv) for lv in overview.levels],
        "periods": [{"period_start": p.start, "period_end": p.end, "partners": p.partners, "engaged": p.engaged,
                     "by_level": {str(k): v for k, v in p.by_level.items()},
                     "engaged_by_profile": p.engaged_by_profile, "profiles": p.profiles,
                     "diversity": None if p.diversity is None else round(p.diversity, 4)}
                    for p in overview.periods],
        "turnover": [{"year": t.year, "present_at_start": t.present_at_start, "present_at_end": t.present_at_end,
                      "arrivals": t.arrivals, "departures": t.departures,
                      "rate": None if t.rate is None else round(t.rate, 4)} for t in overview.turnover],
    }


@router.post("/{slug}/mobilisation", response={201: MobilisationCreated}, auth=WRITE_AUTH,
             summary="Consigner des événements et des niveaux d'engagement")
def mobilisation_post(request: HttpRequest, slug: str, payload: MobilisationIn):
    """Tout ou rien. Un départ, un retour ou un changement de rôle demande un motif ; une période déjà renseignée
    pour ce partenaire est remplacée ; une période qui en chevauche une autre est refusée."""
    initiative = _contributable(request, slug)
    if not payload.events and not payload.levels:
        raise HttpError(422, "Rien à enregistrer : donnez `events` ou `levels`.")
    created = {"events": [], "levels": []}
    with transaction.atomic():
        for n, item in enumerate(payload.events):
            where = f"events.{n}"
            try:
                created["events"].append(services.mobilisation_event_create(
                    initiative=initiative, organisation=_organisation(request, item.organisation, where),
                    kind=item.kind, happened_on=item.date, subject=item.subject, person_function=item.person_function,
                    role=item.role, reason=item.reason, actor=request.user,
                    evidence=_evidence(request, initiative, item.evidence, where)))
            except ValidationError as exc:
                raise _invalid(exc, where) from None
        for n, item in enumerate(payload.levels):
            where = f"levels.{n}"
            try:
                created["levels"].append(services.engagement_level_set(
                    initiative=initiative, organisation=_organisation(request, item.organisation, where),
                    period_start=item.period_start, period_end=item.period_end, level=item.level,
                    people=item.people, comment=item.comment, actor=request.user,
                    evidence=_evidence(request, initiative, item.evidence, where)))
            except ValidationError as exc:
                raise _invalid(exc, where) from None
    for item in (*created["events"], *created["levels"]):
        item.evidence_ids = _evidence_ids(request, item)
    return 201, {"events": [_event_out(e) for e in created["events"]],
                 "levels": [_level_out(lv) for lv in created["levels"]]}


# Maturity ----------------------------------------------------------------------------------------------------------

class AxisIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=120)
    levels: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(min_length=2, max_length=7)


class ResponseIn(Schema):
    organisation: Slug
    respondent: str = Field("", max_length=120, description="fonction du répondant (jamais un nom)")
    answers: dict[Annotated[str, Field(max_length=40)], StrictInt] = Field(
        description="un niveau par code d'axe, de 1 au nombre de niveaux")
    comment: Text = ""


class WaveIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    held_on: date


class MaturityIn(Schema):
    """Au choix : `questionnaire` (remplace les axes pour les vagues à venir) ; `wave` (ouvre une vague) ;
    `responses` à la vague `wave_id` ou à celle que `wave` vient d'ouvrir."""

    model_config = {"json_schema_extra": {"examples": [{
        "wave": {"title": "Vague 2025", "held_on": "2025-03-15"},
        "responses": [{"organisation": "epicerie-solidaire", "respondent": "directrice",
                       "answers": {"connaissance": 3, "langage": 2, "confiance": 1, "gouvernance": 2,
                                   "ressources": 2, "apprentissage": 3}}]}]}}

    questionnaire: list[AxisIn] | None = Field(None, max_length=12)
    wave: WaveIn | None = None
    wave_id: int | None = Field(None, ge=1, le=2**31 - 1)
    responses: list[ResponseIn] = Field(default_factory=list, max_length=500)


class AxisOut(Schema):
    code: str
    label: str
    levels: list[str]


class AxisStatsOut(Schema):
    axis: str
    label: str
    n: int
    mean: float | None
    min: int | None
    max: int | None
    spread: float | None = Field(description="écart type de population")
    consensus: bool | None = Field(description="vrai quand max − min ≤ 1")


class PartnerStatsOut(Schema):
    organisation: str
    organisation_name: str
    axes: list[AxisStatsOut]


class WaveOut(Schema):
    id: int
    title: str
    held_on: date
    respondents: int
    axes: list[AxisOut]
    stats: list[AxisStatsOut]
    by_partner: list[PartnerStatsOut]
    change: dict[str, float | None] | None = Field(description="évolution de la moyenne depuis la vague précédente")
    publication: PublicationOut


class MaturityOut(Schema):
    questionnaire: list[AxisOut]
    waves: list[WaveOut]


def _wave_out(results, change) -> dict:
    wave = results.wave
    return {"id": wave.pk, "title": wave.title, "held_on": wave.held_on, "respondents": results.respondents,
            "axes": wave.axes, "stats": [s.as_dict() for s in results.alliance],
            "by_partner": [{"organisation": org.slug, "organisation_name": org.name,
                            "axes": [s.as_dict() for s in stats]} for org, stats in results.by_partner],
            "change": None if change is None else {k: None if v is None else round(v, 4) for k, v in change.items()},
            "publication": _publication(wave)}


@router.get("/{slug}/maturity", response=MaturityOut, summary="La maturité de la coopération, par vague")
def maturity_get(request: HttpRequest, slug: str):
    """Par vague et par axe : `n`, `mean`, `min`, `max`, `spread` (écart type de population) et `consensus`
    (max − min ≤ 1), pour l'alliance et pour chaque partenaire, et l'évolution depuis la vague précédente."""
    initiative = _initiative(request, slug)
    return {"questionnaire": queries.questionnaire_axes(initiative),
            "waves": [_wave_out(results, change) for results, change in queries.maturity_overview(request.user,
                                                                                                  initiative)]}


@router.post("/{slug}/maturity", response={201: MaturityOut}, auth=WRITE_AUTH,
             summary="Configurer le questionnaire, ouvrir une vague, enregistrer des réponses")
def maturity_post(request: HttpRequest, slug: str, payload: MaturityIn):
    """Tout ou rien ; répond comme le GET. Chaque réponse donne un niveau à chaque axe de la vague."""
    initiative = _contributable(request, slug)
    if payload.questionnaire is None and payload.wave is None and not payload.responses:
        raise HttpError(422, "Rien à enregistrer : donnez `questionnaire`, `wave` ou `responses`.")
    if payload.wave is not None and payload.wave_id is not None:
        raise HttpError(422, "Donnez `wave` (nouvelle vague) ou `wave_id` (vague existante), pas les deux.")
    with transaction.atomic():
        if payload.questionnaire is not None:
            try:
                services.maturity_questionnaire_set(initiative=initiative, actor=request.user,
                                                    axes=[axis.dict() for axis in payload.questionnaire])
            except ValidationError as exc:
                raise _invalid(exc, "questionnaire") from None
        wave = None
        if payload.wave is not None:
            try:
                wave = services.maturity_wave_open(initiative=initiative, title=payload.wave.title,
                                                   held_on=payload.wave.held_on, actor=request.user)
            except ValidationError as exc:
                raise _invalid(exc, "wave") from None
        elif payload.wave_id is not None:
            wave = MaturityWave.objects.filter(initiative=initiative, pk=payload.wave_id).first()
            if wave is None:
                raise HttpError(422, "wave_id: vague inconnue dans cette initiative")
        if payload.responses and wave is None:
            raise HttpError(422, "responses: dites à quelle vague (`wave_id`) ou ouvrez-en une (`wave`).")
        for n, item in enumerate(payload.responses):
            where = f"responses.{n}"
            try:
                services.maturity_response_add(wave=wave, organisation=_organisation(request, item.organisation, where),
                                               answers=item.answers, respondent=item.respondent,
                                               comment=item.comment, actor=request.user)
            except ValidationError as exc:
                raise _invalid(exc, where) from None
    return 201, maturity_get(request, slug)
