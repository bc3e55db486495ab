"""The partnership graph: organisations (nodes) linked by the initiatives they share (edges, weighted by the
number of shared initiatives), and its measures.

Reads only. Every channel — the /graphe/ page, the API, the embeds on organisation and territory pages and
the CSV export — goes through `graph_for(user, filters)`, which takes the partnerships of published
initiatives the person may see (`permissions.visible_queryset`) with organisations the person may see: a
members-only or partners-only initiative never adds a node or an edge for someone who may not read it.
Selections of more than MAX_PARTNERSHIPS partnerships are refused with a message asking to narrow them.

The graph is a networkx graph; the measures are pure functions of it, tested on small graphs whose answers
are known by hand:

- degree: number of distinct partners; strength: sum of edge weights (shared initiatives, counted per pair);
- betweenness: share of shortest paths between two other organisations that pass through this one
  (unweighted: one shared initiative is enough to know each other), normalised like networkx's
  `betweenness_centrality(normalized=True)`. Computed by Brandes' algorithm on integer adjacency lists, each
  search walking only its source's component — the same figures as networkx (tested), 2.5 times faster and
  more on a graph of many small alliances. Exact while the work fits BETWEENNESS_BUDGET, otherwise estimated
  from a sample of source nodes (fixed seed, so the same data gives the same figures; the number of sources
  is reported): a département-sized graph (≤ 2,000 nodes) stays well under a second;
- bridging actors: articulation points (networkx; removing one cuts the network in pieces) and the
  organisations with the highest betweenness;
- mixité of an alliance (an initiative's partners): the Shannon entropy of the partners' profiles divided by
  its maximum, ln(6) for the six profiles. 0 = every partner has the same profile; 1 = the partners are spread
  evenly over the six profiles. Two partners of two different profiles score ln 2 / ln 6 ≈ 0.39. (Normalising
  by ln 6 rather than by the alliance's size keeps scores comparable between small and large alliances.)
"""

from __future__ import annotations

import datetime
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from catalyse.actors.models import Organisation, Profile, PublicationStatus
from catalyse.core import permissions
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Territory

from .models import Initiative, Partnership, Theme

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PROFILE_COLOURS: dict[str, str] = {
    Profile.PUBLIC_ACTOR: "#0072B2",
    Profile.GENERAL_INTEREST: "#009E73",
    Profile.COMPANY: "#E69F00",
    Profile.ACADEMIC: "#CC79A7",
    Profile.SUPPORT: "#56B4E9",
    Profile.NATIONAL_NETWORK: "#D55E00",
}
UNKNOWN_COLOUR = "#777777"

# Betweenness costs about sources × (nodes + 2 × links) of their component; this budget (about 0.2 s of CPU
# here) decides between the exact figure (every node a source) and an estimate from fewer sources.
BETWEENNESS_BUDGET = 400_000
BETWEENNESS_MIN_SAMPLES = 16
BETWEENNESS_SEED = 20_24
TOP_BETWEENNESS_BRIDGES = 5


# A département-sized graph has a few thousand partnerships; beyond this the drawing is unreadable and the
# measures too slow for a page, so the person is asked to narrow the selection.
MAX_PARTNERSHIPS = 20_000


class GraphFilterError(ValueError):
    """A filter value that cannot be understood, or a selection too large to draw; the message is French and
    meant for the user."""


def _parse_day(raw: str, *, end: bool) -> datetime.date:
    """`2021-03-15`, or a year `2021` (its first day for `since`, its last for `until`)."""
    raw = raw.strip()
    try:
        if re.fullmatch(r"\d{4}", raw):
            return datetime.date(int(raw), 12, 31) if end else datetime.date(int(raw), 1, 1)
        return datetime.date.fromisoformat(raw)
    except ValueError:  # includes the year 0000
        raise GraphFilterError(f"Date invalide : « {raw[:20]} » (attendu AAAA-MM-JJ ou AAAA).") from None


