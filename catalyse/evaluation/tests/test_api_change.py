"""The part-2 API: change paths, their journal and SROI — contract fields, 422 for bad input, and who sees and
does what: a visitor, a network member who is no partner (`outsider`), a partner of another initiative (`rival`),
a partner (`member`)."""

import pytest

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import publication, services_change
from catalyse.evaluation.models import ChangePath, Evidence, EvidenceKind
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/initiatives/alliance-evaluee"
PATH = {"actor_name": "Les bailleurs sociaux", "outcome_challenge": "Ils associent les habitants.",
        "markers": [{"level": "expect", "text": "Ils viennent aux réunions"},
                    {"level": "love", "text": "Ils co-financent la conciergerie"}]}
OUTCOME = {"name": "Retour à l'emploi", "quantity": 10, "proxy": 1000, "proxy_source": "Étude régionale",
           "deadweight": 0.2, "attribution": 0.25, "displacement": 0.1, "drop_off": 0.5, "duration": 3}
SROI = {"title": "Estimation 2025", "investment": 4000, "discount_rate": 0.25, "outcomes": [OUTCOME]}


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


@pytest.fixture
def paths(initiative, member):
    """A published path and a private one."""
    public = services_change.change_path_create(initiative=initiative, actor_name="La mairie",
                                                outcome_challenge="Elle associe les habitants.",
                                                markers=[("expect", "Elle invite les habitants")])
    publication.publication_request(member, public)
    private = services_change.change_path_create(initiative=initiative, actor_name="Les commerçants",
                                                 outcome_challenge="Ils achètent local.")
    return {"public": public, "private": private}


def test_a_partner_creates_a_change_path_and_journals_a_marker(client, initiative, member):
    response = _post(_as(client, member), f"{BASE}/change-paths", PATH)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [m["status"] for m in body["markers"]] == ["not_yet", "not_yet"]
    assert body["publication"]["state"] == "private"
    proof = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Compte rendu")
    entry = {"marker": body["markers"][0]["id"], "observed_on": "2025-03-14", "status": "partly",
             "observed_change": "Deux réunions sur trois.", "evidence": [proof.pk], "confirmed_by_role": "gardien"}
    response = _post(client, f"{BASE}/change-paths/{body['id']}/journal", entry)
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == [proof.pk]
    listing = client.get(f"{BASE}/change-paths").json()
    assert listing["items"][0]["markers"][0]["status"] == "partly"
    assert [e["status"] for e in client.get(f"{BASE}/change-paths/{body['id']}/journal").json()] == ["partly"]


@pytest.mark.parametrize("body", [
    {"outcome_challenge": "Sans acteur."},
    PATH | {"markers": [{"level": "someday", "text": "x"}]},
    PATH | {"organisation": "inconnue"},
    PATH | {"outcome_challenge": ""},
])
def test_bad_change_paths_answer_422_with_a_message(client, initiative, member, body):
    response = _post(_as(client, member), f"{BASE}/change-paths", body)
    assert response.status_code == 422 and response.json()["detail"]


def test_bad_journal_entries_answer_422_with_a_message(client, initiative, member, paths):
    url = f"{BASE}/change-paths/{paths['public'].pk}/journal"
    marker = paths["public"].markers.get().pk
    other_marker = services_change.marker_add(path=paths["private"], level="like", text="x").pk
    for body in ({"marker": marker, "observed_on": "2025-01-01", "observed_change": "Sans statut."},
                 {"marker": other_marker, "observed_on": "2025-01-01", "status": "fully", "observed_change": "x"},
                 {"marker": marker, "observed_on": "2999-01-01", "status": "fully", "observed_change": "x"},
                 {"observed_on": "2025-01-01", "status": "fully", "observed_change": "Inattendu avec statut."},
                 {"marker": marker, "observed_on": "2025-01-01", "status": "fully", "observed_change": "x",
                  "evidence": [999999]},
                 {"marker": marker, "observed_on": "pas une date", "status": "fully", "observed_change": "x"}):
        response = _post(_as(client, member), url, body)
        assert response.status_code == 422 and response.json()["detail"], body


