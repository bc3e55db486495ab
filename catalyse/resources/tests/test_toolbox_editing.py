"""The toolbox's services are added and changed by the animators, through the services (audited, indexed)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import QueryDict

from catalyse.accounts.models import AuditEntry
from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.resources import services
from catalyse.resources.models import Family, Tool
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run

from .factories import ToolFactory, client_for

pytestmark = pytest.mark.django_db


DATA = {
    "name": "Atlas des haies",
    "family": "donnees",
    "summary": "Des cartes des haies par commune.",
    "provider_name": "Observatoire bocager",
    "url": "atlas.exemple.fr",
    "profiles": ["public"],
    "levels": ["commune", "epci"],
}


def test_the_toolbox_offers_adding_a_service_to_animators_only(client, owner, animator):
    assert "/ressources/boite-a-outils/ajouter/" not in client.get("/ressources/boite-a-outils/").content.decode()
    assert "/boite-a-outils/ajouter/" not in client_for(owner).get("/ressources/boite-a-outils/").content.decode()
    page = client_for(animator).get("/ressources/boite-a-outils/").content.decode()
    assert 'href="/ressources/boite-a-outils/ajouter/"' in page


def test_the_service_form_offers_the_three_families_and_no_empty_choice(animator):
    page = client_for(animator).get("/ressources/boite-a-outils/ajouter/").content.decode()
    assert page.count('name="family"') == len(Family.choices) == 3
    assert "---------" not in page


def test_only_animators_add_or_change_services(client, owner, member):
    tool = ToolFactory(name="Cartes communales")
    for url in ("/ressources/boite-a-outils/ajouter/", f"/ressources/boite-a-outils/{tool.slug}/modifier/"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        for user in (owner, member):
            assert client_for(user).get(url).status_code == 403
            assert client_for(user).post(url, DATA).status_code == 403
    assert not Tool.objects.filter(name="Atlas des haies").exists()
    page = client_for(owner).get(tool.get_absolute_url()).content.decode()
    assert f"/boite-a-outils/{tool.slug}/modifier/" not in page


def test_an_animator_adds_a_service_linked_to_its_provider_and_it_is_found(backend, animator):
    provider = OrganisationFactory(name="Observatoire bocager", status=PublicationStatus.PUBLISHED)
    audited = AuditEntry.objects.count()
    response = client_for(animator).post("/ressources/boite-a-outils/ajouter/", DATA)
    tool = Tool.objects.get(name="Atlas des haies")
    assert response.status_code == 302 and response["Location"] == tool.get_absolute_url()
    assert (tool.provider, tool.provider_text, tool.url) == (provider, "", "https://atlas.exemple.fr")
    assert (tool.profiles, tool.levels) == (["public"], ["commune", "epci"])
    assert AuditEntry.objects.count() == audited + 1
    outbox_process()
    hits = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=atlas haies")), backend=backend).hits
    assert "Atlas des haies" in {h.title for h in hits}


def test_an_animator_changes_a_service_and_the_index_follows(backend, animator):
    tool = services.tool_create(name="Cartes communales", family=Family.DATA, provider_text="Un bureau d'études")
    outbox_process()
    response = client_for(animator).post(f"/ressources/boite-a-outils/{tool.slug}/modifier/",
                                         {**DATA, "name": "Cartes des haies", "family": "medias", "version": 1})
    tool.refresh_from_db()
    assert response.status_code == 302
    assert (tool.name, tool.family, tool.provider_text, tool.slug, tool.version) == (
        "Cartes des haies", "medias", "Observatoire bocager", "cartes-communales", 2)
    entry = AuditEntry.objects.filter(action="update").latest("pk")
    assert entry.changes["name"] == ["Cartes communales", "Cartes des haies"]
    outbox_process()
    hits = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=haies")), backend=backend).hits
    assert "Cartes des haies" in {h.title for h in hits}


def test_a_wrong_service_form_says_why_and_keeps_the_input(animator):
    response = client_for(animator).post("/ressources/boite-a-outils/ajouter/",
                                         {**DATA, "name": "", "url": "pas une adresse"})
    page = response.content.decode()
    assert response.status_code == 400 and "Ce champ est obligatoire" in page and "URL valide" in page
    assert "Des cartes des haies par commune." in page and 'value="Observatoire bocager"' in page


def test_the_service_refuses_unknown_profiles_or_levels():
    with pytest.raises(ValidationError):
        services.tool_create(name="Service", family=Family.DATA, levels=["canton"])
    with pytest.raises(TypeError):
        services.tool_update(ToolFactory(), slug="autre")
