"""The query contract, run against every backend available on this database."""

import pytest
from django.http import QueryDict

from catalyse.search.queries import SearchParams, search_run

from .conftest import initiative, organisation

pytestmark = pytest.mark.django_db


def find(backend, q="", anonymous=True, **params):
    from django.contrib.auth.models import AnonymousUser

    data = QueryDict(mutable=True)
    data["q"] = q
    for k, v in params.items():
        data.setlist(k, v if isinstance(v, list) else [v])
    return search_run(AnonymousUser(), SearchParams.from_query_dict(data), backend=backend)


def titles(results):
    return [h.title for h in results.hits]


@pytest.fixture
def corpus(reindex):
    initiative("Maisons rénovées par une coopérative", "Des logements rénovées avec les habitants",
               themes=["logement"], sdgs=[11], places=["62528"], stage="experimentation")
    initiative("Alliance pour la mobilité rurale", "Covoiturage et transport solidaire entre villages",
               themes=["mobilite"], sdgs=[11], places=["59350"])
    initiative("Tiers-lieu créé par les habitants", "Un lieu de coopération territoriale et de culture",
               themes=["culture"], sdgs=[4], places=["69123"])
    initiative("Club de sport solidaire", "Coopération sportive pour les jeunes", themes=["jeunesse"],
               places=["59350"])
    organisation("Coopératives territoriales du Nord", "Nous coopérons avec les collectivités territoriales.")
    return reindex()


def test_stemming_matches_inflected_forms(corpus):
    assert titles(find(corpus, "rénover")) == ["Maisons rénovées par une coopérative"]
    assert titles(find(corpus, "créer")) == ["Tiers-lieu créé par les habitants"]


def test_accents_are_optional_in_queries(corpus):
    assert titles(find(corpus, "renovees")) == ["Maisons rénovées par une coopérative"]
    assert titles(find(corpus, "mobilite")) == ["Alliance pour la mobilité rurale"]


def test_cooperation_finds_cooperer_and_cooperatives(corpus):
    found = set(titles(find(corpus, "coopération")))
    assert {"Maisons rénovées par une coopérative", "Coopératives territoriales du Nord",
            "Tiers-lieu créé par les habitants"} <= found


def test_territoire_finds_territoriales(corpus):
    assert "Coopératives territoriales du Nord" in titles(find(corpus, "territoire"))


def test_stop_words_alone_do_not_filter(corpus):
    assert find(corpus, "à été").total == find(corpus, "").total


def test_all_words_are_required(corpus):
    assert titles(find(corpus, "coopération sport")) == ["Club de sport solidaire"]


def test_title_ranks_above_summary_above_body(reindex):
    initiative("Un projet", "Un résumé", recit="Le mot permaculture est dans le récit seulement.")
    initiative("Permaculture au village", "Un résumé")
    initiative("Un autre projet", "Un résumé sur la permaculture")
    assert titles(find(reindex(), "permaculture")) == ["Permaculture au village", "Un autre projet", "Un projet"]


def test_quoted_phrase_needs_adjacent_words(corpus):
    assert titles(find(corpus, '"transport solidaire"')) == ["Alliance pour la mobilité rurale"]
    assert find(corpus, '"solidaire transport"').total == 0


def test_prefix_autocompletes(corpus):
    assert "Alliance pour la mobilité rurale" in titles(find(corpus, "alli*"))


def test_exclusion_removes_matches(corpus):
    found = titles(find(corpus, "coopération -sport"))
    assert "Club de sport solidaire" not in found and found


def test_typo_tolerance_with_did_you_mean(corpus):
    res = find(corpus, "cooperaton")
    assert res.total >= 3
    assert res.suggestion and "coop" in res.suggestion


def test_short_words_get_no_typo_correction(corpus):
    assert find(corpus, "spot").total == 0


def test_snippets_mark_matches_and_escape_html(reindex):
    initiative("Atelier <b>réparation</b>", "Réparer les vélos <script>x</script> ensemble")
    res = find(reindex(), "réparations")
    hit = res.hits[0]
    assert "<mark>Réparer</mark> les vélos" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&lt;b&gt;<mark>réparation</mark>&lt;/b&gt;" in hit.title_html


def test_facets_count_the_whole_result_set(corpus):
    res = find(corpus, "", limit="1")
    assert dict(res.facets["kind"]) == {"initiative": 4, "organisation": 1}
    assert dict(res.facets["themes"])["mobilite"] == 1
    assert dict(res.facets["departement"])["59"] >= 2


