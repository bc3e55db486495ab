"""The analysis order (stem before folding) on both engines, and facet counts against the database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative
from catalyse.search.analysis import analyse
from catalyse.search.queries import SearchParams, search_run

from .conftest import initiative, organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("a", "b"), [("rénovées", "rénover"), ("créée", "créer"), ("coopératives", "coopérer")])
def test_inflected_pairs_share_a_term(a, b):
    assert analyse(a) == analyse(b)


def test_a_and_ete_are_stop_words_with_or_without_accents():
    assert analyse("à a été ete") == []


def test_folding_after_stemming_differs_from_folding_first():
    """The french_unaccent flaw: folding first gives "renove" for "rénovées" but "renov" for "rénover"."""
    assert analyse("rénovées") == ["renov"]


@pytest.mark.parametrize(("doc", "query"), [("rénovées", "rénover"), ("créée", "créer")])
def test_pairs_match_on_the_engine(reindex, doc, query):
    initiative(f"Salles {doc} du village")
    res = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(f"q={query}")), backend=reindex())
    assert res.total == 1


@pytest.mark.postgres
def test_postgres_french_unaccent_configuration_would_lose_the_pairs():
    """Why we do not use the widely copied configuration: folding first breaks the stemmer."""
    with connection.cursor() as c:
        c.execute("SELECT to_tsvector('french', 'rénovées')::text, to_tsvector('french', 'renovees')::text")
        accented, folded = c.fetchone()
    assert accented != folded


def test_facet_counts_match_brute_force_database_counts(reindex):
    for n in range(6):
        initiative(f"Verger {n}", themes=["alimentation"] + (["sante"] if n % 2 else []), sdgs=[2, 3][: 1 + n % 2],
                   places=["59350" if n % 3 else "69123"], stage=["emergence", "essaimage"][n % 2])
    organisation("Verger associatif", profile="entreprise")
    res = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=verger")), backend=reindex())
    inits = Initiative.objects.filter(title__startswith="Verger")
    assert dict(res.facets["kind"]) == {"initiative": inits.count(), "organisation": 1}
    assert dict(res.facets["themes"]) == {
        "alimentation": inits.filter(themes__code="alimentation").count(),
        "sante": inits.filter(themes__code="sante").count()}
    assert dict(res.facets["sdgs"]) == {"2": inits.filter(sdgs=2).count(), "3": inits.filter(sdgs=3).count()}
    assert dict(res.facets["stage"]) == {s: inits.filter(stage=s).count() for s in ("emergence", "essaimage")}
    orgs_in_59 = Organisation.objects.filter(name__startswith="Verger", departement__code="59").count()
    assert dict(res.facets["departement"])["59"] == inits.filter(territories__departement__code="59").count() + \
        orgs_in_59
    assert dict(res.facets["profile"]) == {"entreprise": 1}


def test_initiative_facets_stay_exact_when_initiatives_are_a_minority(reindex):
    """Tantivy counts themes, SDGs and stage over the initiatives' matches only when they are a minority of
    the index (a shorter walk): the counts must not change."""
    for n in range(7):
        organisation(f"Compost collectif {n}", profile=["association", "entreprise"][n % 2])
    initiative("Compost partagé", themes=["alimentation"], sdgs=[12], stage="emergence")
    initiative("Compost des écoles", themes=["alimentation", "education"], sdgs=[4, 12], stage="essaimage")
    res = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=compost")), backend=reindex())
    assert dict(res.facets["kind"]) == {"organisation": 7, "initiative": 2}
    assert dict(res.facets["themes"]) == {"alimentation": 2, "education": 1}
    assert dict(res.facets["sdgs"]) == {"12": 2, "4": 1}
    assert dict(res.facets["stage"]) == {"emergence": 1, "essaimage": 1}
    assert dict(res.facets["profile"])["association"] == 4
    filtered = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=compost&theme=education")),
                          backend=reindex())
    assert filtered.total == 1 and dict(filtered.facets["themes"]) == {"alimentation": 1, "education": 1}
