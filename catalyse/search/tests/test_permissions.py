"""Private content is filtered inside the engine query: never returned, counted or faceted for those who
cannot see it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.actors.models import PublicationStatus
from catalyse.core import permissions
from catalyse.initiatives.models import Initiative, Role, Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory
from catalyse.search.queries import SearchParams, search_run

from .conftest import initiative, organisation

pytestmark = pytest.mark.django_db


def found(backend, user, q="secret"):
    res = search_run(user, SearchParams.from_query_dict(QueryDict(f"q={q}")), backend=backend)
    return res, {h.title for h in res.hits}


@pytest.fixture
def private_world(reindex, org, outsider):
    initiative("Projet secret public")
    initiative("Projet secret des membres", visibility=Visibility.MEMBERS)
    partners = initiative("Projet secret des partenaires", visibility=Visibility.PARTNERS)
    PartnershipFactory(initiative=partners, organisation=org, role=Role.PARTENAIRE)
    initiative("Brouillon secret", publication=PublicationStatus.DRAFT, created_by=outsider)
    organisation("Structure secret en attente", status=PublicationStatus.PENDING)
    return reindex()


def test_anonymous_sees_only_public_content(private_world):
    res, titles = found(private_world, AnonymousUser())
    assert titles == {"Projet secret public"}
    assert res.total == 1 and dict(res.facets["kind"]) == {"initiative": 1}


def test_member_of_partner_sees_partner_initiative(private_world, member):
    _, titles = found(private_world, member)
    assert titles == {"Projet secret public", "Projet secret des membres", "Projet secret des partenaires"}


def test_creator_sees_own_draft_but_others_do_not(private_world, outsider, member):
    assert "Brouillon secret" in found(private_world, outsider)[1]
    assert "Brouillon secret" not in found(private_world, member)[1]


def test_animator_sees_everything(private_world, animator):
    assert found(private_world, animator)[0].total == 5


def test_index_audience_agrees_with_the_permission_module(private_world, member, outsider):
    for user in (AnonymousUser(), member, outsider):
        visible = set(permissions.visible_queryset(user, Initiative.objects.all()).values_list("title", flat=True))
        res, titles = found(private_world, user)
        assert {t for t in titles if t in set(Initiative.objects.values_list("title", flat=True))} == visible