@dataclass(frozen=True)
class GraphFilters:
    """What the graph shows. Parameters have a French name (pages) and an English one (API)."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    theme: Theme | None = None
    territory: Territory | None = None
    organisation: Organisation | None = None

    ALIASES = {
        "since": ("depuis", "since"),
        "until": ("jusqua", "until"),
        "theme": ("theme",),
        "territory": ("territoire", "territory"),
        "organisation": ("organisation",),
    }

    @classmethod
    def from_params(cls, params: Mapping, user) -> GraphFilters:
        """Parse query parameters. Unknown values raise GraphFilterError; an organisation the person may not see
        raises Http404 like its page would."""

        def get(name: str) -> str:
            return next((str(params[k]).strip() for k in cls.ALIASES[name] if params.get(k)), "")

        since = _parse_day(raw, end=False) if (raw := get("since")) else None
        until = _parse_day(raw, end=True) if (raw := get("until")) else None
        if since and until and since > until:
            raise GraphFilterError("La date de début est postérieure à la date de fin.")
        theme = None
        if code := get("theme"):
            theme = Theme.objects.filter(code=code).first()
            if theme is None:
                raise GraphFilterError(f"Thème inconnu : « {code[:40]} ».")
        territory = None
        if raw := get("territory"):
            territory = territory_from_key(raw)
            if territory is None:
                raise GraphFilterError(
                    f"Territoire inconnu : « {raw[:40]} » (attendu niveau:code, ex. departement:62)."
                )
        organisation = None
        if slug := get("organisation"):
            organisation = permissions.get_visible_or_404(user, Organisation.objects.all(), slug=slug)
        return cls(since=since, until=until, theme=theme, territory=territory, organisation=organisation)

    def as_params(self, *, api: bool = False) -> dict[str, str]:
        """These filters as query parameters: French names for pages, English ones for the API."""
        values = {
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "theme": self.theme.code if self.theme else "",
            "territory": self.territory.key if self.territory else "",
            "organisation": self.organisation.slug if self.organisation else "",
        }
        return {self.ALIASES[k][-1 if api else 0]: v for k, v in values.items() if v}


# --- reading the partnerships --------------------------------------------------------------------------------

ROW_FIELDS = ("initiative_id", "initiative__slug", "initiative__title",
              "organisation_id", "organisation__slug", "organisation__name", "organisation__profile")


def visible_partnerships(user, filters: GraphFilters):
    """Partnerships of published initiatives that `user` may see, active at some point of the period. A
    partnership without dates takes its initiative's start and end dates. (Organisations are checked by
    `partnership_rows`.)"""
    initiatives = permissions.visible_queryset(
        user, Initiative.objects.filter(publication=PublicationStatus.PUBLISHED)
    )
    # Subqueries on the link tables rather than joins: the database then starts from the territory's (or the
    # theme's) links instead of probing them for every visible initiative (7 s instead of 50 ms on SQLite).
    if filters.theme is not None:
        initiatives = initiatives.filter(
            pk__in=Initiative.themes.through.objects.filter(theme=filters.theme).values("initiative_id")
        )
    if filters.territory is not None:
        below = Territory.objects.filter(filters.territory.descendants_q()).values("pk")
        initiatives = initiatives.filter(
            pk__in=Initiative.territories.through.objects.filter(territory__in=below).values("initiative_id")
        )
    qs = Partnership.objects.filter(initiative__in=initiatives.values("pk")).order_by()
    if filters.since is not None:
        qs = qs.annotate(ends=Coalesce("left_on", "initiative__end_date")).filter(
            Q(ends__isnull=True) | Q(ends__gte=filters.since)
        )
    if filters.until is not None:
        qs = qs.annotate(starts=Coalesce("joined_on", "initiative__start_date")).filter(
            Q(starts__isnull=True) | Q(starts__lte=filters.until)
        )
    if filters.organisation is not None:
        # The ego network: the alliances this organisation took part in during the period, with all their partners.
        qs = qs.filter(initiative__in=qs.filter(organisation=filters.organisation).values("initiative_id"))
    return qs


def partnership_rows(user, filters: GraphFilters) -> list[tuple]:
    """One tuple per visible partnership of a visible organisation, in the order of ROW_FIELDS;
    GraphFilterError beyond MAX_PARTNERSHIPS."""
    # A correlated EXISTS looks each organisation up by primary key; `organisation IN (visible organisations)`
    # made SQLite walk every published organisation first (seconds at national scale).
    organisation = Organisation.objects.filter(pk=OuterRef("organisation_id"))
    visible_organisation = permissions.visible_queryset(user, organisation)
    qs = visible_partnerships(user, filters).filter(Exists(visible_organisation))
    limit = MAX_PARTNERSHIPS
    rows = list(qs.values_list(*ROW_FIELDS)[: limit + 1])
    if len(rows) > limit:
        count = f"{limit:,}".replace(",", "\u202f")
        raise GraphFilterError(
            f"Plus de {count} participations correspondent : choisissez un territoire plus petit, un thème "
            "ou une période pour afficher le graphe."
        )
    return rows


# --- the graph and its measures (pure functions) -------------------------------------------------------------

@dataclass
class Alliance:
    """An initiative seen as the group of its partners."""

    slug: str
    title: str
    members: set[int] = field(default_factory=set)


def graph_build(rows: Iterable[tuple]) -> tuple[nx.Graph, dict[int, Alliance]]:
    """The weighted graph from partnership rows (see ROW_FIELDS). Several periods of the same organisation in
    the same initiative count once; an edge's weight is the number of initiatives the two share."""
    graph = nx.Graph()
    alliances: dict[int, Alliance] = {}
    for initiative_id, initiative_slug, title, org_id, org_slug, name, profile in rows:
        alliances.setdefault(initiative_id, Alliance(initiative_slug, title)).members.add(org_id)
        if org_id not in graph:
            graph.add_node(org_id, slug=org_slug, name=name, profile=profile, initiatives=0)
    shared: dict[tuple[int, int], list[int]] = {}  # pair → initiatives; one add_edges_from is 3× add_edge
    for initiative_id, alliance in alliances.items():
        for org_id in alliance.members:
            graph.nodes[org_id]["initiatives"] += 1
        for pair in combinations(sorted(alliance.members), 2):
            shared.setdefault(pair, []).append(initiative_id)
    graph.add_edges_from((a, b, {"weight": len(ids), "initiatives": ids}) for (a, b), ids in shared.items())
    return graph, alliances