def test_the_sroi_answers_present_value_investment_ratio_and_sensitivity(client, initiative, member):
    response = _post(_as(client, member), f"{BASE}/sroi", SROI)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["label"] == "estimation"
    assert body["present_value"] == pytest.approx(6739.2) and body["investment"] == 4000
    assert body["ratio"] == pytest.approx(1.6848)
    assert body["outcomes"][0]["yearly_values"] == [5400, 2700, 1350]
    assert {row["assumption"] for row in body["sensitivity"]} >= {"deadweight", "drop_off", "discount_rate"}
    assert [e["id"] for e in client.get(f"{BASE}/sroi").json()] == [body["id"]]


def test_the_sroi_computes_without_saving_on_request(client, initiative, member):
    response = _post(_as(client, member), f"{BASE}/sroi", SROI | {"save": False})
    assert response.status_code == 200 and response.json()["id"] is None
    assert client.get(f"{BASE}/sroi").json() == []


@pytest.mark.parametrize("change", [
    {"investment": 0},
    {"discount_rate": 1.5},
    {"outcomes": []},
    {"outcomes": [OUTCOME | {"deadweight": 2}]},
    {"outcomes": [OUTCOME | {"attribution": -0.1}]},
    {"outcomes": [OUTCOME | {"quantity": "N/A"}]},
    {"outcomes": [OUTCOME | {"proxy_source": ""}]},
    {"outcomes": [OUTCOME | {"duration": 0}]},
    {"sensitivity_step": 0},
    {"outcomes": [OUTCOME | {"indicator": 123456}]},
])
def test_bad_sroi_inputs_answer_422_with_a_message(client, initiative, member, change):
    for save in (True, False):
        response = _post(_as(client, member), f"{BASE}/sroi", SROI | change | {"save": save})
        assert response.status_code == 422 and response.json()["detail"], (change, save, response.content)


def test_visitors_and_non_partners_see_only_published_items(client, initiative, paths, outsider, rival):
    for user in (None, outsider, rival):
        items = _as(client, user).get(f"{BASE}/change-paths").json()["items"]
        assert [item["actor"] for item in items] == ["La mairie"], user
        assert _as(client, user).get(f"{BASE}/change-paths/{paths['private'].pk}/journal").status_code == 404


def test_a_partner_sees_private_items(client, initiative, paths, member):
    items = _as(client, member).get(f"{BASE}/change-paths").json()["items"]
    assert {item["actor"] for item in items} == {"La mairie", "Les commerçants"}


@pytest.mark.parametrize(("who", "status"), [("visitor", 401), ("outsider", 403), ("rival", 403)])
def test_only_partners_write(client, initiative, paths, outsider, rival, who, status):
    user = {"visitor": None, "outsider": outsider, "rival": rival}[who]
    _as(client, user)
    entry = {"marker": paths["public"].markers.get().pk, "observed_on": "2025-01-01", "status": "fully",
             "observed_change": "x"}
    assert _post(client, f"{BASE}/change-paths", PATH).status_code == status
    assert _post(client, f"{BASE}/change-paths/{paths['public'].pk}/journal", entry).status_code == status
    assert _post(client, f"{BASE}/sroi", SROI).status_code == status
    assert _post(client, f"{BASE}/sroi", SROI | {"save": False}).status_code == status


def test_a_private_initiative_is_404_to_others_on_every_channel(client, initiative, paths, outsider, rival):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    for user in (None, outsider, rival):
        _as(client, user)
        assert client.get(f"{BASE}/change-paths").status_code == 404
        assert client.get(f"{BASE}/sroi").status_code == 404
        assert client.get(f"{BASE}/change-paths/{paths['public'].pk}/journal").status_code == 404
    assert _post(_as(client, outsider), f"{BASE}/sroi", SROI).status_code == 404


def test_a_path_about_a_partner_waits_for_its_approval(client, initiative, member):
    partner_b = OrganisationFactory(name="Partenaire B", slug="partenaire-b")
    PartnershipFactory(initiative=initiative, organisation=partner_b)
    response = _post(_as(client, member), f"{BASE}/change-paths",
                     {"organisation": "partenaire-b", "outcome_challenge": "B ouvre ses portes.", "markers": []})
    assert response.status_code == 201
    state = publication.publication_request(member, ChangePath.objects.get(pk=response.json()["id"]))
    assert state.as_dict()["waiting_for"] == ["partenaire-b"]
    assert _as(client, None).get(f"{BASE}/change-paths").json()["items"] == []
