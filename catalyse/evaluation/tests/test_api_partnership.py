"""The mobilisation and maturity API: contract, 422 for bad input, and who sees and does what.

People: `member` belongs to the carrying organisation (a partner), `b_person` to partner B, `outsider` is a
network member who is no partner, `rival` a partner of another initiative only; `None` is a visitor."""

import pytest

from catalyse.actors.models import Profile
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import publication
from catalyse.evaluation.models import EngagementLevel, MaturityWave, MobilisationEvent
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/initiatives/alliance-evaluee"
CODES = ["connaissance", "langage", "confiance", "gouvernance", "ressources", "apprentissage"]


@pytest.fixture(autouse=True)
def _initiative(initiative):
    return initiative


@pytest.fixture
def partner_b(initiative):
    org = OrganisationFactory(name="Partenaire B", slug="partenaire-b", profile=Profile.COMPANY)
    PartnershipFactory(initiative=initiative, organisation=org)
    return org


@pytest.fixture
def b_person(partner_b):
    return MembershipFactory(organisation=partner_b).user


@pytest.fixture
def rival(db):
    membership = MembershipFactory()
    PartnershipFactory(organisation=membership.organisation)
    return membership.user


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


LOG = {
    "events": [
        {"organisation": "partenaire-b", "kind": "joined", "date": "2023-02-01"},
        {"organisation": "partenaire-b", "kind": "left", "date": "2024-06-30", "reason": "Fin de son financement"},
    ],
    "levels": [{"organisation": "partenaire-b", "period_start": "2023-01-01", "period_end": "2023-12-31",
                "level": 4, "people": 2}],
}


def answers(**levels):
    return {code: 2 for code in CODES} | levels


def test_a_partner_logs_events_and_levels_and_reads_engaged_partners(client, member, partner_b):
    response = _post(_as(client, member), f"{BASE}/mobilisation", LOG)
    assert response.status_code == 201, response.content
    assert [e["kind"] for e in response.json()["events"]] == ["joined", "left"]
    assert response.json()["levels"][0]["publication"] == {"state": "private", "waiting_for": ["partenaire-b"]}

    body = client.get(f"{BASE}/mobilisation").json()
    assert body["engaged_from"] == 3 and len(body["scale"]) == 5
    assert body["periods"] == [{"period_start": "2023-01-01", "period_end": "2023-12-31", "partners": 1,
                                "engaged": 1, "by_level": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
                                "engaged_by_profile": {"entreprise": 1}, "profiles": 1, "diversity": 0.0}]
    turnover = {t["year"]: t for t in body["turnover"]}
    # 1 departure / the mean of 1 present on 1 January and 0 on 31 December
    assert turnover[2024]["departures"] == 1 and turnover[2024]["rate"] == 2.0


def test_a_visitor_sees_only_what_partner_b_approved(client, member, b_person, outsider, rival, partner_b):
    _post(_as(client, member), f"{BASE}/mobilisation", LOG)
    left = MobilisationEvent.objects.get(kind="left")
    publication.publication_request(member, left)
    for user in (None, outsider, rival):
        body = _as(client, user).get(f"{BASE}/mobilisation").json()
        assert body["events"] == [] and body["levels"] == [] and body["periods"] == []
    publication.publication_approve(b_person, left)
    for user in (None, outsider, rival):
        assert [e["reason"] for e in _as(client, user).get(f"{BASE}/mobilisation").json()["events"]] == [
            "Fin de son financement"]
    assert len(_as(client, b_person).get(f"{BASE}/mobilisation").json()["events"]) == 2


@pytest.mark.parametrize("path", ["mobilisation", "maturity"])
def test_who_may_write(client, outsider, rival, member, partner_b, path):
    body = LOG if path == "mobilisation" else {"wave": {"title": "Vague 1", "held_on": "2024-03-01"}}
    assert _post(_as(client, None), f"{BASE}/{path}", body).status_code == 401
    assert _post(_as(client, outsider), f"{BASE}/{path}", body).status_code == 403
    assert _post(_as(client, rival), f"{BASE}/{path}", body).status_code == 403
    assert _post(_as(client, member), f"{BASE}/{path}", body).status_code == 201


