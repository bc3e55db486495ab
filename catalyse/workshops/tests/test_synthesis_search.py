"""Syntheses in the global search, on each engine: published ones for everyone, drafts for the board's
facilitators only (its event's organisers among them); the index follows publication through the outbox."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from catalyse.search.outbox import outbox_process
from catalyse.search.queries import SearchParams, search_run
from catalyse.search.tests.conftest import backend, reindex  # noqa: F401  (fixtures: each search engine)

from .synthesis_helpers import make_board, make_event, publish

pytestmark = pytest.mark.django_db


def found(engine, user, q: str) -> set[str]:
    return {h.url for h in search_run(user, SearchParams.from_query_dict(QueryDict(q)), backend=engine).hits}


def test_published_syntheses_are_found_drafts_only_by_their_facilitators(backend, reindex, member, outsider):  # noqa: F811
    event = make_event()
    shown, hidden = make_board(event, "Groupe bleu", member), make_board(event, "Groupe rouge", member)
    published = publish(shown, ["Organiser des ambassadeurs régionaux"], member)
    draft = publish(hidden, ["Ambassadeurs en brouillon"], member, publish=False)
    reindex()

    assert found(backend, AnonymousUser(), "q=ambassadeurs") == {published.get_absolute_url()}
    assert found(backend, outsider, "q=ambassadeurs") == {published.get_absolute_url()}
    assert found(backend, member, "q=ambassadeurs") == {published.get_absolute_url(), draft.get_absolute_url()}

    publish(hidden, ["Ambassadeurs publiés"], member)
    outbox_process()
    assert draft.get_absolute_url() in found(backend, AnonymousUser(), "q=ambassadeurs")


def test_the_event_organisers_find_the_draft_syntheses_of_its_boards(backend, reindex, org, owner, member):  # noqa: F811
    event = make_event(organiser=org)
    draft = publish(make_board(event, "Groupe vert", member), ["Des haies en brouillon"], member, publish=False)
    elsewhere = publish(make_board(make_event(slug="ailleurs"), "Groupe gris", member), ["Haies d'ailleurs"], member,
                        publish=False)
    reindex()

    assert found(backend, owner, "q=haies") == {draft.get_absolute_url()}
    assert elsewhere.get_absolute_url() in found(backend, member, "q=haies")
