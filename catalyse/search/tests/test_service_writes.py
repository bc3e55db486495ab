"""Every service write keeps the database, the search index and the visitors' cached pages in agreement, and
leaves an audit entry — on each search engine.

`WRITES` walks the write services of the apps (keyed by the service's name, then what the call does); a new
service joins it, or `NOT_WALKED` with the reason (a test checks that none is forgotten). After each one, once
the outbox is processed (as the worker does within seconds of the commit):
- the index holds exactly what a rebuild from the database would (same documents, same answers);
- every visitor page served, cached or not, is what a render with empty caches gives;
- the audit log has a new entry.
"""

import datetime
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Model
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from catalyse.accounts import moderation
from catalyse.accounts.models import AuditEntry
from catalyse.accounts.moderation import moderation_decide
from catalyse.actors import services as actors_services
from catalyse.actors.models import Organisation
from catalyse.actors.services import (
    duplicate_dismiss,
    organisation_create,
    organisation_merge,
    organisation_propose,
    organisation_update,
)
from catalyse.actors.tests.import_helpers import RNA_HEADER, rna_line, run_import, write_file
from catalyse.evaluation import services as evaluation_services
from catalyse.evaluation.models import Evidence, EvidenceKind, Indicator
from catalyse.events import services as events_services
from catalyse.events.models import Event, EventStatus
from catalyse.initiatives import services as initiatives_services
from catalyse.initiatives.models import Initiative, Partnership, PracticeSheet, Role, Stage
from catalyse.initiatives.services import (
    initiative_create,
    initiative_restore,
    initiative_update,
    partners_add,
    partnership_add,
    partnership_end,
    sheet_create,
    sheet_restore,
    sheet_update,
    stage_change,
)
from catalyse.resources import services as resources_services
from catalyse.resources.models import Family, Resource
from catalyse.search.models import OutboxEntry
from catalyse.search.outbox import index_check, index_rebuild, outbox_process
from catalyse.search.queries import SearchParams, search_run
from catalyse.workshops import services as workshops_services
from catalyse.workshops import services_synthesis
from catalyse.workshops.services_synthesis import ProposalInput

pytestmark = pytest.mark.django_db

WORD = "canton"  # in every object's title, so that one search shows them all
TODAY = datetime.date(2026, 3, 1)
ORG_RNA = "W623000002"


@dataclass
class World:
    owner: Model
    animator: Model
    org: Organisation
    other_org: Organisation
    pending_org: Organisation
    initiative: Initiative
    pending_initiative: Initiative
    partnership: Partnership
    sheet: PracticeSheet
    event: Event
    tmp: Path


def _rna_import(w: World, rna: str, title: str) -> None:
    run_import(write_file(w.tmp, "rna_waldec_20240101_dpt_62.csv", [RNA_HEADER, rna_line(rna, title)]), "rna",
               created_by=w.animator)


def _indicator(w: World, *, public: bool = False) -> Indicator:
    return evaluation_services.indicator_create(
        initiative=w.initiative, name=f"Jardins du {WORD}", definition="Jardins ouverts.", is_public=public,
        computation="Comptage annuel.", targets=[{"date": "2027-12-31", "value": 10}], created_by=w.owner)


def _evidence(w: World, *, public: bool = False) -> Evidence:
    return evaluation_services.evidence_create(initiative=w.initiative, kind=EvidenceKind.FIGURE, is_public=public,
                                               title=f"Relevé du {WORD}", text="12 jardins", created_by=w.owner)


def _resource(w: World) -> Resource:
    return resources_services.resource_create(owner_organisation=w.org, author=w.owner, title=f"Étude du {WORD}",
                                              url="https://exemple.org/etude")


def _collection(w: World):
    """A collection with a resource filed in it (the library and the resource's page show its name)."""
    collection = resources_services.collection_create(name=f"Outils du {WORD}", author=w.animator)
    resources_services.resource_update(_resource(w), author=w.owner, collections=[collection])
    return collection


def _synthesis(w: World, *, publish: bool):
    board = workshops_services.board_create(title=f"Atelier du {WORD}", created_by=w.owner)
    return services_synthesis.synthesis_save(board=board, actor=w.owner, publish=publish,
                                             proposals=[ProposalInput(f"Voyages d'étude du {WORD}")])


def _moment(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2030, 6, day, hour, tzinfo=datetime.UTC)  # to come: registrations stay open


def _session(w: World):
    return events_services.session_create(event=w.event, title="Atelier bocage", starts_at=_moment(2, 10),
                                          ends_at=_moment(2, 11))


