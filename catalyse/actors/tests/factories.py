import factory

from catalyse.actors.models import Membership, MembershipRole, Organisation, Profile, PublicationStatus, Scope
from catalyse.actors.services import organisation_locate
from catalyse.territories.models import Kind, Level, Territory


def commune(code: str) -> Territory:
    return Territory.objects.get(level=Level.COMMUNE, kind=Kind.CURRENT, code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association d'essai {n}")
    slug = factory.Sequence(lambda n: f"association-essai-{n}")
    profile = Profile.GENERAL_INTEREST
    scope = Scope.LOCAL
    status = PublicationStatus.PUBLISHED
    is_catalyst = True
    head_office = factory.LazyFunction(lambda: commune("62528"))

    @factory.post_generation
    def locate(self, create, extracted, **kwargs):
        organisation_locate(self)
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("catalyse.accounts.tests.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER
