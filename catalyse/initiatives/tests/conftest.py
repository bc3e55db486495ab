import pytest

from catalyse.actors.models import PublicationStatus
from catalyse.initiatives.models import Role, Visibility

from .factories import InitiativeFactory, PartnershipFactory


@pytest.fixture
def carried(org, owner):
    """A public initiative carried (porteur) by `org`, whose editor is `owner`."""
    initiative = InitiativeFactory(title="Transition de la ville minière")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    return initiative


@pytest.fixture
def members_only(db):
    return InitiativeFactory(title="Réservée aux membres", visibility=Visibility.MEMBERS)


@pytest.fixture
def partners_only(org):
    initiative = InitiativeFactory(title="Réservée aux partenaires", visibility=Visibility.PARTNERS)
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.FINANCEUR)
    return initiative


@pytest.fixture
def pending(outsider):
    return InitiativeFactory(title="En attente de relecture", publication=PublicationStatus.PENDING,
                             created_by=outsider)
