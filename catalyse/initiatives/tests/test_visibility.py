"""Members-only, partners-only and unpublished initiatives never leak: not in pages, API, facet counts,
the resources page, sheets, or an organisation's list."""

import pytest
from django.test import Client
from django.utils.html import escape

from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.tests.factories import MembershipFactory
from catalyse.core import permissions
from catalyse.initiatives import queries
from catalyse.initiatives.models import Initiative, PracticeSheet
from catalyse.resources import queries as resource_queries
from catalyse.resources.models import Resource

SECRETS = ("Réservée aux membres", "Réservée aux partenaires", "En attente de relecture")


@pytest.fixture
def everything(carried, members_only, partners_only, pending):
    for initiative in (carried, members_only, partners_only, pending):
        Resource.objects.create(owner_initiative=initiative, title=f"Lien de {initiative.title}",
                                url="https://exemple.fr/")
        PracticeSheet.objects.create(initiative=initiative, title=f"Fiche de {initiative.title}", objective="x")
    return {"carried": carried, "members": members_only, "partners": partners_only, "pending": pending}


def visible_titles(user) -> set[str]:
    return set(queries.initiatives_visible_to(user).values_list("title", flat=True))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_visitor_sees_only_published_public_initiatives(everything):
    from django.contrib.auth.models import AnonymousUser

    assert visible_titles(AnonymousUser()) == {"Transition de la ville minière"}


def test_outsider_sees_members_initiatives_but_not_partners_only_ones(everything, outsider):
    assert visible_titles(outsider) == {"Transition de la ville minière", "Réservée aux membres",
                                        "En attente de relecture"}  # the last one: the outsider created it


def test_person_of_a_partner_organisation_sees_partners_only_initiative(everything, member):
    assert "Réservée aux partenaires" in visible_titles(member)
    assert "En attente de relecture" not in visible_titles(member)


def test_former_partner_still_sees_partners_only_initiative(everything, member):
    everything["partners"].partnerships.update(left_on="2020-01-01")
    assert "Réservée aux partenaires" in visible_titles(member)


def test_animator_sees_everything(everything, animator):
    assert visible_titles(animator) == set(Initiative.objects.values_list("title", flat=True))


def test_pending_initiative_is_seen_by_partners_of_it(everything, org):
    from catalyse.initiatives.tests.factories import PartnershipFactory

    PartnershipFactory(initiative=everything["pending"], organisation=org)
    someone = MembershipFactory(organisation=org).user
    assert "En attente de relecture" in visible_titles(someone)


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
@pytest.mark.parametrize("who", ["visitor", "stranger"])
def test_secret_initiatives_never_appear_in_pages_for_people_outside(everything, who):
    user = UserFactory() if who == "stranger" else None
    client = client_for(user)
    pages = [
        client.get("/initiatives/").content.decode(),
        client.get("/initiatives/?q=reservee").content.decode(),
        client.get("/ressources/").content.decode(),
        client.get("/api/v1/initiatives?limit=100").content.decode(),
        client.get("/api/v1/initiatives?q=partenaires").content.decode(),
    ]
    for body in pages:
        assert "Réservée aux partenaires" not in body and "R\\u00e9serv\\u00e9e aux partenaires" not in body
        assert "En attente de relecture" not in body
    for key in ("partners", "pending"):
        slug = everything[key].slug
        assert client.get(f"/initiatives/{slug}/").status_code == 404
        assert client.get(f"/initiatives/{slug}/historique/").status_code == 404
        assert client.get(f"/api/v1/initiatives/{slug}").status_code == 404
        sheet = everything[key].sheets.get()
        assert client.get(f"/initiatives/{slug}/fiches/{sheet.pk}/").status_code == 404


def test_members_only_initiative_is_hidden_from_visitors_and_shown_to_members(everything, outsider):
    slug = everything["members"].slug
    assert Client().get(f"/initiatives/{slug}/").status_code == 404
    assert "Réservée aux membres" not in Client().get("/ressources/").content.decode()
    assert client_for(outsider).get(f"/initiatives/{slug}/").status_code == 200
    assert "Lien de Réservée aux membres" in client_for(outsider).get("/ressources/").content.decode()


