"""The evidence library in the API: /api/v1/initiatives/{slug}/evidence and /api/v1/evaluation/evidence/{id}.

Creating an item is a multipart form (its fields, and `file` when it has one: checked by its content, 10 MB at
most); changing its fields is JSON (PATCH), replacing or removing its file `POST|DELETE …/evidence/{id}/file`.
Files are downloaded from the `file` URL, which sends them only to those who may see the item. A verbatim
cannot be published without the quoted person's consent, a photo without the image rights: 422."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError

from catalyse.api.auth import WRITE_AUTH
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative

from . import queries, services
from .models import Evidence, EvidenceKind, Indicator, Measurement, Objective
from .permissions import can_contribute

initiatives_router = Router(tags=["evaluation"])
router = Router(tags=["evaluation"])

Text = Annotated[str, Field(max_length=10_000)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class EvidenceOut(Schema):
    id: int
    initiative: str
    kind: EvidenceKind
    title: str
    text: str
    speaker_role: str
    url: str
    source: str
    file: str | None = Field(description="adresse du fichier (envoyé à qui peut voir la preuve)")
    consent: bool
    image_rights: bool
    anonymised: bool
    tags: list[str]
    indicators: list[int]
    objectives: list[int]
    measurements: list[int]
    is_public: bool
    created_at: datetime
    updated_at: datetime


def _out(evidence: Evidence) -> dict:
    return {
        "id": evidence.pk, "initiative": evidence.initiative.slug, "kind": evidence.kind, "title": evidence.title,
        "text": evidence.text, "speaker_role": evidence.speaker_role, "url": evidence.url, "source": evidence.source,
        "file": evidence.file.url if evidence.file else None, "consent": evidence.consent,
        "image_rights": evidence.image_rights, "anonymised": evidence.anonymised, "tags": evidence.tag_list,
        "indicators": [i.pk for i in evidence.indicators.all()],
        "objectives": [o.pk for o in evidence.objectives.all()],
        "measurements": [m.pk for m in evidence.measurements.all()],
        "is_public": evidence.is_public, "created_at": evidence.created_at, "updated_at": evidence.updated_at,
    }


def _reloaded(request: HttpRequest, evidence: Evidence) -> dict:
    qs = queries.with_evidence_links(request.user, Evidence.objects.select_related("initiative"))
    return _out(qs.get(pk=evidence.pk))


def _invalid(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        return HttpError(422, "; ".join(f"{field}: {' '.join(messages)}"
                                        for field, messages in exc.message_dict.items()))
    return HttpError(422, " ".join(exc.messages))


def _links(initiative: Initiative, data: dict) -> dict:
    """Ids of the initiative's indicators, objectives and measurements as objects (422 for any other id)."""
    for name, qs in (("indicators", Indicator.objects.filter(initiative=initiative)),
                     ("objectives", Objective.objects.filter(initiative=initiative)),
                     ("measurements", Measurement.objects.filter(indicator__initiative=initiative)
                      .select_related("indicator"))):
        ids = data.get(name)
        if ids is None:
            continue
        found = list(qs.filter(pk__in=set(ids)))
        if len(found) != len(set(ids)):
            raise HttpError(422, f"{name}: identifiant inconnu dans cette initiative")
        data[name] = found
    return data


class EvidenceQuery(Schema):
    kind: EvidenceKind | None = None
    tag: str = Field("", max_length=100)
    indicator: Id | None = None


@initiatives_router.get("/{slug}/evidence", response=list[EvidenceOut], summary="Les preuves d'une initiative")
def evidence_list(request: HttpRequest, slug: str, filters: Query[EvidenceQuery]):
    """Les preuves publiées ; toutes pour les partenaires. Filtres : `kind`, `tag`, `indicator`."""
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    return [_out(e) for e in queries.evidence_visible(request.user, initiative, kind=filters.kind or "",
                                                      tag=filters.tag, indicator=filters.indicator)
            .select_related("initiative")]


