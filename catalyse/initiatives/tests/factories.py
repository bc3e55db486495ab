import factory

from catalyse.actors.models import PublicationStatus
from catalyse.core.text import fold
from catalyse.initiatives.models import Initiative, Partnership, Role, Visibility


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative d'essai {n}")
    slug = factory.Sequence(lambda n: f"initiative-essai-{n}")
    summary = "Une initiative pour les tests."
    visibility = Visibility.PUBLIC
    publication = PublicationStatus.PUBLISHED
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.title} {o.summary}"))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory("catalyse.actors.tests.factories.OrganisationFactory")
    role = Role.PARTENAIRE
