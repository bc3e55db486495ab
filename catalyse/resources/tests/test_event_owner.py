"""Events own resources the same way organisations and initiatives do: their organisers publish and edit them;
who sees them follows the event (a draft's stay with its organisers) and their visibility (private: the
organisers and the people registered, by account or address). On every channel: the library, the page, the
event page, the API and the search, whose index follows registrations."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.accounts.tests.factories import UserFactory
from catalyse.core import permissions
from catalyse.events import services as event_services
from catalyse.events.models import EventStatus, RegistrationStatus
from catalyse.events.tests.factories import EventFactory, RegistrationFactory
from catalyse.resources import queries
from catalyse.resources.models import Resource, Visibility
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run

from .factories import ResourceFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    """A published event `org` organises: its editor `owner` is an organiser, its plain `member` is not."""
    return EventFactory(title="Rencontre des vergers", organiser=org)


@pytest.fixture
def registrant(event):
    person = UserFactory()
    RegistrationFactory(event=event, user=person, email=person.email, status=RegistrationStatus.CONFIRMED)
    return person


def sees(user, resource) -> bool:
    return queries.resources_visible_to(user or AnonymousUser()).filter(pk=resource.pk).exists()


def test_a_private_resource_of_an_event_is_for_its_organisers_and_registered_people(
    event, owner, member, outsider, animator, registrant
):
    private = ResourceFactory(title="Liste des covoiturages", owner_event=event, visibility=Visibility.PRIVATE)
    waiting = UserFactory()
    RegistrationFactory(event=event, user=waiting, email=waiting.email, status=RegistrationStatus.WAITING)
    assert all(sees(user, private) for user in (owner, animator, registrant))
    assert not any(sees(user, private) for user in (None, member, outsider, waiting))
    for user, status in ((registrant, 200), (member, 404), (None, 404)):
        assert client_for(user).get(f"/ressources/{private.pk}/").status_code == status
        assert client_for(user).get(f"/api/v1/resources/{private.pk}").status_code == status


def test_a_person_registered_with_their_accounts_address_but_signed_out_sees_the_private_resources(
    client, event, backend
):
    """Registered signed out, then signed in: the address makes them registered, as on the event page."""
    person = UserFactory(email="inscrite@exemple.fr")
    RegistrationFactory(event=event, user=None, email="Inscrite@Exemple.fr", status=RegistrationStatus.CONFIRMED)
    private = ResourceFactory(title="Liste des covoiturages", owner_event=event, visibility=Visibility.PRIVATE)
    assert sees(person, private)
    assert client_for(person).get(f"/ressources/{private.pk}/").status_code == 200
    outbox_process()
    assert found(person, backend) == {"Liste des covoiturages"}


def test_public_and_members_resources_of_a_published_event(event, outsider):
    public = ResourceFactory(owner_event=event)
    members = ResourceFactory(owner_event=event, visibility=Visibility.MEMBERS)
    assert sees(None, public) and not sees(None, members)
    assert sees(outsider, public) and sees(outsider, members)


def test_the_resources_of_a_draft_event_stay_with_its_organisers(org, owner, member, outsider, animator):
    creator = UserFactory()
    draft = EventFactory(organiser=org, status=EventStatus.DRAFT, created_by=creator)
    RegistrationFactory(event=draft, user=outsider, status=RegistrationStatus.CONFIRMED)
    public = ResourceFactory(owner_event=draft)
    assert all(sees(user, public) for user in (owner, creator, animator))
    assert not any(sees(user, public) for user in (None, member, outsider))


def test_the_events_organisers_edit_its_resources_others_do_not(event, owner, member, registrant, animator):
    resource = ResourceFactory(owner_event=event)
    assert permissions.can_edit(owner, resource) and permissions.can_edit(animator, resource)
    assert not permissions.can_edit(member, resource) and not permissions.can_edit(registrant, resource)
    assert client_for(owner).get(f"/ressources/{resource.pk}/modifier/").status_code == 200
    assert client_for(member).get(f"/ressources/{resource.pk}/modifier/").status_code == 403
    assert client_for(registrant).post(f"/ressources/{resource.pk}/supprimer/").status_code == 403
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_the_form_offers_the_events_one_organises_and_preselects_the_one_asked_for(event, owner, member):
    EventFactory(title="Événement d'autres")
    page = client_for(owner).get(f"/ressources/ajouter/?evenement={event.slug}").content.decode()
    assert f'<option value="event:{event.pk}" selected>Événement : Rencontre des vergers</option>' in page
    assert "Événement d&#x27;autres" not in page
    assert client_for(member).get("/ressources/ajouter/").status_code == 403  # nothing to publish for


def test_an_organiser_adds_a_resource_to_the_event_and_the_event_page_lists_it(client, event, owner):
    response = client_for(owner).post(
        "/ressources/ajouter/",
        {
            "owner": f"event:{event.pk}",
            "title": "Diaporama de la plénière",
            "resource_type": "publication",
            "url": "https://exemple.fr/diaporama",
            "visibility": "private",
        },
    )
    resource = Resource.objects.get(title="Diaporama de la plénière")
    assert response.status_code == 302 and resource.owner_event == event and resource.owner == event
    assert "Diaporama de la plénière" in client_for(owner).get(event.get_absolute_url()).content.decode()
    visitor_page = client.get(event.get_absolute_url()).content.decode()
    assert "Diaporama de la plénière" not in visitor_page  # private: not listed to visitors
    assert "/ressources/ajouter/?evenement=" not in visitor_page


def test_someone_who_does_not_organise_cannot_post_the_event_as_owner(event, outsider, org):
    from catalyse.actors.models import MembershipRole
    from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory

    editor = MembershipFactory(organisation=OrganisationFactory(), role=MembershipRole.EDITOR).user
    response = client_for(editor).post(
        "/ressources/ajouter/",
        {"owner": f"event:{event.pk}", "title": "Intrus", "resource_type": "guide", "url": "https://exemple.fr/",
         "visibility": "public"},
    )
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    assert not Resource.objects.filter(title="Intrus").exists()


def test_the_event_page_lists_only_the_resources_each_person_may_see(client, event, owner, member):
    ResourceFactory(title="Programme imprimable", owner_event=event)
    ResourceFactory(title="Fiche des intervenants", owner_event=event, visibility=Visibility.PRIVATE)
    visitor = client.get(event.get_absolute_url()).content.decode()
    assert "Programme imprimable" in visitor and "Fiche des intervenants" not in visitor
    assert "Fiche des intervenants" not in client_for(member).get(event.get_absolute_url()).content.decode()
    organiser = client_for(owner).get(event.get_absolute_url()).content.decode()
    assert "Fiche des intervenants" in organiser
    assert f'href="/ressources/ajouter/?evenement={event.slug}"' in organiser


def test_the_api_names_the_event_as_owner(client, event):
    resource = ResourceFactory(owner_event=event)
    owner = client.get(f"/api/v1/resources/{resource.pk}").json()["owner"]
    assert owner == {"kind": "event", "name": "Rencontre des vergers", "url": event.get_absolute_url()}


def found(user, backend) -> set[str]:
    params = SearchParams.from_query_dict(QueryDict("q=covoiturages&type=resource"))
    return {h.title for h in search_run(user, params, backend=backend).hits}


def test_the_index_follows_registrations_and_the_events_publication(backend, event, owner):
    person = UserFactory()
    ResourceFactory(title="Liste des covoiturages", owner_event=event, visibility=Visibility.PRIVATE)
    ResourceFactory(title="Carte des covoiturages", owner_event=event)
    outbox_process()
    assert found(person, backend) == {"Carte des covoiturages"}
    registration = event_services.registration_create(event=event, user=person, name="P.", email=person.email)
    outbox_process()
    assert found(person, backend) == {"Carte des covoiturages", "Liste des covoiturages"}
    event_services.registration_cancel(registration, actor=person)
    outbox_process()
    assert found(person, backend) == {"Carte des covoiturages"}
    event_services.event_update(event, actor=owner, status=EventStatus.DRAFT)
    outbox_process()
    assert found(AnonymousUser(), backend) == set()
    assert found(owner, backend) == {"Carte des covoiturages", "Liste des covoiturages"}


def test_an_organisations_resource_presented_at_an_event_is_linked_to_it_on_every_channel(client, event, org, owner):
    # `owner` edits `org` (which organises the event): they publish the organisation's guide and link the event.
    EventFactory(title="Événement d'autres")
    form = client_for(owner).get("/ressources/ajouter/").content.decode()
    assert "Rencontre des vergers" in form and "Événement d&#x27;autres" not in form  # only events one organises
    response = client_for(owner).post(
        "/ressources/ajouter/",
        {"owner": f"organisation:{org.pk}", "title": "Guide des vergers partagés", "resource_type": "guide",
         "url": "https://exemple.fr/guide", "visibility": "public", "events": [event.pk]},
    )
    guide = Resource.objects.get(title="Guide des vergers partagés")
    assert response.status_code == 302 and guide.owner == org and list(guide.events.all()) == [event]

    assert "Guide des vergers partagés" in client.get(event.get_absolute_url()).content.decode()
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "Présentée aux événements" in page and f'href="{event.get_absolute_url()}"' in page
    assert client.get(f"/api/v1/resources/{guide.pk}").json()["events"] == [event.slug]
    listed = client.get(f"/api/v1/resources?event={event.slug}").json()
    assert [r["title"] for r in listed["items"]] == ["Guide des vergers partagés"]
    assert client.get("/api/v1/resources?event=inconnu").status_code == 422


def test_a_link_to_a_draft_event_is_not_shown_to_those_who_cannot_see_it(client, event, owner):
    draft = EventFactory(title="Séminaire en préparation", status=EventStatus.DRAFT)
    guide = ResourceFactory(title="Guide public")
    guide.events.set([event, draft])
    assert client.get(f"/api/v1/resources/{guide.pk}").json()["events"] == [event.slug]
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "Rencontre des vergers" in page and "Séminaire en préparation" not in page
    assert client.get(f"/api/v1/resources?event={draft.slug}").status_code == 422
