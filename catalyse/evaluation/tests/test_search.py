"""Indicators and evidence in the global search, on each engine: unpublished items only for the initiative's
insiders (partners, creator, evaluation leads), published ones for whoever sees the initiative; the index
follows publication, partnerships and leads as the permission module does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.accounts.tests.factories import UserFactory
from catalyse.actors.tests.factories import MembershipFactory
from catalyse.core import permissions
from catalyse.evaluation import services
from catalyse.evaluation.models import Evidence, EvidenceKind, Indicator
from catalyse.initiatives.models import Role, Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run

from .conftest import make_indicator

pytestmark = pytest.mark.django_db


def found(backend, user, q) -> set[str]:
    results = search_run(user, SearchParams.from_query_dict(QueryDict(q)), backend=backend)
    return {h.title for h in results.hits}


@pytest.fixture
def rival(db):
    """A partner of another initiative only."""
    membership = MembershipFactory()
    PartnershipFactory(organisation=membership.organisation)
    return membership.user


@pytest.fixture
def evaluated(initiative, reindex):
    make_indicator(initiative, name="Parcelles maraîchères cultivées", is_public=True,
                   computation="Relevé des parcelles au cadastre solidaire.")
    make_indicator(initiative, name="Parcelles en friche reconquises",
                   computation="Comptage confidentiel des friches.")
    services.evidence_create(initiative=initiative, kind=EvidenceKind.VERBATIM, title="Parole de jardinier",
                             text="Les parcelles nous rassemblent.", consent=True, is_public=True, tags="potager")
    services.evidence_create(initiative=initiative, kind=EvidenceKind.FIGURE, title="Relevé interne",
                             text="Douze parcelles vandalisées.", tags="potager")
    return reindex()


PUBLIC = {"Parcelles maraîchères cultivées", "Parole de jardinier"}
EVERYTHING = PUBLIC | {"Parcelles en friche reconquises", "Relevé interne"}


def test_outsiders_find_only_published_indicators_and_evidence(evaluated, outsider, rival):
    for user in (AnonymousUser(), outsider, rival):
        assert found(evaluated, user, "q=parcelles") == PUBLIC


def test_partners_the_lead_and_animators_find_everything(evaluated, initiative, member, animator):
    lead = UserFactory()  # not a partner: leading the evaluation is enough
    services.framework_set(initiative=initiative, leads=[lead])
    outbox_process()
    for user in (member, lead, animator):
        assert found(evaluated, user, "q=parcelles") == EVERYTHING


def test_indicators_are_found_by_their_computation_and_initiative_and_faceted_by_impact_family(evaluated, member):
    assert found(evaluated, member, "q=cadastre") == {"Parcelles maraîchères cultivées"}
    assert found(evaluated, AnonymousUser(), "q=confidentiel") == set()
    assert found(evaluated, AnonymousUser(), "q=alliance+évaluée&kind=indicator") == {"Parcelles maraîchères cultivées"}
    results = search_run(member, SearchParams.from_query_dict(QueryDict("q=parcelles&famille=performance")),
                         backend=evaluated)
    assert {h.title for h in results.hits} == {"Parcelles maraîchères cultivées", "Parcelles en friche reconquises"}


def test_evidence_is_found_by_its_tags_and_faceted_by_kind(evaluated, member):
    assert found(evaluated, member, "q=potager") == {"Parole de jardinier", "Relevé interne"}
    assert found(evaluated, member, "q=potager&type_preuve=verbatim") == {"Parole de jardinier"}
    assert found(evaluated, AnonymousUser(), "q=potager") == {"Parole de jardinier"}


def test_publishing_and_withdrawing_reach_the_index(evaluated, outsider):
    internal = Evidence.objects.get(title="Relevé interne")
    services.evidence_publish(internal)
    outbox_process()
    assert "Relevé interne" in found(evaluated, outsider, "q=parcelles")
    indicator = Indicator.objects.get(name="Parcelles maraîchères cultivées")
    services.indicator_update(indicator, is_public=False)
    outbox_process()
    assert "Parcelles maraîchères cultivées" not in found(evaluated, outsider, "q=parcelles")


def test_a_new_partnership_opens_the_unpublished_items(evaluated, initiative, rival):
    PartnershipFactory(initiative=initiative, organisation=rival.memberships.get().organisation,
                       role=Role.PARTENAIRE)
    outbox_process()
    assert found(evaluated, rival, "q=parcelles") == EVERYTHING


def test_published_items_of_a_members_only_initiative_stay_among_members(reindex, outsider):
    members_only = InitiativeFactory(title="Alliance réservée", visibility=Visibility.MEMBERS)
    make_indicator(members_only, name="Parcelles partagées", is_public=True)
    backend = reindex()
    assert found(backend, AnonymousUser(), "q=parcelles") == set()
    assert found(backend, outsider, "q=parcelles") == {"Parcelles partagées"}


def test_the_index_agrees_with_the_permission_module(evaluated, initiative, member, outsider, rival):
    lead = UserFactory()
    services.framework_set(initiative=initiative, leads=[lead])
    outbox_process()
    for user in (AnonymousUser(), member, outsider, rival, lead):
        visible = {*permissions.visible_queryset(user, Indicator.objects.all()).values_list("name", flat=True),
                   *permissions.visible_queryset(user, Evidence.objects.all()).values_list("title", flat=True)}
        hits = found(evaluated, user, "q=parcelles") | found(evaluated, user, "q=potager")
        assert hits == visible, user