def test_facet_counts_only_count_visible_initiatives(everything, outsider):
    from django.contrib.auth.models import AnonymousUser

    filters = queries.InitiativeFilters()
    for user, expected in ((AnonymousUser(), 1), (outsider, 3)):
        facets = queries.initiative_facets(user, filters)
        assert sum(n for _, _, n in facets["stage"]) == expected
        assert sum(n for _, _, n in facets["status"]) == expected


def test_secret_partners_do_not_leak_through_the_organisation_list(everything, org):
    from django.contrib.auth.models import AnonymousUser

    titles = set(queries.initiatives_of_organisation(org, AnonymousUser()).values_list("title", flat=True))
    assert titles == {"Transition de la ville minière"}


def test_sheets_and_resources_follow_their_initiative(everything, outsider):
    sheets = set(permissions.visible_queryset(outsider, PracticeSheet.objects.all()).values_list("title", flat=True))
    assert "Fiche de Réservée aux partenaires" not in sheets
    assert "Fiche de Réservée aux membres" in sheets
    resources = resource_queries.resources_visible_to(outsider).values_list("title", flat=True)
    assert "Lien de Réservée aux partenaires" not in set(resources)


def test_organisation_autocomplete_lists_only_visible_organisations(org):
    from catalyse.actors.models import PublicationStatus
    from catalyse.actors.tests.factories import OrganisationFactory

    OrganisationFactory(name="Alliance cachée", status=PublicationStatus.PENDING)
    names = [i["label"] for i in Client().get("/initiatives/organisations.json?q=alliance").json()["items"]]
    assert names == ["Alliance d'essai"]


@pytest.fixture
def unpublished_partner(carried, owner):
    """A public initiative whose editor added their own organisation still awaiting review as a partner."""
    from catalyse.actors.models import MembershipRole, PublicationStatus
    from catalyse.actors.tests.factories import OrganisationFactory

    from .factories import PartnershipFactory

    hidden = OrganisationFactory(name="Doublon en attente", status=PublicationStatus.PENDING)
    MembershipFactory(organisation=hidden, user=owner, role=MembershipRole.EDITOR)
    PartnershipFactory(initiative=carried, organisation=hidden)
    return hidden


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_an_unpublished_partner_is_named_neither_on_the_page_nor_in_the_api(carried, unpublished_partner,
                                                                           outsider, status):
    unpublished_partner.status = status
    unpublished_partner.save()
    for user in (None, outsider):
        client = client_for(user)
        assert "Doublon en attente" not in client.get(f"/initiatives/{carried.slug}/").content.decode()
        partners = client.get(f"/api/v1/initiatives/{carried.slug}").json()["partners"]
        assert [p["organisation_name"] for p in partners] == ["Alliance d'essai"]


def test_an_unpublished_partner_is_named_to_those_who_may_see_it(carried, unpublished_partner, owner, animator):
    for user in (owner, animator):
        assert "Doublon en attente" in client_for(user).get(f"/initiatives/{carried.slug}/").content.decode()


def test_the_partners_page_names_only_the_organisations_its_editor_may_see(carried, org, owner):
    from catalyse.actors.models import PublicationStatus
    from catalyse.actors.tests.factories import OrganisationFactory

    from .factories import PartnershipFactory

    PartnershipFactory(initiative=carried, organisation=OrganisationFactory(
        name="Structure tierce en attente", status=PublicationStatus.PENDING))
    body = client_for(owner).get(f"/initiatives/{carried.slug}/partenaires/").content.decode()
    assert escape(org.name) in body and "Structure tierce en attente" not in body


def test_the_form_preview_names_no_organisation_the_author_may_not_see(outsider):
    from catalyse.actors.models import PublicationStatus
    from catalyse.actors.tests.factories import OrganisationFactory

    hidden = OrganisationFactory(name="Structure tierce en attente", status=PublicationStatus.PENDING)
    response = client_for(outsider).post("/initiatives/nouvelle/", {
        "title": "Essai", "summary": "s", "recit": "r", "preview": "1", "partner_org": [str(hidden.pk)],
        "partner_role": ["partenaire"], "partner_joined": [""]})
    assert response.status_code == 200 and "Structure tierce en attente" not in response.content.decode()
