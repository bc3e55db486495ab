"""Collections are curated by the network's animators: created and described from the library, audited; the
resources are filed in them from their own form."""

import pytest

from catalyse.accounts.models import AuditEntry
from catalyse.resources.models import Collection

from .factories import CollectionFactory, ResourceFactory, client_for

pytestmark = pytest.mark.django_db


def test_the_library_offers_a_new_collection_to_animators_only(client, owner, animator):
    CollectionFactory(name="Outils numériques", slug="outils-numeriques")
    for visitor in (client, client_for(owner)):
        assert "/ressources/collections/ajouter/" not in visitor.get("/ressources/").content.decode()
        assert "/modifier/" not in visitor.get("/ressources/collections/outils-numeriques/").content.decode()
    assert 'href="/ressources/collections/ajouter/"' in client_for(animator).get("/ressources/").content.decode()
    page = client_for(animator).get("/ressources/collections/outils-numeriques/").content.decode()
    assert 'href="/ressources/collections/outils-numeriques/modifier/"' in page


def test_only_animators_create_or_change_collections(client, owner):
    CollectionFactory(name="Outils numériques", slug="outils-numeriques")
    assert client.get("/ressources/collections/ajouter/").status_code == 302  # to the sign-in page
    editor = client_for(owner)
    assert editor.post("/ressources/collections/ajouter/", {"name": "Intruse"}).status_code == 403
    changed = editor.post("/ressources/collections/outils-numeriques/modifier/", {"name": "Renommée"})
    assert changed.status_code == 403
    assert list(Collection.objects.values_list("name", flat=True)) == ["Outils numériques"]


def test_an_animator_creates_then_renames_a_collection_which_keeps_its_address(animator):
    browser = client_for(animator)
    created = browser.post("/ressources/collections/ajouter/",
                           {"name": "Évaluation partenariale", "description": "Méthodes et retours."})
    collection = Collection.objects.get()
    assert created.status_code == 302 and created["Location"] == "/ressources/collections/evaluation-partenariale/"
    ResourceFactory(title="Guide de l'évaluation").collections.set([collection])

    saved = browser.post(f"/ressources/collections/{collection.slug}/modifier/",
                         {"name": "Évaluer ensemble", "description": "Méthodes et retours."})
    assert saved.status_code == 302 and saved["Location"] == "/ressources/collections/evaluation-partenariale/"
    page = browser.get(saved["Location"]).content.decode()
    assert "Évaluer ensemble" in page and "Guide de l&#x27;évaluation" in page
    entries = AuditEntry.objects.filter(object_id=str(collection.pk)).order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"name": ["Évaluation partenariale", "Évaluer ensemble"]}
    assert entries[1].actor == animator


def test_a_taken_or_empty_name_is_refused_in_french_and_what_was_typed_stays(animator):
    CollectionFactory(name="Outils numériques", slug="outils-numeriques")
    browser = client_for(animator)
    refused = browser.post("/ressources/collections/ajouter/", {"name": "Outils numériques",
                                                                 "description": "Mes notes de description."})
    page = refused.content.decode()
    assert refused.status_code == 400 and "La collection n'est pas enregistrée" in page
    assert "existe déjà" in page and "Mes notes de description." in page
    empty = browser.post("/ressources/collections/outils-numeriques/modifier/", {"name": "", "description": "x"})
    assert empty.status_code == 400 and "Ce champ est obligatoire." in empty.content.decode()
    assert Collection.objects.count() == 1 and Collection.objects.get().name == "Outils numériques"