@pytest.mark.parametrize("path", ["mobilisation", "maturity"])
def test_a_partners_only_initiative_is_unknown_to_others(client, initiative, outsider, rival, member, path):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    for user in (None, outsider, rival):
        assert _as(client, user).get(f"{BASE}/{path}").status_code == 404
    assert _as(client, member).get(f"{BASE}/{path}").status_code == 200


@pytest.mark.parametrize("body, message", [
    ({"events": [{"organisation": "partenaire-b", "kind": "left", "date": "2024-06-30"}]}, "motif"),
    ({"events": [{"organisation": "partenaire-b", "kind": "parti", "date": "2024-06-30"}]}, "kind"),
    ({"events": [{"organisation": "partenaire-b", "kind": "joined", "date": "30/06/2024"}]}, "date"),
    ({"events": [{"organisation": "inconnue", "kind": "joined", "date": "2024-06-30"}]}, "inconnue"),
    ({"levels": [{"organisation": "partenaire-b", "period_start": "2024-01-01", "period_end": "2024-12-31",
                  "level": 6}]}, "level"),
    ({"levels": [{"organisation": "partenaire-b", "period_start": "2024-12-31", "period_end": "2024-01-01",
                  "level": 3}]}, "période"),
    ({}, "Rien à enregistrer"),
])
def test_bad_mobilisation_input_is_422_with_a_message(client, member, partner_b, body, message):
    response = _post(_as(client, member), f"{BASE}/mobilisation", body)
    assert response.status_code == 422 and message in response.json()["detail"]


def test_a_refused_item_saves_nothing_of_the_request(client, member, partner_b):
    body = {"events": LOG["events"] + [{"organisation": "partenaire-b", "kind": "left", "date": "2024-08-01",
                                        "reason": "Deux fois ?"}]}
    response = _post(_as(client, member), f"{BASE}/mobilisation", body)
    assert response.status_code == 422 and response.json()["detail"].startswith("events.2")
    assert not MobilisationEvent.objects.exists() and not EngagementLevel.objects.exists()


def test_a_wave_with_two_respondents_who_disagree(client, member, partner_b, initiative, org):
    body = {"wave": {"title": "Vague 2024", "held_on": "2024-03-01"}, "responses": [
        {"organisation": org.slug, "respondent": "directrice", "answers": answers(confiance=1)},
        {"organisation": "partenaire-b", "respondent": "chargé de mission", "answers": answers(confiance=4)},
    ]}
    response = _post(_as(client, member), f"{BASE}/maturity", body)
    assert response.status_code == 201, response.content
    wave = response.json()["waves"][0]
    trust = next(s for s in wave["stats"] if s["axis"] == "confiance")
    assert trust == {"axis": "confiance", "label": "Confiance", "n": 2, "mean": 2.5, "min": 1, "max": 4,
                     "spread": 1.5, "consensus": False}
    assert [p["organisation"] for p in wave["by_partner"]] == [org.slug, "partenaire-b"]  # by name
    assert wave["change"] is None and wave["publication"]["state"] == "private"

    second = {"wave_id": wave["id"], "responses": [
        {"organisation": "partenaire-b", "answers": answers(confiance=3)}]}
    trust = next(s for s in _post(client, f"{BASE}/maturity", second).json()["waves"][0]["stats"]
                 if s["axis"] == "confiance")
    assert (trust["n"], trust["mean"], trust["spread"]) == (3, pytest.approx(8 / 3, abs=1e-4),
                                                            pytest.approx(1.2472, abs=1e-4))

    assert _as(client, None).get(f"{BASE}/maturity").json()["waves"] == []  # private until the partners approve


