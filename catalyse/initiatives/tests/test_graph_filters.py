"""Filters of the partnership graph: period, theme, territory (with what it contains), around an organisation."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from catalyse.actors.models import PublicationStatus
from catalyse.initiatives.graph import GraphFilterError, GraphFilters, graph_for
from catalyse.territories.models import Level, Territory

from .graph_data import alliance, organisations

pytestmark = pytest.mark.django_db

D = datetime.date


def titles(**params) -> set[str]:
    filters = GraphFilters.from_params(params, AnonymousUser())
    return {a["title"] for a in graph_for(AnonymousUser(), filters)["measures"]["alliances"]}


def territory(level: str, code: str) -> Territory:
    return Territory.objects.get(level=level, code=code, kind="current")


@pytest.fixture
def network():
    a, b, c, d = organisations("Alpha", "Beta", "Gamma", "Delta")
    alliance("Ancienne", (a, D(2015, 1, 1), D(2017, 6, 30)), (b, D(2016, 1, 1), D(2018, 1, 1)))
    alliance("Récente", (b, D(2022, 1, 1), None), (c, D(2022, 3, 1), None), themes=("sante",),
             territories=[territory(Level.COMMUNE, "62498")])  # Lens, in the Pas-de-Calais
    alliance("Sans dates propres", a, d, start=D(2019, 1, 1), end=D(2020, 12, 31), themes=("emploi",),
             territories=[territory(Level.DEPARTEMENT, "59")])
    return a, b, c, d


def test_without_filters_every_public_alliance_is_drawn(network):
    assert titles() == {"Ancienne", "Récente", "Sans dates propres"}


def test_since_keeps_partnerships_still_running_after_that_day(network):
    assert titles(since="2021-01-01") == {"Récente"}


def test_until_keeps_partnerships_started_before_that_day(network):
    assert titles(until="2016-12-31") == {"Ancienne"}


def test_partnership_without_dates_takes_its_initiative_dates(network):
    assert titles(since="2019", until="2019") == {"Sans dates propres"}
    assert "Sans dates propres" not in titles(since="2021")


def test_period_only_keeps_the_partners_present_during_it(network):
    # In 2015 only Alpha had joined "Ancienne": one node, no edge.
    filters = GraphFilters.from_params({"since": "2015-01-01", "until": "2015-12-31"}, AnonymousUser())
    payload = graph_for(AnonymousUser(), filters)
    assert [n["id"] for n in payload["nodes"]] == ["alpha"] and payload["edges"] == []


def test_theme_filter(network):
    assert titles(theme="sante") == {"Récente"}


def test_territory_filter_includes_what_the_territory_contains(network):
    assert titles(territory="departement:62") == {"Récente"}
    assert titles(territory="region:32") == {"Récente", "Sans dates propres"}
    assert titles(territory="departement:59") == {"Sans dates propres"}


def test_french_parameter_names_work_too(network):
    assert titles(territoire="departement:62", depuis="2021") == {"Récente"}


def test_organisation_filter_gives_its_ego_network(network):
    _, b, _, _ = network
    payload = graph_for(AnonymousUser(), GraphFilters(organisation=b))
    assert {n["id"] for n in payload["nodes"]} == {"alpha", "beta", "gamma"}


@pytest.mark.parametrize("params, message", [
    ({"theme": "inconnu"}, "Thème inconnu"),
    ({"territory": "departement:999"}, "Territoire inconnu"),
    ({"territory": "planete:1"}, "Territoire inconnu"),
    ({"since": "2020-13-01"}, "Date invalide"),
    ({"since": "2021", "until": "2020"}, "postérieure"),
])
def test_bad_filters_are_readable_errors(params, message):
    with pytest.raises(GraphFilterError, match=message):
        GraphFilters.from_params(params, AnonymousUser())


def test_an_organisation_the_person_may_not_see_is_not_found():
    (hidden,) = organisations("En attente", status=PublicationStatus.PENDING)
    with pytest.raises(Http404):
        GraphFilters.from_params({"organisation": hidden.slug}, AnonymousUser())


def test_filters_round_trip_through_query_parameters(network):
    filters = GraphFilters.from_params({"since": "2020-02-03", "theme": "sante", "territory": "departement:62"},
                                       AnonymousUser())
    assert filters.as_params() == {"depuis": "2020-02-03", "theme": "sante", "territoire": "departement:62"}
    assert GraphFilters.from_params(filters.as_params(api=True), AnonymousUser()) == filters


def test_a_selection_too_large_to_draw_asks_to_narrow_it(network, monkeypatch, client):
    from catalyse.initiatives import graph

    monkeypatch.setattr(graph, "MAX_PARTNERSHIPS", 3)
    with pytest.raises(GraphFilterError, match="choisissez un territoire plus petit"):
        graph_for(AnonymousUser(), GraphFilters())
    assert client.get("/api/v1/graph").status_code == 422
    assert titles(territory="departement:62") == {"Récente"}