def _event_resource(w: World) -> Resource:
    return resources_services.resource_create(owner_event=w.event, author=w.owner, title=f"Programme du {WORD}",
                                              url="https://exemple.org/programme")


def _decide(obj: Model, decision: str, animator) -> Model:
    return moderation_decide(obj=obj, decision=decision, message="Hors du périmètre.", moderator=animator)


WRITES: dict[str, Callable[[World], object]] = {
    "organisation_create": lambda w: organisation_create(name=f"Recyclerie du {WORD}", profile="interet_general",
                                                         created_by=w.animator),
    "organisation_update": lambda w: organisation_update(w.org, name=f"Alliance du {WORD} renommée"),
    "organisation_merge": lambda w: organisation_merge(keep=w.org, remove=w.other_org, merged_by=w.animator),
    "duplicate_dismiss": lambda w: duplicate_dismiss(first=w.org, second=w.other_org, dismissed_by=w.animator),
    "initiative_create": lambda w: initiative_create(title=f"Jardin du {WORD}", summary="Réemploi",
                                                     created_by=w.animator, partners=[(w.org, Role.PORTEUR)]),
    "initiative_update": lambda w: initiative_update(w.initiative, author=w.owner, title=f"Atelier du {WORD}"),
    "stage_change": lambda w: stage_change(w.initiative, stage=Stage.ESSAIMAGE, changed_on=TODAY, author=w.owner),
    "partnership_add": lambda w: partnership_add(initiative=w.initiative, organisation=w.other_org,
                                                 role=Role.FINANCEUR),
    "partners_add": lambda w: partners_add(initiative=w.initiative, partners=[
        {"organisation": w.other_org, "role": Role.FINANCEUR}, {"organisation": w.other_org, "role": Role.PARTENAIRE}]),
    "partnership_end": lambda w: partnership_end(w.partnership, left_on=TODAY),
    "sheet_create": lambda w: sheet_create(initiative=w.initiative, author=w.owner, title=f"Fiche du {WORD}",
                                           objective="Réemployer"),
    "sheet_update": lambda w: sheet_update(w.sheet, author=w.owner, title=f"Méthode du {WORD}"),
    "resource_create: an initiative's": lambda w: resources_services.resource_create(
        owner_initiative=w.initiative, author=w.owner, title=f"Guide du {WORD}", url="https://exemple.org/guide"),
    "resource_create: the network's, members only": lambda w: resources_services.resource_create(
        author=w.animator, title=f"Carte du {WORD}", url="https://exemple.org/carte", visibility="members"),
    "resource_update: made private, with a collection": lambda w: resources_services.resource_update(
        _resource(w), author=w.owner, visibility="private",
        collections=[resources_services.collection_create(name=f"Outils du {WORD}")]),
    "resource_delete": lambda w: resources_services.resource_delete(_resource(w), author=w.owner),
    "collection_create": lambda w: resources_services.collection_create(name=f"Collection du {WORD}"),
    "collection_update: renamed, with a resource in it": lambda w: resources_services.collection_update(
        _collection(w), name=f"Boîte du {WORD}", description="Renommée.", author=w.animator),
    "tool_create": lambda w: resources_services.tool_create(name=f"Observatoire du {WORD}", family=Family.DATA,
                                                            provider=w.org, profiles=["public"]),
    "tool_update": lambda w: resources_services.tool_update(
        resources_services.tool_create(name=f"Observatoire du {WORD}", family=Family.DATA), name=f"Atlas du {WORD}",
        provider=w.org, expected_version=1),
    "tool_delete": lambda w: resources_services.tool_delete(
        resources_services.tool_create(name=f"Observatoire du {WORD}", family=Family.DATA), author=w.animator),
    "resource_create: an event's, private": lambda w: resources_services.resource_create(
        owner_event=w.event, author=w.owner, title=f"Diaporama du {WORD}", url="https://exemple.org/d",
        visibility="private"),
    "initiative_restore": lambda w: initiative_restore(w.initiative, author=w.owner,
                                                       revision=w.initiative.revisions.get(sheet=None, number=1)),
    "sheet_restore": lambda w: sheet_restore(w.sheet, author=w.owner, revision=w.sheet.revisions.get(number=1)),
    "organisation_propose": lambda w: organisation_propose(user=w.owner, name=f"Atelier vélo du {WORD}",
                                                           profile="interet_general"),
    "organisations_bulk_create: an RNA import": lambda w: _rna_import(w, "W623000001", f"RECYCLERIE DU {WORD}"),
    "organisations_bulk_update: an RNA import renames": lambda w: _rna_import(w, ORG_RNA, f"ALLIANCE DU {WORD} 2"),
    "moderation_decide: approve an organisation": lambda w: _decide(w.pending_org, "approve", w.animator),
    "moderation_decide: approve an initiative": lambda w: _decide(w.pending_initiative, "approve", w.animator),
    "moderation_decide: reject a published organisation": lambda w: _decide(w.org, "reject", w.animator),
    "moderation_decide: ask changes to a published initiative": lambda w: _decide(w.initiative, "changes",
                                                                                  w.animator),
    "framework_set: a lead joins": lambda w: evaluation_services.framework_set(initiative=w.initiative,
                                                                                leads=[w.animator]),
    "indicator_create": lambda w: _indicator(w, public=True),
    "indicator_update: unpublished, with a new definition": lambda w: evaluation_services.indicator_update(
        _indicator(w, public=True), actor=w.owner, is_public=False, computation="Comptage trimestriel.",
        reason_category="context", reason_text="Plus de jardins."),
    "evidence_create": lambda w: _evidence(w, public=True),
    "evidence_update": lambda w: evaluation_services.evidence_update(_evidence(w), title=f"Chiffre du {WORD}"),
    "evidence_publish": lambda w: evaluation_services.evidence_publish(_evidence(w)),
    "evidence_delete": lambda w: evaluation_services.evidence_delete(_evidence(w, public=True)),
    "synthesis_save: a published synthesis": lambda w: _synthesis(w, publish=True),
    "synthesis_save: a draft, then published": lambda w: services_synthesis.synthesis_save(
        board=_synthesis(w, publish=False).board, actor=w.owner, publish=True,
        proposals=[ProposalInput(f"Ambassadeurs du {WORD}")]),
    "event_create": lambda w: events_services.event_create(title=f"Webinaire du {WORD}", starts_at=_moment(3, 9),
                                                           ends_at=_moment(3, 10), status=EventStatus.PUBLISHED),
    "event_update: unpublished": lambda w: events_services.event_update(w.event, status=EventStatus.DRAFT),
    "event_publish": lambda w: events_services.event_publish(events_services.event_create(
        title=f"Voyage du {WORD}", starts_at=_moment(4, 9), ends_at=_moment(4, 18), created_by=w.animator)),
    "session_create": lambda w: _session(w),
    "session_update": lambda w: events_services.session_update(_session(w), title=f"Plénière du {WORD}"),
    "session_delete": lambda w: events_services.session_delete(_session(w)),
    "programme_save": lambda w: events_services.programme_save(w.event, rows=[events_services.SessionRow(
        title=f"Atelier du {WORD}", starts_at=_moment(2, 14), ends_at=_moment(2, 15))], remove=[_session(w).pk]),
    "event_update: its programme, its event-owned resources unpublished": lambda w: events_services.event_update(
        _event_resource(w).owner_event, expected_version=1, status=EventStatus.DRAFT, sessions=[
            events_services.SessionRow(title=f"Visite du {WORD}", starts_at=_moment(2, 9), ends_at=_moment(2, 10))]),
    "registration_create": lambda w: events_services.registration_create(event=w.event, name="A. B.",
                                                                         email="ab@exemple.fr"),
}
NOT_WALKED = {
    "framework_of": "returns an initiative's framework, creating an empty one: nothing indexed or shown changes",
    "current_version": "a read",
    "framework_lock": "locks measurement periods: nothing indexed",
    "objective_create": "objectives are not indexed",
    "objective_update": "objectives are not indexed",
    "measurement_create": "measurements are not indexed",
    "measurement_update": "measurements are not indexed",
    "measurement_submit": "measurements are not indexed",
    "measurement_approve": "measurements are not indexed",
    "measurement_return": "measurements are not indexed",
    "late_collections_remind": "sends reminder emails; writes nothing",
    "indicator_definition_changes": "a read: which definition fields a change would touch",
    "measurement_values_clean": "checks a measurement's values; writes nothing",
    "periods_check_open": "checks periods against the lock; writes nothing",
    "locked_until_of": "a read",
    "organisation_locate": "computes fields of an organisation being saved; writes nothing itself",
    "initiative_profiles_refresh": "a derived copy of the partnerships, refreshed by their signals",
    **dict.fromkeys(
        ["board_create", "board_update", "board_close", "participant_join", "participant_anonymise", "card_create",
         "vote_add", "vote_remove", "cards_merge", "card_move", "card_pin"],
        "workshop boards and cards are not indexed; polls keep each card's state per version, which every write "
        "stamps anew (tested in the workshops app)"),
    "registration_cancel": "as registration_create: registrations are not indexed (they re-index the event's "
                           "resources, whose private ones their people see) and event pages are not cached",
    "registration_public_name_set": "as registration_create: registrations are not indexed and event pages, "
                                    "where public names show, are not cached",
    "attendance_mark": "attendance is shown to organisers only, never indexed",
    "registrations_erase": "runs on account deletion; registrations are not indexed",
}
SERVICE_MODULES = (actors_services, initiatives_services, evaluation_services, events_services, resources_services,
                   moderation, workshops_services, services_synthesis)
