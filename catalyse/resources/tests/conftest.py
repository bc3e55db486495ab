import pytest

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory
from catalyse.search.tests.conftest import backend, reindex  # noqa: F401  (fixtures: each search engine)


@pytest.fixture
def initiative(org):
    """A public initiative `org` carries: its `owner` (editor) and `member` are partners."""
    initiative = InitiativeFactory(title="Alliance documentée", slug="alliance-documentee")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    return initiative


@pytest.fixture
def partner(initiative):
    """A plain member of another organisation, current partner of the initiative."""
    other = OrganisationFactory(name="Partenaire associé")
    PartnershipFactory(initiative=initiative, organisation=other, role=Role.PARTENAIRE)
    return MembershipFactory(organisation=other).user
