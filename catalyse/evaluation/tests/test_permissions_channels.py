"""One evaluation, six people, every channel: who reads what and who may write, through the API, the exports,
the IATI document, the files and the search — the same answer everywhere.

The evaluation holds a published and an internal item of each kind (objective, indicator, evidence), and on
the published indicator an approved and a draft measurement. People:

| persona         | who                                              | sees internal | writes | reviews |
|-----------------|--------------------------------------------------|---------------|--------|---------|
| visitor         | not signed in                                    | no            | no     | no      |
| member          | a network member, no partner                     | no            | no     | no      |
| rival           | a partner of another initiative                  | no            | no     | no      |
| partner         | a person of a partner organisation               | yes           | yes    | no      |
| lead            | leads the evaluation, in no partner organisation | yes           | no     | yes     |
| animator        | the network's animation team                     | yes           | yes    | yes     |
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from lxml import etree

from catalyse.accounts.models import Role as AccountRole
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import services
from catalyse.evaluation.exports import evaluation_download
from catalyse.evaluation.models import EvidenceKind, Indicator, MeasurementStatus
from catalyse.initiatives.models import Initiative, Role, Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory
from catalyse.search.outbox import index_rebuild
from catalyse.search.queries import SearchParams, search_run

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date


@dataclass(frozen=True)
class Persona:
    insider: bool
    writes: bool
    reviews: bool


PERSONAS = {
    "visitor": Persona(insider=False, writes=False, reviews=False),
    "member": Persona(insider=False, writes=False, reviews=False),
    "rival": Persona(insider=False, writes=False, reviews=False),
    "partner": Persona(insider=True, writes=True, reviews=False),
    "lead": Persona(insider=True, writes=False, reviews=True),
    "animator": Persona(insider=True, writes=True, reviews=True),
}
PUBLIC = {"objectives": {"Objectif publié"}, "indicators": {"Indicateur publié"}, "evidence": {"Preuve publiée"}}
INTERNAL = {"objectives": {"Objectif interne"}, "indicators": {"Indicateur interne"}, "evidence": {"Preuve interne"}}


def expected(persona: Persona, what: str) -> set[str]:
    return PUBLIC[what] | (INTERNAL[what] if persona.insider else set())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(org):
    initiative = InitiativeFactory(title="Alliance évaluée", slug="alliance-evaluee")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    rival = MembershipFactory()
    PartnershipFactory(organisation=rival.organisation)
    people = {
        "visitor": None,
        "member": UserFactory(),
        "rival": rival.user,
        "partner": MembershipFactory(organisation=org).user,
        "lead": UserFactory(),
        "animator": UserFactory(role=AccountRole.ANIMATOR),
    }
    services.framework_set(initiative=initiative, leads=[people["lead"]])
    public = make_indicator(initiative, name="Indicateur publié", is_public=True)
    make_indicator(initiative, name="Indicateur interne")
    services.objective_create(initiative=initiative, title="Objectif publié", is_public=True)
    services.objective_create(initiative=initiative, title="Objectif interne")
    measurements = {
        "approved": approved(public, D(2024, 1, 5), value=4),
        "draft": services.measurement_create(indicator=public, period_start=D(2024, 1, 6),
                                             period_end=D(2024, 1, 9), value=9),
        "submitted": services.measurement_submit(services.measurement_create(
            indicator=public, period_start=D(2024, 1, 10), period_end=D(2024, 1, 12), value=11)),
    }
    evidence = {
        "public": services.evidence_create(initiative=initiative, kind=EvidenceKind.FIGURE, title="Preuve publiée",
                                           text="4 personnes", is_public=True, indicators=[public]),
        "internal": services.evidence_create(initiative=initiative, kind=EvidenceKind.DOCUMENT,
                                             title="Preuve interne", indicators=[public],
                                             file=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 interne")),
    }
    return {"initiative": initiative, "people": people, "public": public, "measurements": measurements,
            "evidence": evidence}


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _user(world, name):
    return world["people"][name] or AnonymousUser()


def _write_status(persona_name: str, allowed: bool, sees: bool) -> int:
    if persona_name == "visitor":
        return 401
    if allowed:
        return None  # the caller says which success
    return 403 if sees else 404


# API reads -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PERSONAS)
def test_api_reads(client, world, name):
    persona, slug = PERSONAS[name], world["initiative"].slug
    _as(client, world["people"][name])
    base = f"/api/v1/initiatives/{slug}"
    assert {o["title"] for o in client.get(f"{base}/objectives").json()} == expected(persona, "objectives")
    assert {i["name"] for i in client.get(f"{base}/indicators").json()["items"]} == expected(persona, "indicators")
    assert {e["title"] for e in client.get(f"{base}/evidence").json()} == expected(persona, "evidence")
    internal = Indicator.objects.get(name="Indicateur interne")
    for path in (f"/api/v1/evaluation/indicators/{internal.pk}",
                 f"/api/v1/evaluation/indicators/{internal.pk}/progress",
                 f"/api/v1/evaluation/evidence/{world['evidence']['internal'].pk}"):
        assert client.get(path).status_code == (200 if persona.insider else 404), path
    statuses = {m["status"] for m in
                client.get(f"/api/v1/evaluation/indicators/{world['public'].pk}/measurements").json()}
    assert statuses == ({"approved", "draft", "submitted"} if persona.insider else {"approved"})


# API writes ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PERSONAS)
def test_api_writes(client, world, name):
    persona, slug = PERSONAS[name], world["initiative"].slug
    _as(client, world["people"][name])
    new = {"name": "Nouvel indicateur", "definition": "Ce qu'il mesure.", "computation": "Comment.",
           "targets": [{"date": "2025-12-31", "value": 10}]}
    response = client.post(f"/api/v1/initiatives/{slug}/indicators", new, content_type="application/json")
    assert response.status_code == (_write_status(name, persona.writes, True) or 201)

    response = client.post(f"/api/v1/initiatives/{slug}/evidence", {"kind": "figure", "title": "Chiffre",
                                                                    "text": "3"})
    assert response.status_code == (_write_status(name, persona.writes, True) or 201)

    internal = world["evidence"]["internal"]
    response = client.patch(f"/api/v1/evaluation/evidence/{internal.pk}", {"title": "Preuve revue"},
                            content_type="application/json")
    assert response.status_code == (_write_status(name, persona.writes, persona.insider) or 200)

    public = world["evidence"]["public"]
    response = client.patch(f"/api/v1/evaluation/evidence/{public.pk}", {"title": "Preuve publiée revue"},
                            content_type="application/json")
    assert response.status_code == (_write_status(name, persona.writes, True) or 200)

    submitted = world["measurements"]["submitted"]
    response = client.post(f"/api/v1/evaluation/measurements/{submitted.pk}/approve", {},
                           content_type="application/json")
    assert response.status_code == (_write_status(name, persona.reviews, persona.insider) or 200)
    submitted.refresh_from_db()
    assert (submitted.status == MeasurementStatus.APPROVED) == persona.reviews


# Exports and IATI ----------------------------------------------------------------------------------------------------

def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", PERSONAS)
def test_exports_hold_what_the_person_may_see(world, name):
    persona, user, initiative = PERSONAS[name], _user(world, name), world["initiative"]
    rows = _csv(evaluation_download(user, initiative, "cadre", "csv"))
    assert {r["indicateur"] for r in rows if r["indicateur"]} == expected(persona, "indicators")
    assert {r["objectif"] for r in rows if r["objectif"]} == expected(persona, "objectives")
    rows = _csv(evaluation_download(user, initiative, "mesures", "csv"))
    assert len(rows) == (3 if persona.insider else 1)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_iati_document_holds_what_the_person_may_see(client, world, name):
    persona = PERSONAS[name]
    response = _as(client, world["people"][name]).get(f"/api/v1/initiatives/{world['initiative'].slug}/iati.xml")
    document = etree.fromstring(b"".join(response.streaming_content))
    titles = {t.text for t in document.iterfind(".//indicator/title/narrative")}
    assert titles == expected(persona, "indicators")
    values = {a.get("value") for a in document.iterfind(".//period/actual")}
    assert values == {"4"}  # only approved measurements, whoever asks


@pytest.mark.parametrize("name", PERSONAS)
def test_an_internal_evidence_file_goes_to_insiders_only(client, world, name):
    url = world["evidence"]["internal"].file.url
    assert _as(client, world["people"][name]).get(url).status_code == (200 if PERSONAS[name].insider else 404)


# Search --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PERSONAS)
def test_search_finds_what_the_person_may_see(world, backend, name):
    index_rebuild(backend)
    persona, user = PERSONAS[name], _user(world, name)

    def titles(kind):
        query = QueryDict(f"kind={kind}&limit=50")
        return {h.title for h in search_run(user, SearchParams.from_query_dict(query), backend=backend).hits}

    assert titles("indicator") == expected(persona, "indicators")
    assert titles("evidence") == expected(persona, "evidence")


# A partners-only initiative ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PERSONAS)
def test_a_partners_only_initiatives_evaluation_is_hidden_from_outsiders_even_when_published(client, world, name):
    initiative = world["initiative"]
    Initiative.objects.filter(pk=initiative.pk).update(visibility=Visibility.PARTNERS)
    persona, slug = PERSONAS[name], initiative.slug
    _as(client, world["people"][name])
    sees = name in ("partner", "animator")  # the lead sees the evaluation, not a partners-only initiative page
    for path in (f"/api/v1/initiatives/{slug}/indicators", f"/api/v1/initiatives/{slug}/evidence",
                 f"/api/v1/initiatives/{slug}/iati.xml", f"/api/v1/evaluation/indicators/{world['public'].pk}"):
        status = client.get(path).status_code
        if path.endswith(f"/indicators/{world['public'].pk}"):
            assert status == (200 if persona.insider else 404), path
        else:
            assert status == (200 if sees else 404), path
