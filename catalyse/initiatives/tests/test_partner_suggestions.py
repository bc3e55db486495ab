"""“Complementary actors near you”: who is suggested to an organisation, in what order, and why."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from catalyse.actors.models import Profile, PublicationStatus, Trade
from catalyse.actors.tests.factories import OrganisationFactory, commune
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.partner_suggestions import partner_suggestions_for

from .graph_data import alliance

pytestmark = pytest.mark.django_db

COMPANY, ASSOCIATION = Profile.COMPANY, Profile.GENERAL_INTEREST


def organisation(name: str, profile: str, commune_code: str, *, trades=(), **fields):
    org = OrganisationFactory(name=name, slug=name.lower(), profile=profile, head_office=commune(commune_code),
                              **fields)
    org.trades.set(Trade.objects.filter(code__in=trades))
    return org


@pytest.fixture
def home():
    """An association in Loos-en-Gohelle (CA de Lens-Liévin, Pas-de-Calais, Hauts-de-France)."""
    return organisation("Maison", ASSOCIATION, "62528", trades=["dialogue-territorial"])


def names(suggestions) -> list[str]:
    return [s.organisation.name for s in suggestions]


def test_nearest_and_most_complementary_come_first_with_their_reasons(home):
    organisation("Lilloise", COMPANY, "59350")
    organisation("Arrageoise", ASSOCIATION, "62041", trades=["gestion-lieu", "dialogue-territorial"])
    organisation("Lensoise", COMPANY, "62498")
    suggestions = partner_suggestions_for(AnonymousUser(), home)
    assert names(suggestions) == ["Lensoise", "Arrageoise", "Lilloise"]
    lens, arras, lille = (s.reason for s in suggestions)
    assert "autre profil : Entreprise" in lens and "même intercommunalité : CA de Lens - Liévin" in lens
    assert "métiers que vous n'avez pas : Gestion d'un lieu" in arras and "même département : Pas-de-Calais" in arras
    assert "autre profil" not in arras
    assert "même région : Hauts-de-France" in lille
    assert all("pas encore partenaires" in r for r in (lens, arras, lille))


def test_same_profile_and_no_new_trade_is_not_complementary(home):
    organisation("Jumelle", ASSOCIATION, "62498", trades=["dialogue-territorial"])
    assert partner_suggestions_for(AnonymousUser(), home) == []


def test_another_region_is_not_near(home):
    organisation("Parisienne", COMPANY, "75056")
    assert partner_suggestions_for(AnonymousUser(), home) == []


def test_existing_partners_are_not_suggested(home):
    partner = organisation("Partenaire", COMPANY, "62498")
    alliance("Déjà ensemble", home, partner)
    assert partner_suggestions_for(AnonymousUser(), home) == []


def test_a_partnership_the_person_cannot_see_does_not_hide_the_suggestion_from_them(home, animator):
    secret = organisation("Secrète", COMPANY, "62498")
    alliance("Alliance confidentielle", home, secret, visibility=Visibility.PARTNERS)
    assert names(partner_suggestions_for(AnonymousUser(), home)) == ["Secrète"]
    assert partner_suggestions_for(animator, home) == []


def test_unpublished_or_dissolved_organisations_are_not_suggested(home):
    organisation("En attente", COMPANY, "62498", status=PublicationStatus.PENDING)
    organisation("Fermée", COMPANY, "62498", dissolved_on="2020-01-01")
    assert partner_suggestions_for(AnonymousUser(), home) == []


def test_organisation_without_head_office_gets_no_suggestion(home):
    organisation("Lensoise", COMPANY, "62498")
    nowhere = OrganisationFactory(head_office=None)
    assert partner_suggestions_for(AnonymousUser(), nowhere) == []


def test_limit_fills_from_the_departement_before_the_region(home):
    for i in range(4):
        organisation(f"Lille{i}", COMPANY, "59350")
    for i in range(3):
        organisation(f"Arras{i}", COMPANY, "62041")
    assert names(partner_suggestions_for(AnonymousUser(), home, limit=4)) == ["Arras0", "Arras1", "Arras2", "Lille0"]


def test_suggestions_tag_shows_names_and_reasons(home, rf):
    organisation("Lensoise", COMPANY, "62498")
    request = rf.get("/")
    request.user = AnonymousUser()
    html = Template("{% load partnership_graph %}{% partnership_suggestions org %}").render(
        Context({"org": home, "request": request}))
    assert "Acteurs complémentaires près de chez vous" in html
    assert 'href="/organisations/lensoise/"' in html and "même intercommunalité" in html


def test_suggestions_tag_renders_nothing_without_suggestions(home, rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    html = Template("{% load partnership_graph %}{% partnership_suggestions org %}").render(
        Context({"org": home, "request": request}))
    assert html.strip() == ""
