"""/api/v1/initiatives: the capitalisation bank as JSON, with the list page's filters; creation and changes
for members. Writes go through the same forms and services as the pages."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from catalyse.actors.models import Organisation
from catalyse.api.auth import token_write
from catalyse.api.pagination import LimitOffset
from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError
from catalyse.territories.api import TerritoryRef

from . import queries, services
from .forms import InitiativeForm
from .models import Initiative, Role, Stage, Status, Theme, Visibility

# Authentication accepted for writes; another scheme (API tokens) may be appended, each tried in turn.
WRITE_AUTH: list = [token_write, django_auth]

router = Router(tags=["initiatives"])


class PartnerOut(Schema):
    organisation: str = Field(description="slug de l'organisation")
    organisation_name: str
    profile: str
    role: Role
    joined_on: date | None
    left_on: date | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_profile(obj) -> str:
        return obj.organisation.profile


class InitiativeOut(Schema):
    slug: str
    title: str
    summary: str
    stage: Stage
    status: Status
    visibility: Visibility
    publication: str
    themes: list[str] = Field(description="Codes des thèmes")
    sdgs: list[int] = Field(description="Numéros des ODD")
    territories: list[TerritoryRef]
    start_date: date | None
    end_date: date | None
    is_fictitious: bool
    updated_at: datetime
    version: int
    page: str

    @staticmethod
    def resolve_themes(obj: Initiative) -> list[str]:
        return [t.code for t in obj.themes.all()]

    @staticmethod
    def resolve_sdgs(obj: Initiative) -> list[int]:
        return [s.number for s in obj.sdgs.all()]

    @staticmethod
    def resolve_territories(obj: Initiative) -> list:
        return list(obj.territories.all())

    @staticmethod
    def resolve_page(obj: Initiative) -> str:
        return obj.get_absolute_url()


class InitiativeDetail(InitiativeOut):
    recit: str = Field(description="Markdown")
    partners: list[PartnerOut]

    @staticmethod
    def resolve_partners(obj: Initiative) -> list:
        return list(obj.partnerships.all())


SdgNumber = Annotated[int, Field(ge=1, le=17)]


class InitiativeQuery(Schema):
    q: str = ""
    territoire: str = Field("", description="niveau:code, ex. departement:62 (le territoire et ce qu'il contient)")
    theme: list[str] = Field([], description="Codes des thèmes")
    odd: list[SdgNumber] = Field([], description="Numéros des ODD (1 à 17)")
    stade: list[Stage] = []
    profil: list[str] = Field([], description="Profil d'au moins un partenaire")
    etat: list[Status] = []
    tri: str = Field("-maj", description="-maj, titre ou -debut")


def _filters(query: InitiativeQuery) -> queries.InitiativeFilters:
    """Unlike the page (where a stale link simply drops an unknown value), the API says what is wrong."""
    params = QueryDict(mutable=True)
    for key, value in query.dict().items():
        if isinstance(value, list):
            params.setlist(key, [str(v) for v in value])
        elif value:
            params[key] = str(value)
    try:
        return queries.InitiativeFilters.from_params(params, strict=True)
    except queries.InvalidFilter as exc:
        raise HttpError(422, str(exc)) from None


@router.get("", response=list[InitiativeOut], summary="Chercher dans la banque d'initiatives")
@paginate(LimitOffset)
def initiative_list(request: HttpRequest, filters: Query[InitiativeQuery]):
    """Les mêmes filtres que la page `/initiatives/` ; chacun ne voit que les initiatives qu'il peut lire."""
    return queries.initiatives_list(request.user, _filters(filters))


@router.get("/{slug}", response=InitiativeDetail, summary="Une initiative et ses partenaires")
def initiative_get(request: HttpRequest, slug: str):
    return queries.initiative_detail(request.user, slug)


class PartnerIn(Schema):
    organisation: str = Field(description="slug de l'organisation")
    role: Role = Role.PARTENAIRE
    joined_on: date | None = None
    left_on: date | None = None


class InitiativeIn(Schema):
    title: str = Field(max_length=200)
    summary: str = Field(max_length=300)
    recit: str = Field("", description="Markdown")
    stage: Stage = Stage.EMERGENCE
    status: Status = Status.ACTIVE
    visibility: Visibility = Visibility.PUBLIC
    themes: list[str] = Field([], description="Codes des thèmes")
    sdgs: list[SdgNumber] = Field([], description="Numéros des ODD (1 à 17)")
    territories: list[str] = Field([], description="niveau:code", examples=[["commune:62528"]])
    start_date: date | None = None
    end_date: date | None = None
    partners: list[PartnerIn] = []


class InitiativePatch(Schema):
    version: int = Field(description="La version lue : 409 si l'initiative a changé depuis")
    message: str = Field("", description="Ce qui a changé (historique)")
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=300)
    recit: str | None = None
    stage: Stage | None = None
    status: Status | None = None
    visibility: Visibility | None = None
    themes: list[str] | None = None
    sdgs: list[SdgNumber] | None = None
    territories: list[str] | None = None
    start_date: date | None = None
    end_date: date | None = None


def _validated_form(data: dict, instance: Initiative | None = None) -> InitiativeForm:
    """The page's form fed with JSON: theme codes become ids; errors become one readable 422."""
    unknown = set(data.get("themes") or []) - set(Theme.objects.values_list("code", flat=True))
    if unknown:
        raise HttpError(422, f"themes: valeur inconnue {', '.join(sorted(unknown))}")
    form_data = QueryDict(mutable=True)
    for key, value in data.items():
        if key == "themes":
            value = [str(pk) for pk in Theme.objects.filter(code__in=value).values_list("pk", flat=True)]
        if isinstance(value, list):
            form_data.setlist(key, [str(v) for v in value])
        elif value is not None:
            form_data[key] = value.isoformat() if isinstance(value, date) else str(value)
    form = InitiativeForm(form_data, instance=instance)
    if not form.is_valid():
        raise HttpError(422, "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    return form


@router.post("", response={201: InitiativeDetail}, auth=WRITE_AUTH, summary="Proposer une initiative")
def initiative_create(request: HttpRequest, payload: InitiativeIn):
    """Les initiatives des membres sont publiées après relecture par l'équipe d'animation."""
    data = payload.dict()
    partners = []
    for partner in data.pop("partners"):
        org = permissions.visible_queryset(request.user, Organisation.objects.all()).filter(
            slug=partner.pop("organisation")).first()
        if org is None:
            raise HttpError(422, "partners: organisation inconnue")
        partners.append({"organisation": org, **partner})
    form = _validated_form(data)
    try:
        initiative = services.initiative_create(created_by=request.user, partners=partners, **form.service_kwargs())
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return 201, queries.initiative_detail(request.user, initiative.slug)


@router.patch("/{slug}", response=InitiativeDetail, auth=WRITE_AUTH, summary="Modifier une initiative")
def initiative_update(request: HttpRequest, slug: str, payload: InitiativePatch):
    """`version` est obligatoire : 409 si l'initiative a changé depuis qu'elle a été lue."""
    initiative = permissions.get_editable_or_404(request.user, Initiative.objects.all(), slug=slug)
    changes = payload.dict(exclude_unset=True)
    version, message = changes.pop("version"), changes.pop("message", "")
    current = InitiativeForm(instance=initiative)
    data = {name: current[name].value() for name in current.fields if name not in {"cover", "version", "message"}}
    data["themes"] = list(initiative.themes.values_list("code", flat=True))
    data |= changes
    form = _validated_form(data, instance=initiative)
    try:
        services.initiative_update(initiative, author=request.user, expected_version=version, message=message,
                                   **form.service_kwargs())
    except ConflictError as conflict:
        raise HttpError(
            409, f"L'initiative a été modifiée entre-temps (version {conflict.current.version}, "
                 f"vous êtes partis de la version {version}). Relisez-la puis renvoyez vos changements."
        ) from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return queries.initiative_detail(request.user, slug)
