"""Who edits a resource depends on its owner; who sees it on its visibility and its owner's. A private resource
stays with its owner's insiders on every channel: the library, its page, the global search and the API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.core import permissions
from catalyse.events.models import EventStatus, RegistrationStatus
from catalyse.events.tests.factories import EventFactory, RegistrationFactory
from catalyse.initiatives.models import Visibility as InitiativeVisibility
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.resources import queries
from catalyse.resources.models import Resource, Visibility
from catalyse.resources.permissions import can_add_tool
from catalyse.search.queries import SearchParams, search_run

from .factories import ResourceFactory, ToolFactory, client_for

pytestmark = pytest.mark.django_db


def test_an_organisations_editors_edit_its_resources_its_plain_members_do_not(org, owner, member, outsider):
    resource = ResourceFactory(owner_organisation=org)
    assert permissions.can_edit(owner, resource)
    assert not permissions.can_edit(member, resource) and not permissions.can_edit(outsider, resource)
    assert client_for(owner).get(f"/ressources/{resource.pk}/modifier/").status_code == 200
    assert client_for(outsider).get(f"/ressources/{resource.pk}/modifier/").status_code == 403
    assert client_for(outsider).post(f"/ressources/{resource.pk}/supprimer/").status_code == 403
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_an_initiatives_current_partners_edit_its_resources(initiative, partner, outsider):
    resource = ResourceFactory(owner_initiative=initiative)
    assert permissions.can_edit(partner, resource)
    assert not permissions.can_edit(outsider, resource)
    initiative.partnerships.filter(organisation__memberships__user=partner).update(left_on="2025-01-01")
    assert not permissions.can_edit(partner, resource)  # a former partner no longer does


def test_network_resources_are_edited_by_animators_only(animator, owner, outsider):
    resource = ResourceFactory()
    assert permissions.can_edit(animator, resource)
    assert not permissions.can_edit(owner, resource) and not permissions.can_edit(outsider, resource)
    assert client_for(owner).get(f"/ressources/{resource.pk}/modifier/").status_code == 403


def test_the_toolbox_is_kept_by_the_staff_and_seen_by_everyone(owner, member, outsider, animator):
    tool = ToolFactory(provider=OrganisationFactory())
    staff = [animator, UserFactory(role=Role.ADMIN)]
    for user in (AnonymousUser(), owner, member, outsider, *staff):
        assert permissions.can_view(user, tool)
        allowed = user in staff
        assert (can_add_tool(user), permissions.can_edit(user, tool), permissions.can_delete(user, tool)) == (
            allowed, allowed, allowed)


def test_only_owners_publishers_may_choose_an_owner(client, org, owner, outsider, animator, initiative):
    assert client_for(outsider).get("/ressources/ajouter/").status_code == 403  # nothing to publish for
    response = client_for(outsider).post(
        "/ressources/ajouter/",
        {
            "owner": f"organisation:{org.pk}",
            "title": "Intrus",
            "resource_type": "guide",
            "url": "https://exemple.fr/",
            "visibility": "public",
        },
    )
    assert response.status_code == 403 and not Resource.objects.filter(title="Intrus").exists()
    form = client_for(owner).get("/ressources/ajouter/").content.decode()
    assert f"organisation:{org.pk}" in form and f"initiative:{initiative.pk}" in form and "network" not in form
    assert 'value="network"' in client_for(animator).get("/ressources/ajouter/").content.decode()
    assert client.get("/ressources/ajouter/").status_code == 302  # sign in first


def test_a_publisher_cannot_post_another_owner(org, owner):
    other = OrganisationFactory(name="Autre organisation")
    response = client_for(owner).post(
        "/ressources/ajouter/",
        {
            "owner": f"organisation:{other.pk}",
            "title": "Détournée",
            "resource_type": "guide",
            "url": "https://exemple.fr/",
            "visibility": "public",
        },
    )
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    assert not Resource.objects.filter(title="Détournée").exists()


@pytest.fixture
def secrets(org, initiative):
    """One resource per visibility and owner; the private ones are the owners' insiders' only."""
    return {
        "public": ResourceFactory(title="Guide ouvert des jardins", owner_organisation=org),
        "members": ResourceFactory(title="Guide des membres jardins", visibility=Visibility.MEMBERS),
        "org-private": ResourceFactory(
            title="Note privée jardins", owner_organisation=org, visibility=Visibility.PRIVATE
        ),
        "initiative-private": ResourceFactory(
            title="Compte rendu privé jardins", owner_initiative=initiative, visibility=Visibility.PRIVATE
        ),
    }


def test_private_resources_are_invisible_to_outsiders_everywhere(secrets, outsider, reindex):
    backend = reindex()
    for user in (None, outsider):
        client = client_for(user)
        library = client.get("/ressources/?q=jardins").content.decode()
        api = client.get("/api/v1/resources?q=jardins").json()
        hits = search_run(
            user or AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=jardins")), backend=backend
        ).hits
        for key in ("org-private", "initiative-private"):
            resource = secrets[key]
            assert resource.title not in library
            assert client.get(f"/ressources/{resource.pk}/").status_code == 404
            assert client.get(f"/api/v1/resources/{resource.pk}").status_code == 404
            assert resource.title not in {item["title"] for item in api["items"]}
            assert resource.title not in {h.title for h in hits}
        assert secrets["public"].title in library
    anonymous = {
        h.title
        for h in search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict("q=jardins")), backend=backend).hits
    }
    assert anonymous == {"Guide ouvert des jardins"}  # members-only is for members
    signed_in = {
        h.title
        for h in search_run(outsider, SearchParams.from_query_dict(QueryDict("q=jardins")), backend=backend).hits
    }
    assert signed_in == {"Guide ouvert des jardins", "Guide des membres jardins"}


def test_insiders_see_their_private_resources_everywhere(secrets, owner, partner, reindex):
    backend = reindex()
    for user, key in ((owner, "org-private"), (partner, "initiative-private"), (owner, "initiative-private")):
        resource = secrets[key]
        assert client_for(user).get(f"/ressources/{resource.pk}/").status_code == 200
        assert resource.title in client_for(user).get("/ressources/").content.decode()
        assert client_for(user).get(f"/api/v1/resources/{resource.pk}").status_code == 200
        hits = search_run(user, SearchParams.from_query_dict(QueryDict("q=jardins")), backend=backend).hits
        assert resource.title in {h.title for h in hits}
    assert secrets["org-private"].title not in client_for(partner).get("/ressources/").content.decode()


def test_a_resource_is_seen_only_by_those_who_see_its_owner(org, outsider):
    hidden_initiative = InitiativeFactory(visibility=InitiativeVisibility.PARTNERS)
    pending_org = OrganisationFactory(status=PublicationStatus.PENDING)
    of_initiative = ResourceFactory(owner_initiative=hidden_initiative)
    of_pending = ResourceFactory(owner_organisation=pending_org)
    for user in (AnonymousUser(), outsider):
        visible = set(queries.resources_visible_to(user))
        assert of_initiative not in visible and of_pending not in visible


def test_the_search_audience_agrees_with_the_permission_module(
    secrets, org, owner, member, partner, outsider, animator, reindex
):
    """For each person, the index and visible_q give the same resources (the audience mirrors the policy),
    event owners included: published or draft, organised by `org` or created by someone, with people
    registered (confirmed, waiting, cancelled)."""
    ResourceFactory(
        title="Guide jardins d'une initiative réservée",
        visibility=Visibility.MEMBERS,
        owner_initiative=InitiativeFactory(visibility=InitiativeVisibility.PARTNERS),
    )
    ResourceFactory(
        title="Guide jardins d'une organisation en attente",
        owner_organisation=OrganisationFactory(status=PublicationStatus.PENDING),
    )
    creator, registrant, waiting, by_address = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    published = EventFactory(organiser=org)
    draft = EventFactory(status=EventStatus.DRAFT, created_by=creator)
    for event in (published, draft):
        RegistrationFactory(event=event, user=registrant, status=RegistrationStatus.CONFIRMED)
        RegistrationFactory(event=event, user=waiting, status=RegistrationStatus.WAITING)
        RegistrationFactory(event=event, email=by_address.email.upper(), status=RegistrationStatus.CONFIRMED)
        for visibility in Visibility.values:
            ResourceFactory(title=f"Jardins {visibility} de {event.title}", owner_event=event, visibility=visibility)
    backend = reindex()
    assert queries.resources_visible_to(by_address).filter(title__startswith="Jardins private").exists()
    for user in (AnonymousUser(), owner, member, partner, outsider, animator, creator, registrant, waiting, by_address):
        hits = search_run(
            user, SearchParams.from_query_dict(QueryDict("q=jardins&type=resource&limit=50")), backend=backend
        ).hits
        expected = set(
            queries.resources_visible_to(user).filter(title__icontains="jardins").values_list("title", flat=True)
        )
        assert {h.title for h in hits} == expected, user
