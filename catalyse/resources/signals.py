"""The initiative pages cached for visitors list their resources: a resource's change renews them."""

from catalyse.initiatives.queries import DATA_VERSION

from .models import Resource


def connect() -> None:
    DATA_VERSION.connect(Resource, m2m=[Resource.initiatives.through])