# The moderation module also holds reads and the registry; its writes that change what visitors see:
MODERATION_WRITES = {"moderation_decide"}


@pytest.fixture
def world(backend, settings, tmp_path, org, owner, outsider, animator) -> World:
    settings.CATALYSE_BROWSE_FROM_INDEX = True  # the directory and lists read the index when the engine can
    org.name, org.rna = f"Alliance du {WORD}", ORG_RNA
    org.save()
    other = organisation_create(name=f"Alliance du {WORD} (doublon)", profile="interet_general", created_by=animator)
    initiative = initiative_create(title=f"Ressourcerie du {WORD}", summary="Réemploi", created_by=animator,
                                   partners=[(org, Role.PORTEUR)])
    world = World(
        owner=owner, animator=animator, org=org, other_org=other,
        pending_org=organisation_create(name=f"Tiers-lieu du {WORD}", profile="interet_general", created_by=outsider),
        initiative=initiative,
        pending_initiative=initiative_create(title=f"Cantine du {WORD}", summary="Réemploi", created_by=outsider),
        partnership=initiative.partnerships.get(),
        sheet=sheet_create(initiative=initiative, author=owner, title=f"Recette du {WORD}", objective="Réparer"),
        event=events_services.event_create(title=f"Rencontre du {WORD}", starts_at=_moment(2, 9),
                                           ends_at=_moment(2, 17), status=EventStatus.PUBLISHED, organiser=org),
        tmp=tmp_path,
    )
    outbox_process()
    cache.clear()
    return world


