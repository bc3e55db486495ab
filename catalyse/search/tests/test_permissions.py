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


@pytest.fixture
def private_words(reindex, org, outsider):
    """Words that only texts hidden from visitors contain, next to a public word one letter away."""
    initiative("Atelier de maraîchage", recit="Un potager partagé.")
    partners = initiative("Projet des partenaires", recit="Le maraichange confidentiel.",
                          visibility=Visibility.PARTNERS)
    PartnershipFactory(initiative=partners, organisation=org, role=Role.PARTENAIRE)
    initiative("Projet des membres", recit="La licenciature interne.", visibility=Visibility.MEMBERS)
    initiative("Brouillon", recit="La liquidature prochaine.", publication=PublicationStatus.DRAFT,
               created_by=outsider)
    organisation("Structure en attente", description="Une zygomatique affaire, un brocolu.",
                 status=PublicationStatus.PENDING)
    initiative("Jardin de brocoli")
    return reindex()


@pytest.mark.parametrize("typo", ["licenciatre", "liquidatre", "zygomatiqe"])
def test_did_you_mean_never_proposes_a_word_only_private_texts_contain(private_words, typo):
    assert found(private_words, AnonymousUser(), typo)[0].suggestion is None


def test_a_word_only_private_texts_contain_is_corrected_for_a_visitor_like_an_unknown_word(private_words):
    """Otherwise the absence of a suggestion would tell that a private text holds the word typed."""
    assert found(private_words, AnonymousUser(), "maraichange")[0].suggestion == "maraîchage"


def test_did_you_mean_proposes_the_words_of_what_the_person_may_see(private_words, member, outsider):
    assert found(private_words, member, "licenciatre")[0].suggestion == "licenciature"
    assert found(private_words, member, "zygomatiqe")[0].suggestion is None
    assert found(private_words, outsider, "liquidatre")[0].suggestion == "liquidature"
    assert found(private_words, member, "maraichange")[0].suggestion is None  # a partner: the word is theirs


def test_the_initiatives_list_corrects_a_word_only_private_texts_contain_as_an_unknown_word(private_words, client,
                                                                                           settings):
    if not private_words.supports_browse:
        pytest.skip("the list reads the database with this engine: it corrects no word")
    settings.CATALYSE_BROWSE_FROM_INDEX = True
    assert "Jardin de brocoli" in client.get("/initiatives/?q=brocolu").content.decode()
