"""Small partnership networks for the graph and suggestion tests."""

import datetime

from django.utils.text import slugify

from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives.models import Initiative, Partnership, Theme, Visibility


def alliance(title: str, *partners, visibility: str = Visibility.PUBLIC, themes: tuple[str, ...] = (),
             territories=(), start: datetime.date | None = None, end: datetime.date | None = None) -> Initiative:
    """An initiative with its partners: organisations, or (organisation, joined_on, left_on) periods."""
    initiative = Initiative.objects.create(title=title, slug=slugify(title)[:100], summary=title, visibility=visibility,
                                           start_date=start, end_date=end)
    initiative.themes.set(Theme.objects.filter(code__in=themes))
    initiative.territories.set(territories)
    for partner in partners:
        organisation, joined, left = partner if isinstance(partner, tuple) else (partner, None, None)
        Partnership.objects.create(initiative=initiative, organisation=organisation, joined_on=joined, left_on=left)
    return initiative


def organisations(*names: str, **fields) -> list:
    return [OrganisationFactory(name=name, slug=slugify(name), **fields) for name in names]