def searches() -> dict[str, list[tuple[str, str, str]]]:
    """What the index answers to visitors and animators, in an order that does not depend on scores (a
    rebuilt index scores differently from one that saw deletions)."""
    from catalyse.accounts.models import Role as AccountRole
    from catalyse.accounts.tests.factories import UserFactory

    answers = {}
    for who, user in (("visitor", AnonymousUser()), ("animator", UserFactory.build(role=AccountRole.ANIMATOR))):
        hits = search_run(user, SearchParams.from_query_dict(QueryDict(f"q={WORD}&limit=50"))).hits
        answers[who] = sorted((h.doc_id, h.title, h.url) for h in hits)
    return answers


def visitor_pages(client: Client, w: World) -> dict[str, tuple[int, bytes]]:
    urls = [reverse("actors:list"), reverse("initiatives:list"), reverse("resources:list"),
            reverse("resources:toolbox"),
            reverse("search:results") + f"?q={WORD}",
            f"/organisations/{w.org.slug}/", f"/organisations/{w.other_org.slug}/",
            f"/organisations/{w.pending_org.slug}/",
            f"/initiatives/{w.initiative.slug}/", f"/initiatives/{w.pending_initiative.slug}/",
            f"/initiatives/{w.initiative.slug}/fiches/{w.sheet.pk}/",
            reverse("events:list")]  # an event page carries a per-visitor CSRF token: never the same twice
    return {url: ((r := client.get(url)).status_code, r.content) for url in urls}


@pytest.mark.parametrize("write", WRITES)
def test_a_service_write_keeps_database_index_and_visitor_pages_in_agreement(world, backend, write):
    visitor = Client()
    visitor_pages(visitor, world)  # what visitors see before the write is now in the caches
    audited = AuditEntry.objects.count()

    WRITES[write](world)
    outbox_process()  # the worker

    assert AuditEntry.objects.count() > audited, "no audit entry"
    assert not OutboxEntry.objects.exists()
    assert index_check(backend) == (set(), set()), "index and database hold different objects"
    served, answers = visitor_pages(visitor, world), searches()
    cache.clear()
    assert visitor_pages(Client(), world) == served, "a visitor was served a stale cached page"
    index_rebuild(backend)
    assert searches() == answers, "the index answers differently from a rebuild"


def test_every_write_service_is_walked_or_says_why_not():
    """A new service must join WRITES (or NOT_WALKED with its reason), so that the walk stays complete."""
    services = {name for module in SERVICE_MODULES for name, fn in inspect.getmembers(module, inspect.isfunction)
                if fn.__module__ == module.__name__ and not name.startswith("_")
                and (module is not moderation or name in MODERATION_WRITES)}
    walked = {key.split(":")[0] for key in WRITES}
    assert services - walked - set(NOT_WALKED) == set()
