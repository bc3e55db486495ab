"""Private alliances never leak into the graph: not in its data, the page, the API nor the CSV export."""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import MembershipFactory
from catalyse.initiatives.graph import GraphFilters, graph_for
from catalyse.initiatives.models import Visibility

from .graph_data import alliance, organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(org):
    """`org` (whose member and owner are the fixtures' users) is a public partner of Alpha and a secret partner
    of Beta in a partners-only alliance; Gamma and Delta share a members-only alliance."""
    alpha, beta, gamma, delta = organisations("Alpha", "Beta", "Gamma", "Delta")
    alliance("Alliance publique", org, alpha)
    alliance("Alliance confidentielle", org, beta, visibility=Visibility.PARTNERS)
    alliance("Alliance du réseau", gamma, delta, visibility=Visibility.MEMBERS)
    return org


def pairs(payload) -> set[frozenset]:
    return {frozenset((e["source"], e["target"])) for e in payload["edges"]}


def node_ids(payload) -> set[str]:
    return {n["id"] for n in payload["nodes"]}


SECRET = frozenset(("alliance-d-essai", "beta"))


@pytest.fixture(autouse=True)
def _org_slug(org):
    org.slug = "alliance-d-essai"
    org.save()


def test_visitor_sees_only_public_alliances(network):
    payload = graph_for(AnonymousUser(), GraphFilters())
    assert pairs(payload) == {frozenset(("alliance-d-essai", "alpha"))}
    assert "beta" not in node_ids(payload) and "gamma" not in node_ids(payload)
    assert [a["title"] for a in payload["measures"]["alliances"]] == ["Alliance publique"]


def test_outsider_sees_members_alliances_but_not_partners_only_ones(network, outsider):
    payload = graph_for(outsider, GraphFilters())
    assert SECRET not in pairs(payload)
    assert frozenset(("gamma", "delta")) in pairs(payload)
    assert "beta" not in node_ids(payload)


def test_member_of_a_partner_organisation_sees_the_partners_only_alliance(network, member):
    assert SECRET in pairs(graph_for(member, GraphFilters()))


def test_animator_sees_every_alliance(network, animator):
    assert len(pairs(graph_for(animator, GraphFilters()))) == 3


def test_unpublished_initiative_is_not_in_the_graph(network, animator):
    draft = alliance("Brouillon", *organisations("Epsilon", "Zeta"))
    draft.publication = PublicationStatus.DRAFT
    draft.save()
    assert "epsilon" not in node_ids(graph_for(animator, GraphFilters()))


def test_unpublished_organisation_is_hidden_from_people_outside_it(network, outsider):
    (hidden,) = organisations("Cachée", status=PublicationStatus.PENDING)
    alliance("Avec une organisation en attente", network, hidden)
    assert "cachee" not in node_ids(graph_for(outsider, GraphFilters()))
    insider = MembershipFactory(organisation=hidden).user
    assert "cachee" in node_ids(graph_for(insider, GraphFilters()))


def test_partners_only_alliance_is_absent_from_page_api_and_csv_for_a_visitor(network, client):
    for url in ("/graphe/", "/api/v1/graph", "/graphe/connexions.csv", "/graphe/elements.csv"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"alpha" in body, url
        assert b"beta" not in body and b"Alliance confidentielle" not in body, url


def test_partners_only_alliance_is_absent_from_page_api_and_csv_for_an_outsider(network, client, outsider):
    client.force_login(outsider)
    for url in ("/graphe/", "/api/v1/graph", "/graphe/connexions.csv", "/graphe/elements.csv"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"beta" not in body and b"Alliance confidentielle" not in body, url


def test_partners_only_alliance_is_in_the_api_for_its_partners(network, client, member):
    client.force_login(member)
    data = client.get("/api/v1/graph").json()
    assert SECRET in pairs(data)


def test_ego_network_of_an_organisation_hides_its_secret_alliance_from_visitors(network, client):
    data = client.get("/api/v1/graph", {"organisation": "alliance-d-essai"}).json()
    assert node_ids(data) == {"alliance-d-essai", "alpha"}
