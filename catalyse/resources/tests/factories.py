import factory
from django.test import Client

from catalyse.resources.models import Collection, Resource, ResourceType, Tool, Visibility


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    name = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A network resource (no owner) unless owner_organisation or owner_initiative is given."""

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Ressource d'essai {n}")
    resource_type = ResourceType.GUIDE
    url = "https://exemple.fr/guide"
    visibility = Visibility.PUBLIC


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    family = "donnees"


def client_for(user) -> Client:
    """A test client signed in as `user` (None: a visitor)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
