"""/api/v1/organisations: the directory as JSON, with the page's filters; creation and changes for members.

Writes go through the same form and services as the pages, so that validation and moderation agree.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from catalyse.api.auth import token_write
from catalyse.api.pagination import LimitOffset
from catalyse.core import permissions
from catalyse.core.concurrency import ConflictError
from catalyse.territories.api import TerritoryRef
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Typology

from . import services
from .forms import OrganisationForm, organisation_form_data
from .models import Organisation, Profile, Scope, Trade
from .queries import SORTS, OrganisationFilters, organisation_detail, organisations_matching

# Authentication accepted for writes; another scheme (API tokens) is appended here, each tried in turn.
WRITE_AUTH: list = [token_write, django_auth]

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    profile: Profile
    profile_label: str
    legal_form: str
    scope: Scope
    is_catalyst: bool
    joined_on: date | None
    status: str
    trades: list[str] = Field(description="Codes des métiers")
    competences: list[str] = Field(description="Codes des compétences")
    head_office: TerritoryRef | None
    departement: TerritoryRef | None
    region: TerritoryRef | None
    typology: str
    territories: list[TerritoryRef] = Field(description="Territoires d'action")
    address: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    website: str
    description: str = Field(description="Markdown")
    siren: str
    siret: str
    rna: str
    dissolved_on: date | None
    is_fictitious: bool
    updated_at: datetime
    version: int = Field(description="À renvoyer avec PATCH : protège des modifications concurrentes")
    page: str

    @staticmethod
    def resolve_profile_label(obj: Organisation) -> str:
        return str(obj.get_profile_display())

    @staticmethod
    def resolve_trades(obj: Organisation) -> list[str]:
        return [t.code for t in obj.trades.all()]

    @staticmethod
    def resolve_competences(obj: Organisation) -> list[str]:
        return [c.code for c in obj.competences.all()]

    @staticmethod
    def resolve_territories(obj: Organisation) -> list:
        return list(obj.territories.all())

    @staticmethod
    def resolve_page(obj: Organisation) -> str:
        return obj.get_absolute_url()


class OrganisationQuery(Schema):
    q: str = Field("", max_length=200, description="Nom (sans accents ni majuscules), SIREN ou RNA")
    profil: list[Profile] = Field([], description="Profils (plusieurs possibles)")
    metier: list[str] = Field([], description="Codes des métiers (plusieurs possibles)")
    perimetre: Scope | None = None
    region: list[str] = Field([], description="Codes INSEE de région du siège")
    departement: list[str] = Field([], description="Codes de département du siège")
    typologie: list[Typology] = []
    territoire: str | None = Field(None, pattern=r"^(region|departement|epci|commune):[0-9A-Za-z]{1,9}$",
                                   description="Agit sur ce territoire ou en dessous : niveau:code",
                                   examples=["departement:62"])
    catalyseur: bool | None = Field(None, description="Membres du réseau (true) ou autres acteurs (false)")
    tri: Literal[tuple(SORTS)] = "nom"  # type: ignore[valid-type]


def _filters(query: OrganisationQuery) -> OrganisationFilters:
    """Unlike the page (where a stale link simply drops an unknown value), the API says what is wrong."""
    unknown = set(query.metier) - set(Trade.objects.values_list("code", flat=True))
    if unknown:
        raise HttpError(422, f"metier: valeur inconnue {', '.join(sorted(unknown))}")
    if query.territoire and territory_from_key(query.territoire) is None:
        raise HttpError(422, f"territoire: aucun territoire {query.territoire}")
    params = QueryDict(mutable=True)
    for key, value in query.dict().items():
        if isinstance(value, list):
            params.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            params[key] = "1" if value else "0"
        elif value is not None:
            params[key] = str(value)
    return OrganisationFilters.from_params(params)


@router.get("", response=list[OrganisationOut], summary="Chercher dans l'annuaire")
@paginate(LimitOffset)
def organisation_list(request: HttpRequest, filters: Query[OrganisationQuery]):
    """Les mêmes filtres que la page `/organisations/` ; les organisations non publiées n'apparaissent qu'à
    leurs membres et à l'équipe d'animation."""
    return organisations_matching(request.user, _filters(filters), prefetch=("trades", "competences", "territories"))


@router.get("/{slug}", response=OrganisationOut, summary="Une organisation")
def organisation_get(request: HttpRequest, slug: str):
    return organisation_detail(request.user, slug)


class OrganisationIn(Schema):
    name: str = Field(max_length=255)
    profile: Profile
    legal_form: str = ""
    scope: Scope = Scope.LOCAL
    trades: list[str] = Field([], description="Codes des métiers")
    competences: list[str] = Field([], description="Codes des compétences")
    head_office: str = Field("", description="Commune du siège : code INSEE ou commune:code", examples=["62528"])
    territories: list[str] = Field([], description="Territoires d'action, niveau:code", examples=[["epci:200033579"]])
    address: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    email: str = Field("", description="Courriel de contact, jamais publié")
    description: str = Field("", description="Markdown")
    siren: str = ""
    siret: str = ""
    rna: str = ""
    joined_on: date | None = Field(None, description="Réservé à l'équipe d'animation")
    is_catalyst: bool = Field(False, description="Réservé à l'équipe d'animation")


class OrganisationPatch(Schema):
    version: int = Field(description="La version lue (champ version) : 409 si la fiche a changé depuis")
    name: str | None = Field(None, max_length=255)
    profile: Profile | None = None
    legal_form: str | None = None
    scope: Scope | None = None
    trades: list[str] | None = None
    competences: list[str] | None = None
    head_office: str | None = None
    territories: list[str] | None = None
    address: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    website: str | None = None
    email: str | None = None
    description: str | None = None
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    joined_on: date | None = None
    is_catalyst: bool | None = None


def _validated_form(request: HttpRequest, data: dict, instance: Organisation | None = None) -> OrganisationForm:
    """The page's form, fed with JSON: the same rules and messages; errors become a 422 per field."""
    if key := data.get("head_office"):
        office = territory_from_key(key)
        data["head_office_label"] = office.label if office else key
    else:
        data["head_office_label"] = ""
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = OrganisationForm(data, instance=instance or Organisation(), user=request.user)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        raise HttpError(422, detail)
    return form


@router.post("", response={201: OrganisationOut}, auth=WRITE_AUTH, summary="Proposer une organisation")
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    """Publiée d'emblée si l'auteur anime le réseau ; sinon en attente de modération, et l'auteur en devient
    éditeur."""
    form = _validated_form(request, payload.dict())
    org = services.organisation_propose(user=request.user, **form.service_fields())
    return 201, organisation_detail(request.user, org.slug)


@router.patch("/{slug}", response=OrganisationOut, auth=WRITE_AUTH, summary="Modifier une organisation")
def organisation_update(request: HttpRequest, slug: str, payload: OrganisationPatch):
    org = permissions.get_editable_or_404(request.user, Organisation.objects.all(), slug=slug)
    data = organisation_form_data(org)
    data.update(payload.dict(exclude_unset=True))
    form = _validated_form(request, data, org)
    try:
        services.organisation_update(org, expected_version=payload.version, **form.service_fields())
    except ConflictError as conflict:
        raise HttpError(409, f"La fiche a été modifiée entre-temps (version {conflict.current.version}, "
                             f"vous partiez de la version {payload.version}) : relisez-la puis renvoyez vos "
                             "modifications.") from None
    return organisation_detail(request.user, slug)
