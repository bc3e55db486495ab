"""Members-only, partners-only and unpublished initiatives never leak: not in pages, API, facet counts,
the resources page, sheets, or an organisation's list."""

import pytest
from django.test import Client

from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.tests.factories import MembershipFactory
from catalyse.core import permissions
from catalyse.initiatives import queries
from catalyse.initiatives.models import Initiative, PracticeSheet, Resource, ResourceKind

SECRETS = ("Réservée aux membres", "Réservée aux partenaires", "En attente de relecture")


@pytest.fixture
def everything(carried, members_only, partners_only, pending):
    for initiative in (carried, members_only, partners_only, pending):
        Resource.objects.create(initiative=initiative, kind=ResourceKind.LINK, title=f"Lien de {initiative.title}",
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
    resources = queries.resources_visible_to(outsider).values_list("title", flat=True)
    assert "Lien de Réservée aux partenaires" not in set(resources)


def test_organisation_autocomplete_lists_only_visible_organisations(org):
    from catalyse.actors.models import PublicationStatus
    from catalyse.actors.tests.factories import OrganisationFactory

    OrganisationFactory(name="Alliance cachée", status=PublicationStatus.PENDING)
    names = [i["label"] for i in Client().get("/initiatives/organisations.json?q=alliance").json()["items"]]
    assert names == ["Alliance d'essai"]
