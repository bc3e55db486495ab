import pytest

from catalyse.territories.queries import territories_search

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