def _brandes(adjacency: list[list[int]], sources: Iterable[int]) -> list[float]:
    """Brandes' accumulation of pair dependencies from `sources` (unweighted graph, integer nodes).

    The work arrays are allocated once and only the entries a search touched are reset, so a source costs the
    size of its own connected component, not of the whole graph (a département is many small alliances)."""
    n = len(adjacency)
    scores, delta = [0.0] * n, [0.0] * n
    sigma, distance = [0] * n, [-1] * n
    parents: list[list[int]] = [[] for _ in range(n)]
    for s in sources:
        sigma[s], distance[s], order = 1, 0, [s]
        i = 0
        while i < len(order):
            v = order[i]
            i += 1
            next_distance, paths = distance[v] + 1, sigma[v]
            for w in adjacency[v]:
                if distance[w] < 0:
                    distance[w] = next_distance
                    order.append(w)
                if distance[w] == next_distance:
                    sigma[w] += paths
                    parents[w].append(v)
        for w in reversed(order):
            share = (1.0 + delta[w]) / sigma[w]
            for v in parents[w]:
                delta[v] += sigma[v] * share
            if w != s:
                scores[w] += delta[w]
        for w in order:
            sigma[w], distance[w], delta[w] = 0, -1, 0.0
            parents[w].clear()
    return scores


