"""Graph measures on small graphs whose answers are known by hand (no database)."""

import math

import networkx as nx
import pytest

from catalyse.initiatives import graph as g


def rows(*alliances):
    """Partnership rows (see graph.ROW_FIELDS) from alliances given as {initiative: [(org, profile), ...]}."""
    out = []
    for number, members in enumerate(alliances, start=1):
        for org, profile in members:
            out.append((number, f"init-{number}", f"Initiative {number}", ord(org), org, org.upper(), profile))
    return out


def path_abc():
    return g.graph_build(rows([("a", "public"), ("b", "entreprise")], [("b", "entreprise"), ("c", "academique")]))


def test_path_middle_node_has_the_highest_betweenness_and_is_a_bridge():
    graph, _ = path_abc()
    centrality, samples = g.betweenness(graph)
    assert samples is None
    assert centrality == {ord("a"): 0.0, ord("b"): 1.0, ord("c"): 0.0}
    assert g.bridging_actors(graph, centrality) == [ord("b")]


def test_star_centre_has_degree_n_minus_one_and_leaves_degree_one():
    graph, _ = g.graph_build(rows(*[[("h", "public"), (leaf, "entreprise")] for leaf in "wxyz"]))
    assert dict(graph.degree()) == {ord("h"): 4, ord("w"): 1, ord("x"): 1, ord("y"): 1, ord("z"): 1}
    centrality, _ = g.betweenness(graph)
    assert centrality[ord("h")] == 1.0
    assert g.bridging_actors(graph, centrality) == [ord("h")]


def test_edge_weight_counts_shared_initiatives_once_per_initiative():
    same_pair_twice = rows([("a", "public"), ("b", "public")], [("a", "public"), ("b", "public")])
    # A partnership that ended and restarted is two rows for the same initiative: it counts once.
    same_pair_twice.append(same_pair_twice[0])
    graph, alliances = g.graph_build(same_pair_twice)
    assert graph[ord("a")][ord("b")]["weight"] == 2
    assert graph.nodes[ord("a")]["initiatives"] == 2
    assert len(alliances) == 2


def test_alliance_of_three_makes_a_triangle_without_bridges():
    graph, _ = g.graph_build(rows([("a", "public"), ("b", "public"), ("c", "public")]))
    assert graph.number_of_edges() == 3
    centrality, _ = g.betweenness(graph)
    assert g.bridging_actors(graph, centrality) == []


def test_mixite_is_zero_for_a_single_profile():
    assert g.mixite(["public", "public", "public"]) == 0.0


def test_mixite_is_one_when_partners_cover_the_six_profiles_evenly():
    profiles = ["public", "interet_general", "entreprise", "academique", "accompagnateur", "reseau_national"]
    assert g.mixite(profiles * 2) == 1.0


def test_mixite_of_two_profiles_half_and_half_is_log2_over_log6():
    assert g.mixite(["public", "entreprise"]) == round(math.log(2) / math.log(6), 4)


def test_mixite_rewards_evenness_between_the_same_profiles():
    assert g.mixite(["public", "public", "public", "entreprise"]) < g.mixite(["public", "public", "entreprise",
                                                                              "entreprise"])


def test_mixite_of_nobody_is_zero():
    assert g.mixite([]) == 0.0


def test_payload_has_nodes_edges_and_measures():
    graph, alliances = path_abc()
    payload = g.graph_payload(graph, alliances)
    by_id = {n["id"]: n for n in payload["nodes"]}
    assert by_id["b"]["degree"] == 2 and by_id["b"]["articulation"] is True
    assert by_id["a"]["colour"] == g.PROFILE_COLOURS["public"]
    assert payload["nodes"][0]["id"] == "b"  # highest betweenness first
    assert {(e["source"], e["target"], e["weight"]) for e in payload["edges"]} == {("a", "b", 1), ("b", "c", 1)}
    measures = payload["measures"]
    assert measures["node_count"] == 3 and measures["edge_count"] == 2 and measures["components"] == 1
    assert measures["bridging_actors"] == ["b"]
    assert measures["mixed_edge_share"] == 1.0
    assert [a["mixite"] for a in measures["alliances"]] == [g.mixite(["x", "y"])] * 2
    assert {p["code"]: p["count"] for p in measures["profiles"]}["entreprise"] == 1


def test_empty_graph_gives_an_empty_payload():
    payload = g.graph_payload(nx.Graph(), {})
    assert payload["nodes"] == [] and payload["edges"] == []
    assert payload["measures"]["node_count"] == 0 and payload["measures"]["mixite_average"] == 0.0


@pytest.mark.parametrize("graph", [nx.path_graph(7), nx.star_graph(5), nx.karate_club_graph(),
                                   nx.barbell_graph(5, 2), nx.gnm_random_graph(60, 150, seed=3),
                                   nx.disjoint_union(nx.cycle_graph(6), nx.complete_graph(4))])
def test_betweenness_is_the_same_as_networkx(graph):
    ours, samples = g.betweenness(graph)
    assert samples is None
    expected = nx.betweenness_centrality(graph, normalized=True)
    assert ours == pytest.approx(expected, abs=1e-12)


def test_large_graph_betweenness_is_sampled_with_a_fixed_seed(monkeypatch):
    graph = nx.path_graph(100)  # exact work: 100 sources × (100 nodes + 2 × 99 links) = 19,900
    monkeypatch.setattr(g, "BETWEENNESS_BUDGET", 19_900 // 4)
    first, samples = g.betweenness(graph)
    assert samples == 25
    assert first == g.betweenness(graph)[0]
    assert max(first, key=first.get) in range(30, 70)
    exact = nx.betweenness_centrality(graph, normalized=True)
    assert first[50] == pytest.approx(exact[50], rel=0.35)


@pytest.mark.parametrize("raw, end, expected", [("2021", False, "2021-01-01"), ("2021", True, "2021-12-31"),
                                                ("2022-03-04", False, "2022-03-04")])
def test_dates_accept_a_day_or_a_year(raw, end, expected):
    assert g._parse_day(raw, end=end).isoformat() == expected


@pytest.mark.parametrize("raw", ["hier", "0000", "2021-02-30", "20210101x"])
def test_a_bad_date_is_a_readable_error(raw):
    with pytest.raises(g.GraphFilterError, match="Date invalide"):
        g._parse_day(raw, end=False)
