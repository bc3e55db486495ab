import datetime
import json
import re

import pytest

from catalyse.actors.models import Competence, PublicationStatus, Trade
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.territories.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_org(org):
    org.legal_form = "Association loi 1901"
    org.website = "https://alliance.exemple.fr"
    org.email = "contact-prive@exemple.fr"
    org.description = "Nous **réunissons** les acteurs.\n\n<script>alert('x')</script>"
    org.siren, org.siret, org.rna = "732829320", "73282932000074", "W623000123"
    org.joined_on = datetime.date(2017, 6, 1)
    org.address, org.postal_code = "Rue de la Base 11/19", "62750"
    org.save()
    org.trades.set(Trade.objects.filter(code="dialogue-territorial"))
    org.competences.set(Competence.objects.filter(code__in=["organiser-rencontres", "coworking"]))
    org.territories.set(Territory.objects.filter(level="departement", code="62"))
    return org


def jsonld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_organisation_page_shows_its_profile(client, full_org):
    html = client.get(full_org.get_absolute_url()).content.decode()
    for text in ("Alliance d&#x27;essai", "Structure d&#x27;intérêt général", "Association loi 1901", "Acteur local",
                 "catalyseur membre du réseau", "Dialogue territorial", "Organiser des temps de rencontre",
                 "Gestion d&#x27;un lieu", "Gérer un espace de coworking", "732829320", "73282932000074",
                 "W623000123", "juin 2017", "https://alliance.exemple.fr", "Rue de la Base 11/19", "Hauts-de-France"):
        assert text in html, text
    assert 'href="/territoires/departement/62/"' in html  # territory of action
    assert 'href="/territoires/commune/62528/"' in html  # head office
    assert "<strong>réunissons</strong>" in html


def test_description_markdown_is_sanitised(client, full_org):
    html = client.get(full_org.get_absolute_url()).content.decode()
    assert "<script>alert" not in html


def test_contact_email_is_never_shown(client, full_org, owner):
    assert "contact-prive" not in client.get(full_org.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert "contact-prive" not in client.get(full_org.get_absolute_url()).content.decode()


def test_page_carries_a_schema_org_organization(client, full_org):
    data = jsonld(client.get(full_org.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == "Alliance d'essai"
    assert data["url"] == "https://alliance.exemple.fr"
    assert data["address"]["addressLocality"] == "Loos-en-Gohelle"
    assert {"propertyID": "SIREN", "value": "732829320", "@type": "PropertyValue"} in data["identifier"]
    assert data["areaServed"] == [{"@type": "AdministrativeArea", "name": "Pas-de-Calais"}]
    assert "email" not in json.dumps(data)
    assert "<script>" not in data["description"]


def test_json_ld_cannot_be_closed_by_the_data(client, org):
    org.name = "Évil </script><script>alert(1)</script> & co"
    org.save()
    html = client.get(org.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert jsonld(html)["name"] == org.name


def test_unknown_organisation_is_a_404(client, db):
    assert client.get("/organisations/nulle-part/").status_code == 404


def test_unpublished_organisation_is_a_404_for_visitors_and_outsiders(client, org, member, outsider, animator):
    org.status = PublicationStatus.PENDING
    org.save()
    assert client.get(org.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(org.get_absolute_url()).status_code == 404
    for user in (member, animator):
        client.force_login(user)
        response = client.get(org.get_absolute_url())
        assert response.status_code == 200
        assert "pas publique" in response.content.decode()


def test_edit_link_is_shown_to_editors_only(client, org, owner, member):
    edit = f'href="/organisations/{org.slug}/modifier/"'
    assert edit not in client.get(org.get_absolute_url()).content.decode()
    client.force_login(member)
    assert edit not in client.get(org.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert edit in client.get(org.get_absolute_url()).content.decode()


def test_fictitious_and_dissolved_organisations_say_so(client, db):
    org = OrganisationFactory(name="Coopérative (fictif)", is_fictitious=True, dissolved_on=datetime.date(2020, 1, 1))
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Organisation fictive" in html and "dissoute ou fermée le 1 janvier 2020" in html
