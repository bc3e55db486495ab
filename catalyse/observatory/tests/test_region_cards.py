import pytest
from django.contrib.auth.models import AnonymousUser

from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.observatory import demo, queries
from catalyse.observatory.cards import TOP_FRAGILITIES, region_cards
from catalyse.observatory.models import Direction, IndicatorValue
from catalyse.territories.models import Kind, Level, Territory, Zone

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _place(level: str, code: str) -> Territory:
    return Territory.objects.get(level=level, code=code, kind=Kind.CURRENT)


def _card(user, code="32"):
    (card,) = region_cards(user, code)
    return card


def test_every_region_has_a_card_metropolitan_first():
    cards = region_cards(AnonymousUser())
    metro = [c for c in cards if not c.overseas]
    assert len(metro) == 13
    assert len(cards) == Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).count() > 13
    assert cards[:13] == metro  # the overseas régions come after
    assert {c.region.zone for c in cards[13:]} <= {Zone.DROM, Zone.COM}


def test_typology_mix_counts_every_current_commune_of_the_region():
    card = _card(AnonymousUser())
    communes = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT, region__code="32",
                                        region__level=Level.REGION)
    assert card.communes == communes.count() > 3000
    assert sum(s.communes for s in card.typologies) == card.communes
    assert sum(s.communes_share for s in card.typologies) == pytest.approx(1.0)
    assert sum(s.population_share for s in card.typologies) == pytest.approx(1.0)
    loos = communes.get(code="62528")
    share = next(s for s in card.typologies if s.typology == loos.typology)
    same = [c for c in communes if c.typology == loos.typology]
    assert share.communes == len(same)
    assert share.population == sum(c.population or 0 for c in same)


def test_an_override_moves_a_commune_to_its_corrected_typology():
    loos = _place(Level.COMMUNE, "62528")
    target = "rural" if loos.typology != "rural" else "urbain"
    before = {s.typology: s.communes for s in _card(AnonymousUser()).typologies}
    loos.typology_override = target
    loos.save()
    after = {s.typology: s.communes for s in _card(AnonymousUser()).typologies}
    assert after[target] == before.get(target, 0) + 1


def test_catalysts_and_initiatives_count_what_the_visitor_may_see(animator):
    OrganisationFactory.create_batch(2)  # catalysts with their head office in Loos-en-Gohelle (Hauts-de-France)
    OrganisationFactory(is_catalyst=False)
    OrganisationFactory(status=PublicationStatus.DRAFT)
    loos, pas_de_calais = _place(Level.COMMUNE, "62528"), _place(Level.DEPARTEMENT, "62")
    InitiativeFactory().territories.add(loos)
    InitiativeFactory().territories.add(loos, pas_de_calais)  # counted once
    InitiativeFactory().territories.add(_place(Level.REGION, "32"))
    InitiativeFactory(visibility=Visibility.PARTNERS).territories.add(loos)
    InitiativeFactory().territories.add(_place(Level.COMMUNE, "75056"))  # Paris: another région

    visitor = _card(AnonymousUser())
    assert (visitor.catalysts, visitor.initiatives) == (2, 3)
    seen_by_animator = _card(animator)
    assert (seen_by_animator.catalysts, seen_by_animator.initiatives) == (3, 4)
    assert _card(AnonymousUser(), "11").initiatives == 1


def _regional(indicator, values: dict[str, float], default: float) -> None:
    for region in Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT):
        IndicatorValue.objects.create(indicator=indicator, territory=region, level=Level.REGION, year=2022,
                                      value=values.get(region.code, default))


def test_top_fragilities_are_the_worst_indices_against_france():
    worst = IndicatorFactory(name="Chômage")
    second = IndicatorFactory(name="Pauvreté")
    better = IndicatorFactory(name="Médecins", direction=Direction.HIGHER_BETTER)
    mild = IndicatorFactory(name="Vacance")
    extra = IndicatorFactory(name="Artificialisation")
    _regional(worst, {"32": 20.0}, 10.0)
    _regional(second, {"32": 13.0}, 10.0)
    _regional(better, {"32": 12.0}, 10.0)  # more doctors than elsewhere: not fragile
    _regional(mild, {"32": 10.5}, 10.0)
    _regional(extra, {"32": 9.0}, 10.0)
    national = queries.national_values(queries.latest_years())

    card = _card(AnonymousUser())
    assert len(card.fragilities) == TOP_FRAGILITIES
    assert [f.indicator.name for f in card.fragilities] == ["Chômage", "Pauvreté", "Vacance"]
    top = card.fragilities[0]
    assert top.national == pytest.approx(national[worst.pk])
    assert top.index == round(20.0 / national[worst.pk] * 100) and top.is_fragile
    assert not card.fragilities[2].is_fragile  # 5 % worse than France: listed, not a fragility
    assert card.demo is False


def test_list_page_shows_every_card_with_the_demo_notice_and_print_styles(client):
    demo.load()
    html = client.get("/observatoire/regions/").content.decode()
    assert html.count('class="region-card"') == Territory.objects.filter(level=Level.REGION,
                                                                         kind=Kind.CURRENT).count()
    assert "Hauts-de-France" in html and "La Réunion" in html
    assert html.count("Valeurs FICTIVES de démonstration") > 13  # on each card, also when printed
    assert "observatory/cards.css" in html
    assert 'href="/observatoire/regions/32/"' in html


def test_one_card_page_links_and_unknown_region(client):
    html = client.get("/observatoire/regions/32/").content.decode()
    assert html.count('class="region-card"') == 1
    assert "<h1" in html and "Hauts-de-France" in html
    assert 'href="/territoires/region/32/"' in html and "?territoire=region%3A32" in html
    assert client.get("/observatoire/regions/99/").status_code == 404


def test_region_and_observatory_pages_link_to_the_cards(client):
    assert 'href="/observatoire/regions/32/"' in client.get("/territoires/region/32/").content.decode()
    assert 'href="/observatoire/regions/32/"' not in client.get("/territoires/departement/62/").content.decode()
    assert 'href="/observatoire/regions/"' in client.get("/observatoire/indicateurs/").content.decode()
