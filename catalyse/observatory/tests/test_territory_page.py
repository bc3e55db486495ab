import pytest

from catalyse.initiatives.models import Theme
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.observatory import demo, queries
from catalyse.observatory.models import Direction, Indicator, IndicatorValue
from catalyse.territories.models import Level, Territory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_priority_rule_needs_fragility_and_few_initiatives():
    found = queries.priority_themes(
        {"emploi": 1.40, "sante": 1.20, "mobilite": 1.10, "economie": 1.50},
        {"emploi": 0, "sante": 2, "mobilite": 0, "economie": 3},
    )
    # mobilité: only 10 % worse; économie: fragile but already three initiatives
    assert [(p.theme, p.initiatives) for p in found] == [("emploi", 0), ("sante", 2)]


def test_fragility_follows_the_indicator_direction():
    worse, better = IndicatorFactory.build(), IndicatorFactory.build(direction=Direction.HIGHER_BETTER)
    assert queries.fragility(worse, 12.0, 10.0) == pytest.approx(1.2)
    assert queries.fragility(better, 5.0, 10.0) == pytest.approx(2.0)


def _commune_values(indicator, values):
    for code, value in values.items():
        t = Territory.objects.get(level=Level.COMMUNE, code=code)
        IndicatorValue.objects.create(indicator=indicator, territory=t, level=t.level, year=2022, value=value)


def test_similar_territories_on_a_constructed_example():
    a, b = IndicatorFactory(), IndicatorFactory()
    # Lens-like profile for Loos-en-Gohelle; Liévin almost the same, Arras far on both indicators.
    _commune_values(a, {"62528": 20.0, "62510": 20.5, "62041": 5.0})
    _commune_values(b, {"62528": 8.0, "62510": 8.1, "62041": 1.0})
    loos = Territory.objects.get(level=Level.COMMUNE, code="62528")
    found = queries.similar_territories(loos, count=3)
    codes = [s.territory.code for s in found]
    assert codes[0] == "62510"
    assert "62041" not in codes[:1]
    assert found[0].distance <= found[-1].distance
    assert a.name in found[0].close or b.name in found[0].close or "population" in found[0].close


@pytest.fixture
def demo_loaded():
    demo.load()


def test_departement_page_shows_profile_priorities_map_and_similar_with_the_demo_notice(client, demo_loaded):
    html = client.get("/territoires/departement/62/").content.decode()
    assert "Profil de fragilité" in html and "Valeurs FICTIVES de démonstration" in html
    assert "Priorités de co-construction" in html and "15 %" in html
    assert "Carte d'un indicateur" in html and "<svg" in html
    assert "Territoires semblables" in html
    assert html.count('href="/territoires/departement/') >= 10


def test_the_map_shows_the_chosen_indicator(client, demo_loaded):
    html = client.get("/territoires/departement/62/?indicateur=taux-pauvrete").content.decode()
    assert '<option value="taux-pauvrete" selected>' in html


def test_initiatives_lower_the_priority_of_their_theme(client, demo_loaded, rf):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.observatory.blocks import profile_block

    loos = Territory.objects.get(level=Level.COMMUNE, code="62528")
    request = rf.get("/")
    request.user = AnonymousUser()
    # Make health clearly fragile there: no doctor at all.
    IndicatorValue.objects.filter(indicator__code="densite-medecins", territory=loos).update(value=0.1)
    before = [name for name, _, _ in profile_block(request, loos)["priorities"]]
    assert "Santé" in before
    for _ in range(3):
        initiative = InitiativeFactory()
        initiative.territories.add(loos)
        initiative.themes.add(Theme.objects.get(code="sante"))
    after = [name for name, _, _ in profile_block(request, loos)["priorities"]]
    assert "Santé" not in after


def test_catalogue_page_lists_the_indicators_as_fictitious(client, demo_loaded):
    html = client.get("/observatoire/indicateurs/").content.decode()
    assert Indicator.objects.count() >= 6 and "Valeurs FICTIVES" in html and "Taux de pauvreté" in html