class EvidenceIn(Schema):
    kind: EvidenceKind
    title: str = Field(min_length=1, max_length=200)
    text: Text = ""
    speaker_role: str = Field("", max_length=120)
    url: str = Field("", max_length=200)
    source: str = Field("", max_length=200)
    consent: bool = False
    image_rights: bool = False
    anonymised: bool = False
    tags: str = Field("", max_length=300, description="mots-clés séparés par des virgules")
    indicators: list[Id] = []
    objectives: list[Id] = []
    measurements: list[Id] = []
    is_public: bool = False


@initiatives_router.post("/{slug}/evidence", response={201: EvidenceOut}, auth=WRITE_AUTH,
                         summary="Ajouter une preuve (formulaire multipart, fichier facultatif)")
def evidence_create(request: HttpRequest, slug: str, payload: Form[EvidenceIn],
                    file: UploadedFile = File(None)):  # noqa: B008  (ninja's way to declare an optional file)
    initiative = permissions.get_visible_or_404(request.user, Initiative.objects.all(), slug=slug)
    if not can_contribute(request.user, initiative):
        raise PermissionDenied("Réservé aux partenaires de l'initiative.")
    data = _links(initiative, payload.dict())
    try:
        evidence = services.evidence_create(initiative=initiative, file=file, created_by=request.user, **data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return 201, _reloaded(request, evidence)


def _visible(request: HttpRequest, evidence_id: int) -> Evidence:
    return permissions.get_visible_or_404(request.user, Evidence.objects.select_related("initiative"),
                                          pk=evidence_id)


def _editable(request: HttpRequest, evidence_id: int) -> Evidence:
    return permissions.get_editable_or_404(request.user, Evidence.objects.select_related("initiative"),
                                           pk=evidence_id)


@router.get("/evidence/{int:evidence_id}", response=EvidenceOut, summary="Une preuve")
def evidence_get(request: HttpRequest, evidence_id: int):
    return _reloaded(request, _visible(request, evidence_id))


class EvidencePatch(Schema):
    model_config = {"json_schema_extra": {"examples": [{"consent": True, "is_public": True}]}}

    kind: EvidenceKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    text: Text | None = None
    speaker_role: str | None = Field(None, max_length=120)
    url: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=200)
    consent: bool | None = None
    image_rights: bool | None = None
    anonymised: bool | None = None
    tags: str | None = Field(None, max_length=300)
    indicators: list[Id] | None = None
    objectives: list[Id] | None = None
    measurements: list[Id] | None = None
    is_public: bool | None = None


@router.patch("/evidence/{int:evidence_id}", response=EvidenceOut, auth=WRITE_AUTH, summary="Modifier une preuve")
def evidence_update(request: HttpRequest, evidence_id: int, payload: EvidencePatch):
    evidence = _editable(request, evidence_id)
    data = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    data = _links(evidence.initiative, data)
    try:
        services.evidence_update(evidence, actor=request.user, **data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _reloaded(request, evidence)


@router.delete("/evidence/{int:evidence_id}", response={204: None}, auth=WRITE_AUTH, summary="Supprimer une preuve")
def evidence_delete(request: HttpRequest, evidence_id: int):
    services.evidence_delete(_editable(request, evidence_id), actor=request.user)
    return 204, None


@router.post("/evidence/{int:evidence_id}/file", response=EvidenceOut, auth=WRITE_AUTH,
             summary="Remplacer le fichier d'une preuve (multipart, champ `file`)")
def evidence_file_replace(request: HttpRequest, evidence_id: int, file: File[UploadedFile]):
    evidence = _editable(request, evidence_id)
    try:
        services.evidence_update(evidence, actor=request.user, file=file)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _reloaded(request, evidence)


@router.delete("/evidence/{int:evidence_id}/file", response=EvidenceOut, auth=WRITE_AUTH,
               summary="Retirer le fichier d'une preuve")
def evidence_file_remove(request: HttpRequest, evidence_id: int):
    evidence = _editable(request, evidence_id)
    try:
        services.evidence_update(evidence, actor=request.user, file="")
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _reloaded(request, evidence)
