"""A moderation decision shows in the index, the directory and the visitors' cache at once, on each engine."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from catalyse.accounts.moderation import moderation_decide
from catalyse.actors.services import organisation_create
from catalyse.initiatives.services import initiative_create
from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run

pytestmark = pytest.mark.django_db

ORGANISATION = "Ressourcerie des Deux Caps"
INITIATIVE = "Recyclerie du bassin minier"


@pytest.fixture
def proposals(backend, settings, member):
    """An organisation and an initiative proposed by a member, waiting for moderation, already indexed (for the
    people who may see them) as the worker would have done."""
    settings.CATALYSE_BROWSE_FROM_INDEX = True  # the directory reads the index when the engine can browse
    cache.clear()
    org = organisation_create(name=ORGANISATION, profile="interet_general", created_by=member)
    initiative = initiative_create(title=INITIATIVE, summary="Réemploi", created_by=member)
    outbox_process()
    return org, initiative


def decide(obj, decision, animator) -> None:
    moderation_decide(obj=obj, decision=decision, message="Hors du périmètre du réseau.", moderator=animator)
    outbox_process()  # what the worker does within two seconds of the commit


def searchable(words: str) -> list[str]:
    result = search_run(AnonymousUser(), SearchParams.from_query_dict(QueryDict(f"q={words}")))
    return [hit.title for hit in result.hits]


def visitor_sees(visitor: Client, org, initiative) -> dict[str, bool]:
    directory = visitor.get(reverse("actors:list")).content.decode()
    initiatives = visitor.get(reverse("initiatives:list")).content.decode()
    return {
        "search: organisation": searchable("ressourcerie") == [ORGANISATION],
        "search: initiative": searchable("recyclerie") == [INITIATIVE],
        "directory": ORGANISATION in directory and "2 organisations" in directory,
        "initiatives list": INITIATIVE in initiatives,
        "initiative page": visitor.get(initiative.get_absolute_url()).status_code == 200,
    }


def test_an_approval_shows_in_the_index_the_directory_and_the_visitors_cache_at_once(
        proposals, org, animator):
    visitor = Client()
    assert not any(visitor_sees(visitor, *proposals).values())  # what visitors are served is now cached
    for obj in proposals:
        decide(obj, "approve", animator)
    assert all(visitor_sees(visitor, *proposals).values()), visitor_sees(visitor, *proposals)


@pytest.mark.parametrize("decision", ["reject", "changes"])
def test_a_withdrawal_leaves_the_index_the_directory_and_the_visitors_cache_at_once(
        proposals, org, animator, decision):
    for obj in proposals:
        decide(obj, "approve", animator)
    visitor = Client()
    assert all(visitor_sees(visitor, *proposals).values())
    for obj in proposals:
        decide(obj, decision, animator)
    seen = visitor_sees(visitor, *proposals)
    assert not any(seen.values()), seen