def betweenness(graph: nx.Graph) -> tuple[dict, int | None]:
    """Normalised betweenness centrality and the number of sampled sources (None when exact)."""
    nodes = sorted(graph)  # a stable order: the same data draws the same sample
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0), None
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [[index[w] for w in graph[v]] for v in nodes]
    # A search from a node walks its connected component: the exact figure costs Σ size × links per component.
    work = sum(len(c) * (1 + sum(len(adjacency[index[v]]) for v in c)) for c in nx.connected_components(graph))
    k = None
    if work > BETWEENNESS_BUDGET:
        k = max(BETWEENNESS_MIN_SAMPLES, BETWEENNESS_BUDGET * n // work)
        k = None if k >= n else k
    sources = range(n) if k is None else random.Random(BETWEENNESS_SEED).sample(range(n), k)
    # Each pair is counted from both ends: dividing by (n-1)(n-2) gives the share of the (n-1)(n-2)/2 pairs.
    scale = 1 / ((n - 1) * (n - 2)) * (n / k if k else 1)
    scores = _brandes(adjacency, sources)
    return {node: scores[i] * scale for i, node in enumerate(nodes)}, k


def bridging_actors(graph: nx.Graph, centrality: Mapping, *, top: int = TOP_BETWEENNESS_BRIDGES,
                    articulation: set | None = None) -> list:
    """Articulation points (pass them if already computed), then the `top` nodes with the highest positive
    betweenness; highest first."""
    chosen = set(nx.articulation_points(graph)) if articulation is None else set(articulation)
    chosen |= {n for n in sorted(centrality, key=lambda n: -centrality[n])[:top] if centrality[n] > 0}
    return sorted(chosen, key=lambda n: (-centrality.get(n, 0), str(n)))


def mixite(profiles: Iterable[str], categories: int = len(Profile.values)) -> float:
    """Normalised Shannon entropy of a list of profiles (one per partner): 0 = a single profile,
    1 = partners spread evenly over all `categories` profiles."""
    counts = Counter(profiles)
    total = sum(counts.values())
    if total == 0 or categories < 2:
        return 0.0
    entropy = -sum(c / total * math.log(c / total) for c in counts.values())
    return round(entropy / math.log(categories), 4)


# --- what pages, API and exports receive ----------------------------------------------------------------------

def profile_legend(graph: nx.Graph) -> list[dict]:
    counts = Counter(data["profile"] for _, data in graph.nodes(data=True))
    return [{"code": code, "label": str(label), "colour": PROFILE_COLOURS[code], "count": counts.get(code, 0)}
            for code, label in Profile.choices]


def _detail_url(view: str):
    """`slug -> address` of a detail page, reversed once: reverse() for each of 2,000 nodes is measurable."""
    try:
        pattern = reverse(view, args=["__slug__"])
    except NoReverseMatch:  # a deployment without that app's pages: nodes are shown without links
        return lambda slug: ""
    return lambda slug: pattern.replace("__slug__", slug)


def graph_payload(graph: nx.Graph, alliances: Mapping[int, Alliance], *, edge_initiatives: bool = False) -> dict:
    """{nodes, edges, measures}: the JSON the page, the embeds and the API serve. The initiatives behind each
    link (`edge_initiatives`) are for the exports: they triple the size of a dense graph's JSON."""
    centrality, samples = betweenness(graph)
    articulation = set(nx.articulation_points(graph))
    bridges = bridging_actors(graph, centrality, articulation=articulation)
    profile_labels = {code: str(label) for code, label in Profile.choices}
    slug = nx.get_node_attributes(graph, "slug")
    organisation_url, initiative_url = _detail_url("actors:detail"), _detail_url("initiatives:detail")
    degree, strength = dict(graph.degree()), dict(graph.degree(weight="weight"))
    nodes = []
    for node, data in graph.nodes(data=True):
        nodes.append({
            "id": data["slug"],
            "label": data["name"],
            "profile": data["profile"],
            "profile_label": profile_labels.get(data["profile"], data["profile"]),
            "colour": PROFILE_COLOURS.get(data["profile"], UNKNOWN_COLOUR),
            "url": organisation_url(data["slug"]),
            "initiatives": data["initiatives"],
            "degree": degree[node],
            "strength": strength[node],
            "betweenness": round(centrality.get(node, 0.0), 5),
            "articulation": node in articulation,
        })
    nodes.sort(key=lambda n: (-n["betweenness"], -n["degree"], n["label"]))
    initiative_slug = {pk: a.slug for pk, a in alliances.items()}
    # networkx gives an undirected edge from whichever end it met first (the database's row order): written
    # from the lower organisation id, as the pairs were built, an export says the same thing each time.
    edges = [{"source": slug[min(a, b)], "target": slug[max(a, b)], "weight": d["weight"]}
             for a, b, d in graph.edges(data=True)]
    if edge_initiatives:
        for edge, (_, _, d) in zip(edges, graph.edges(data=True), strict=True):
            edge["initiatives"] = [initiative_slug[i] for i in d["initiatives"]]
    profile = nx.get_node_attributes(graph, "profile")
    alliance_rows = sorted(
        ({"id": a.slug, "title": a.title, "url": initiative_url(a.slug),
          "partners": len(a.members), "profiles": len({profile[m] for m in a.members}),
          "mixite": mixite(profile[m] for m in a.members)} for a in alliances.values()),
        key=lambda r: (-r["mixite"], -r["partners"], r["title"]),
    )
    mixed_edges = sum(1 for a, b in graph.edges if profile[a] != profile[b])
    return {
        "nodes": nodes,
        "edges": edges,
        "measures": {
            "node_count": graph.number_of_nodes(),
            "edge_count": graph.number_of_edges(),
            "initiative_count": len(alliances),
            "components": nx.number_connected_components(graph) if len(graph) else 0,
            "density": round(nx.density(graph), 5) if len(graph) > 1 else 0.0,
            "betweenness_samples": samples,
            "bridging_actors": [slug[n] for n in bridges],
            "mixed_edge_share": round(mixed_edges / graph.number_of_edges(), 4) if graph.number_of_edges() else 0.0,
            "mixite_average": round(sum(r["mixite"] for r in alliance_rows) / len(alliance_rows), 4)
            if alliance_rows else 0.0,
            "alliances": alliance_rows,
            "profiles": profile_legend(graph),
        },
    }


def graph_for(user, filters: GraphFilters, *, edge_initiatives: bool = False) -> dict:
    """The partnership graph `user` may see, filtered, as {nodes, edges, measures}."""
    graph, alliances = graph_build(partnership_rows(user, filters))
    return graph_payload(graph, alliances, edge_initiatives=edge_initiatives)