def test_facet_filters(corpus):
    assert titles(find(corpus, "", theme="culture")) == ["Tiers-lieu créé par les habitants"]
    assert find(corpus, "", theme=["culture", "mobilite"]).total == 2  # repeated: either value
    assert find(corpus, "", kind="organisation").total == 1
    assert titles(find(corpus, "", stade="experimentation")) == ["Maisons rénovées par une coopérative"]
    assert find(corpus, "", odd="11").total == 2


def test_territory_filter_includes_descendants(corpus):
    in_hdf = set(titles(find(corpus, "", territory="region:32", kind="initiative")))
    assert in_hdf == {"Maisons rénovées par une coopérative", "Alliance pour la mobilité rurale",
                      "Club de sport solidaire"}
    assert titles(find(corpus, "", territory="departement:69")) == ["Tiers-lieu créé par les habitants"]


def test_radius_around_a_point_and_distance_sort(reindex):
    organisation("Atelier proche", latitude=50.45, longitude=2.80)
    organisation("Atelier un peu plus loin", latitude=50.60, longitude=3.06)
    organisation("Atelier lointain", latitude=43.30, longitude=5.37)
    backend = reindex()
    res = find(backend, "atelier", near="50.43,2.83", radius="40", sort="distance")
    assert titles(res) == ["Atelier proche", "Atelier un peu plus loin"]
    assert res.hits[0].distance_km < res.hits[1].distance_km
    assert res.total == 2


def test_radius_facets_count_exactly_the_documents_within_the_circle(reindex):
    organisation("Atelier proche", latitude=50.45, longitude=2.80)
    organisation("Atelier lointain", latitude=43.30, longitude=5.37)
    initiative("Atelier vélo lillois", places=["59350"])  # placed at Lille's centre, 27 km away
    res = find(reindex(), "atelier", near="50.43,2.83", radius="40")
    assert res.total == 2
    assert dict(res.facets["kind"]) == {"organisation": 1, "initiative": 1}


def test_recency_sort(reindex):
    a = initiative("Jardin partagé ancien")
    initiative("Jardin partagé récent")
    type(a).objects.filter(pk=a.pk).update(updated_at="2020-01-01T00:00:00Z")
    res = find(reindex(), "jardin", sort="recency")
    assert titles(res) == ["Jardin partagé récent", "Jardin partagé ancien"]


def test_pagination_gives_disjoint_pages(reindex):
    for n in range(7):
        initiative(f"Potager numéro {n}")
    backend = reindex()
    pages = [titles(find(backend, "potager", limit="3", offset=str(o))) for o in (0, 3, 6)]
    flat = [t for p in pages for t in p]
    assert len(flat) == 7 == len(set(flat))


def test_fair_exposure_rotates_equal_scores_by_day(reindex, monkeypatch):
    import datetime as dt

    from catalyse.search import queries

    for n in range(12):
        initiative(f"Épicerie solidaire {n}", summary="Épicerie solidaire")
    backend = reindex()
    firsts = set()
    for day in range(1, 6):
        monkeypatch.setattr(queries.timezone, "localdate", lambda d=day: dt.date(2026, 1, d))
        res = find(backend, "épicerie", limit="3")
        assert res.total == 12
        firsts.add(res.hits[0].title)
        assert titles(find(backend, "épicerie", limit="3")) == titles(res)  # stable within a day
    assert len(firsts) > 1


def test_facets_of_one_kind_are_counted_on_that_kind_only(corpus):
    mixed = find(corpus, "")
    assert sum(n for _, n in mixed.facets["profile"]) == 1
    assert dict(mixed.facets["themes"]) == {"logement": 1, "mobilite": 1, "culture": 1, "jeunesse": 1}
    initiatives = find(corpus, "", kind="initiative")
    assert initiatives.facets["trades"] == [] and dict(initiatives.facets["themes"])["culture"] == 1
    organisations = find(corpus, "", kind="organisation")
    assert organisations.facets["themes"] == [] and sum(n for _, n in organisations.facets["profile"]) == 1


def test_kinds_fill_only_the_fields_they_declare(reindex):
    """Engines skip counting a facet when the kind filter excludes every kind declaring it: a kind's builder
    must fill no other field."""
    from catalyse.initiatives.tests.factories import PartnershipFactory
    from catalyse.search.registry import Facet, indexed_kinds

    partner = organisation("Atelier partenaire")
    PartnershipFactory(initiative=initiative("Jardin partagé", themes=["alimentation"], sdgs=[2]),
                       organisation=partner)
    for kind in indexed_kinds().values():
        declared = {f.name for f in kind.fields if isinstance(f, Facet)}
        dates = {f.name for f in kind.fields if not isinstance(f, Facet)}
        for doc in kind.documents():
            assert set(doc.terms) <= declared and set(doc.dates) <= dates, doc.doc_id
