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


def test_multi_valued_profile_and_trade_counts_are_per_value(reindex):
    """Tantivy counts profiles and trades through one "a|b" combination per document, then adds them up per
    value: a document with two values counts once for each, and filters still match single values."""
    from catalyse.actors.models import Trade
    from catalyse.initiatives.tests.factories import PartnershipFactory

    lieu, dialogue = Trade.objects.get(code="gestion-lieu"), Trade.objects.get(code="dialogue-territorial")
    orgs = [organisation(f"Compost collectif {n}", profile=["interet_general", "entreprise"][n % 2]) for n in range(5)]
    for n, org in enumerate(orgs):
        org.trades.set([lieu, dialogue][: 1 + n % 2] if n < 4 else [])
    both = initiative("Compost partagé", themes=["alimentation"])
    PartnershipFactory(initiative=both, organisation=orgs[0])
    PartnershipFactory(initiative=both, organisation=orgs[1])
    res = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=compost")), backend=reindex())
    assert dict(res.facets["kind"]) == {"organisation": 5, "initiative": 1}
    assert dict(res.facets["profile"]) == {"interet_general": 3 + 1, "entreprise": 2 + 1}
    assert dict(res.facets["trades"]) == {"gestion-lieu": 4, "dialogue-territorial": 2}
    by_trade = search_run(AnonymousUser(), SearchParams.from_query_dict(
        QueryDict("q=compost&metier=dialogue-territorial")), backend=reindex())
    assert by_trade.total == 2 and dict(by_trade.facets["trades"]) == {"gestion-lieu": 2, "dialogue-territorial": 2}
