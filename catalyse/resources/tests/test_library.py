"""The library's pages: facets that count what the person may see and narrow the list, the search box,
pagination, collection pages, the toolbox by family, and the form for those who may publish."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalyse.accounts.models import AuditEntry
from catalyse.initiatives.models import Theme
from catalyse.resources.models import Family, Resource, ResourceType, Visibility
from catalyse.resources.queries import LibraryFilters, library
from catalyse.territories.models import Territory

from .factories import CollectionFactory, ResourceFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(org):
    evaluation = CollectionFactory(name="Évaluation partenariale", slug="evaluation-partenariale")
    emploi, sante = Theme.objects.get(code="emploi"), Theme.objects.get(code="sante")
    arras = Territory.objects.get(level="commune", code="62041")
    guide = ResourceFactory(title="Guide de l'évaluation", resource_type=ResourceType.GUIDE)
    guide.collections.set([evaluation])
    guide.themes.set([emploi])
    guide.territories.set([arras])
    data = ResourceFactory(title="Données de l'emploi", resource_type=ResourceType.DATASET)
    data.themes.set([emploi, sante])
    ResourceFactory(title="Vidéo des jardins", resource_type=ResourceType.VIDEO, summary="Un tournage à Arras.")
    hidden = ResourceFactory(
        title="Guide secret", resource_type=ResourceType.GUIDE, owner_organisation=org, visibility=Visibility.PRIVATE
    )
    hidden.collections.set([evaluation])
    hidden.themes.set([emploi])
    return evaluation


def counts(facet) -> dict[str, int]:
    return {v.code: v.count for v in facet}


def test_facets_count_only_what_the_person_sees_and_narrow_together(shelf, outsider, owner):
    found = library(outsider, LibraryFilters())
    assert counts(found.facets["type"]) == {"guide": 1, "donnees": 1, "video": 1}
    assert counts(found.facets["theme"]) == {"emploi": 2, "sante": 1}
    assert counts(found.facets["collection"]) == {"evaluation-partenariale": 1}
    assert counts(found.facets["territoire"]) == {"62041": 1}
    assert counts(library(owner, LibraryFilters()).facets["type"])["guide"] == 2  # their own private guide
    narrowed = library(outsider, LibraryFilters(theme="emploi", resource_type="donnees"))
    assert [r.title for r in narrowed.resources] == ["Données de l'emploi"]
    assert counts(narrowed.facets["theme"]) == {"emploi": 1, "sante": 1}
    assert [v.selected for v in narrowed.facets["type"]] == [True]


def test_the_library_page_links_facets_and_searches(client, shelf):
    page = client.get("/ressources/?q=tournage").content.decode()
    assert "Vidéo des jardins" in page and "Guide de l&#x27;évaluation" not in page and "1 ressource" in page
    page = client.get("/ressources/?theme=emploi").content.decode()
    assert "2 ressources" in page and "Vidéo des jardins" not in page
    assert "?theme=emploi&amp;type=guide" in page  # choosing a type keeps the theme
    assert 'href="?"' in page  # the chosen theme's link removes it
    assert client.get("/ressources/?type=inconnu&theme=zzz&page=abc").status_code == 200  # ignored, never 500
    assert 'aria-current="page">Ressources</a>' in page  # the menu entry


def test_the_library_search_box_finds_resources_by_their_authors(client, shelf, org):
    guide = Resource.objects.get(title="Guide de l'évaluation")
    guide.author_organisations.set([org])
    ResourceFactory(title="Carnet de route", authors_text="Comité d'études régional")
    assert [r.title for r in library(AnonymousUser(), LibraryFilters(q="alliance")).resources] == [guide.title]
    page = client.get("/ressources/?q=comité+régional").content.decode()
    assert "Carnet de route" in page and "1 ressource" in page
    assert 'href="/recherche/?kind=resource&amp;q=comit%C3%A9%20r%C3%A9gional"' in page  # the full-text search


def test_the_library_is_paginated(client):
    for n in range(23):
        ResourceFactory(title=f"Fiche numéro {n:02d}")
    first = client.get("/ressources/").content.decode()
    assert "23 ressources" in first and "Page 1 sur 2" in first and "Fiche numéro 22" in first
    second = client.get("/ressources/?page=2").content.decode()
    assert "Fiche numéro 00" in second and "Fiche numéro 22" not in second


def test_a_collection_page_lists_its_visible_resources(client, shelf):
    page = client.get(shelf.get_absolute_url()).content.decode()
    assert "Guide de l&#x27;évaluation" in page and "Guide secret" not in page and "1 ressource" in page
    assert client.get("/ressources/collections/inconnue/").status_code == 404


def test_the_resource_page_shows_its_metadata_and_initiatives(client, shelf, org):
    resource = Resource.objects.get(title="Guide de l'évaluation")
    resource.author_organisations.set([org])
    resource.authors_text = "Comité d'études"
    resource.licence = "Licence Ouverte 2.0"
    resource.tags = ["tiers-lieux", "évaluation"]
    resource.save()
    page = client.get(resource.get_absolute_url()).content.decode()
    for text in (
        "Alliance d&#x27;essai",
        "Comité d&#x27;études",
        "Licence Ouverte 2.0",
        "Évaluation partenariale",
        "Arras",
        "Consulter la ressource",
    ):
        assert text in page, text
    # each keyword leads to the resources the search engine finds with it
    assert '<a href="/recherche/?kind=resource&amp;q=%C3%A9valuation">évaluation</a>' in page


def test_the_toolbox_lists_services_by_family(client, org):
    ToolFactory(
        name="Observatoire local",
        slug="observatoire-local",
        family=Family.DATA,
        provider=org,
        profiles=["public"],
        levels=["epci"],
    )
    ToolFactory(name="Média des initiatives", family=Family.MEDIA, provider_text="Rédaction indépendante")
    page = client.get("/ressources/boite-a-outils/").content.decode()
    for text in (
        "Données",
        "Accompagnement et compétences",
        "Médias de valorisation",
        "Observatoire local",
        "Fourni par Alliance d&#x27;essai",
        "Rédaction indépendante",
        "EPCI",
        "Aucun service pour l'instant.",
    ):
        assert text in page, text
    detail = client.get("/ressources/boite-a-outils/observatoire-local/").content.decode()
    assert "Observatoire local" in detail and "Acteur public" in detail


def test_an_editor_publishes_a_document_with_its_metadata_then_edits_it(org, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(owner)
    collection = CollectionFactory(name="Outils numériques")
    pdf = SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%guide\n", content_type="application/pdf")
    response = client.post(
        "/ressources/ajouter/",
        {
            "owner": f"organisation:{org.pk}",
            "title": "Guide des tiers-lieux",
            "resource_type": "guide",
            "summary": "Ouvrir un lieu partagé.",
            "file": pdf,
            "authors": "Alliance d'essai; Collectif des lieux",
            "published_on": "2024-03-01",
            "themes": [Theme.objects.get(code="emploi").pk],
            "collections": [collection.pk],
            "territories": ["commune:62041"],
            "tags_text": "lieux, tiers-lieux",
            "licence": "CC BY 4.0",
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Guide des tiers-lieux")
    assert resource.owner_organisation == org and resource.created_by == owner
    assert list(resource.author_organisations.all()) == [org] and resource.authors_text == "Collectif des lieux"
    assert resource.tags == ["lieux", "tiers-lieux"] and resource.file.name.startswith("resources/")
    assert [t.code for t in resource.territories.all()] == ["62041"]
    assert AuditEntry.objects.filter(action="create", object_id=str(resource.pk)).exists()

    form = client.get(f"/ressources/{resource.pk}/modifier/").content.decode()
    assert "Alliance d&#x27;essai; Collectif des lieux" in form and "lieux, tiers-lieux" in form
    response = client.post(
        f"/ressources/{resource.pk}/modifier/",
        {
            "title": "Guide des tiers-lieux (2e édition)",
            "resource_type": "guide",
            "visibility": "public",
            "authors": "Alliance d'essai",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title.endswith("(2e édition)") and resource.file.name.startswith("resources/")  # file kept
    assert resource.authors_text == "" and not resource.territories.exists()
    update = AuditEntry.objects.get(action="update", object_id=str(resource.pk))
    assert update.changes["title"] == ["Guide des tiers-lieux", "Guide des tiers-lieux (2e édition)"]


def test_bad_input_is_refused_in_french_and_nothing_is_lost(org, owner):
    client = Client()
    client.force_login(owner)
    data = {
        "owner": f"organisation:{org.pk}",
        "title": "Sans lien",
        "resource_type": "guide",
        "visibility": "public",
        "summary": "Un résumé à garder.",
    }
    page = client.post("/ressources/ajouter/", data).content.decode()
    assert "Indiquez l&#x27;adresse de la ressource ou déposez son fichier." in page
    assert "Un résumé à garder." in page and not Resource.objects.filter(title="Sans lien").exists()
    page = client.post(
        "/ressources/ajouter/",
        {**data, "url": "pas une adresse", "resource_type": "roman", "territories": ["commune:00000"]},
    ).content.decode()
    assert "Saisissez une URL valide." in page and "Sélectionnez un choix valide" in page
    assert "Territoire inconnu" in page


def test_files_are_sent_with_the_resources_permission_in_both_folders(org, owner, outsider, settings, tmp_path):
    """Documents uploaded before the library existed stayed in initiatives/resources/: still served, with the
    resource's permission."""
    settings.MEDIA_ROOT = tmp_path
    private = ResourceFactory(owner_organisation=org, visibility=Visibility.PRIVATE, url="")
    private.file.save("note.pdf", ContentFile(b"%PDF-1.4 note"))
    legacy = ResourceFactory(owner_organisation=org, visibility=Visibility.PRIVATE, url="")
    legacy.file.save("x.pdf", ContentFile(b"%PDF-1.4 ancien"), save=False)
    (tmp_path / "initiatives" / "resources").mkdir(parents=True)
    (tmp_path / "initiatives" / "resources" / "ancien.pdf").write_bytes(b"%PDF-1.4 ancien")
    legacy.file.name = "initiatives/resources/ancien.pdf"
    legacy.save()
    for resource in (private, legacy):
        insider, stranger = Client(), Client()
        insider.force_login(owner)
        stranger.force_login(outsider)
        assert insider.get(resource.file.url).status_code == 200
        assert stranger.get(resource.file.url).status_code == 404


def test_deleting_a_resource(org, owner):
    resource = ResourceFactory(owner_organisation=org)
    client = Client()
    client.force_login(owner)
    assert client.post(f"/ressources/{resource.pk}/supprimer/").status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(resource.pk)).exists()
