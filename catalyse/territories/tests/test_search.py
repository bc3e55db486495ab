import json
from pathlib import Path

import pytest

from catalyse.territories.queries import territories_search, territories_search_tolerant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["loos en gohelle", "LOOS-EN-GOHELLE", "Loos en Gohèlle", "62750", "62528"])
def test_loos_en_gohelle_is_found_by_name_postal_code_or_insee_code(query):
    first = territories_search(query).first()
    assert (first.level, first.code) == ("commune", "62528")


def test_courcy_lists_the_three_communes_of_that_name_with_their_departement():
    exact = [t for t in territories_search("Courcy")[:10] if t.name == "Courcy"]
    assert sorted(t.label for t in exact) == ["Courcy (14)", "Courcy (50)", "Courcy (51)"]
    assert [t.name for t in territories_search("courcy")[:3]] == ["Courcy"] * 3


def test_a_word_inside_a_name_matches_from_its_start():
    names = [t.name for t in territories_search("gohelle")[:20]]
    assert "Loos-en-Gohelle" in names
    assert "Loos-en-Gohelle" not in [t.name for t in territories_search("ohelle")[:50]]


def test_search_by_level_and_departement_code():
    results = territories_search("62", level="departement")
    assert [t.name for t in results] == ["Pas-de-Calais"]


def test_former_communes_are_hidden_by_default():
    assert all(t.is_current for t in territories_search("lyon")[:50])


LABELLED = Path(__file__).resolve().parents[3] / "bench" / "search_labelled.json"
TERRITORY_CASES = [c for c in json.loads(LABELLED.read_text())["front_door"] if "territory" in c]


@pytest.mark.parametrize("case", TERRITORY_CASES, ids=[c["q"] for c in TERRITORY_CASES])
def test_front_door_territory_cases(case):
    found, _corrected = territories_search_tolerant(case["q"])
    assert case["territory"] in [t.name for t in found[:5]], case["why"]


def test_st_and_ste_stand_for_saint_and_sainte():
    assert territories_search("St Omer").first().name == "Saint-Omer"
    assert territories_search("ste-marie-aux-mines").first().name == "Sainte-Marie-aux-Mines"


def test_one_typo_is_tolerated_and_said_only_when_nothing_else_matches():
    found, corrected = territories_search_tolerant("Lile")
    assert (found.first().name, corrected) == ("Lille", "Lille")
    assert territories_search_tolerant("Lille")[1] == ""
    assert territories_search_tolerant("Xqzwv")[0].count() == 0


def test_the_search_page_says_when_it_corrected_or_found_nothing(client):
    html = client.get("/territoires/", {"q": "Lile"}).content.decode()
    assert "voici les résultats pour « Lille »" in html and "/territoires/commune/59350/" in html
    html = client.get("/territoires/", {"q": "Xqzwv"}).content.decode()
    assert "Aucun territoire ne correspond à « Xqzwv »" in html


def test_the_api_tolerates_a_typo(client):
    assert client.get("/api/v1/territories", {"q": "Lile", "level": "commune"}).json()["items"][0]["name"] == "Lille"