def test_the_change_between_waves(client, member, org):
    for title, held_on, level in (("Vague 1", "2024-03-01", 1), ("Vague 2", "2025-03-01", 3)):
        _post(_as(client, member), f"{BASE}/maturity", {"wave": {"title": title, "held_on": held_on}, "responses": [
            {"organisation": org.slug, "answers": answers(confiance=level)}]})
    waves = client.get(f"{BASE}/maturity").json()["waves"]
    assert waves[1]["change"]["confiance"] == 2.0 and waves[1]["change"]["langage"] == 0.0


@pytest.mark.parametrize("body, message", [
    ({"wave": {"title": "V", "held_on": "2024-03-01"},
      "responses": [{"organisation": "ORG", "answers": answers(confiance=5)}]}, "de 1 à 4"),
    ({"wave": {"title": "V", "held_on": "2024-03-01"},
      "responses": [{"organisation": "ORG", "answers": answers(confiance="trois")}]}, "answers"),
    ({"wave": {"title": "V", "held_on": "2024-03-01"},
      "responses": [{"organisation": "ORG", "answers": {"confiance": 2}}]}, "Répondez"),
    ({"responses": [{"organisation": "ORG", "answers": answers()}]}, "vague"),
    ({"wave_id": 999999, "responses": [{"organisation": "ORG", "answers": answers()}]}, "vague inconnue"),
    ({"questionnaire": [{"code": "a", "label": "A", "levels": ["x", "y"]}]}, "3 et 12 axes"),
    ({}, "Rien à enregistrer"),
])
def test_bad_maturity_input_is_422_with_a_message(client, member, org, body, message):
    for response in body.get("responses", []):
        response["organisation"] = org.slug
    response = _post(_as(client, member), f"{BASE}/maturity", body)
    assert response.status_code == 422 and message in response.json()["detail"], response.content
    assert not MaturityWave.objects.exists()


def test_a_published_wave_shows_to_visitors(client, member, b_person, org, partner_b):
    _post(_as(client, member), f"{BASE}/maturity", {"wave": {"title": "V", "held_on": "2024-03-01"}, "responses": [
        {"organisation": org.slug, "answers": answers()},
        {"organisation": "partenaire-b", "answers": answers()}]})
    wave = MaturityWave.objects.get()
    publication.publication_request(member, wave)  # counts as the carrying organisation's approval
    assert _as(client, None).get(f"{BASE}/maturity").json()["waves"] == []
    publication.publication_approve(b_person, wave)
    assert [w["title"] for w in _as(client, None).get(f"{BASE}/maturity").json()["waves"]] == ["V"]


def test_the_contract_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/initiatives/{slug}/mobilisation", "/api/v1/initiatives/{slug}/maturity"):
        assert set(paths[path]) == {"get", "post"}


def test_evidence_of_the_library_shows_a_mobilisation_and_stays_private_until_published(
        client, initiative, member, partner_b, b_person):
    from catalyse.evaluation.models import Evidence
    from catalyse.initiatives.tests.factories import InitiativeFactory

    minutes = Evidence.objects.create(initiative=initiative, kind="document", title="Compte rendu du comité")
    elsewhere = Evidence.objects.create(initiative=InitiativeFactory(), kind="document", title="Ailleurs")
    body = {"events": [{"organisation": "partenaire-b", "kind": "joined", "date": "2023-02-01",
                        "evidence": [minutes.pk]}]}
    response = _post(_as(client, member), f"{BASE}/mobilisation", body)
    assert response.status_code == 201 and response.json()["events"][0]["evidence"] == [minutes.pk]

    body["events"][0] |= {"date": "2023-03-01", "evidence": [elsewhere.pk]}
    response = _post(client, f"{BASE}/mobilisation", body)
    assert response.status_code == 422 and "preuve inconnue" in response.json()["detail"]

    event = MobilisationEvent.objects.get()
    publication.publication_request(b_person, event)
    assert _as(client, None).get(f"{BASE}/mobilisation").json()["events"][0]["evidence"] == []  # not published
    minutes.is_public = True
    minutes.save()
    assert client.get(f"{BASE}/mobilisation").json()["events"][0]["evidence"] == [minutes.pk]
