"""Resources ("Ressource") and toolbox services ("Outil") in the search index (registered from apps.py).

A resource owned by an initiative lends that initiative's themes, SDGs, stage, partners' profiles and
territories when it has none of its own (one filter finds an initiative and its documents). Its audience
mirrors `permissions.ResourcePolicy.visible_q`: what its owner's audience allows for its visibility, plus the
owner's insiders ("org:<id>", "user:<id>"; an event's organisers "editor:<id>" and registered people
"registered:<event id>", a term granted at search time) and the person who added it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.actors.search import PROFILE, private_audience
from catalyse.events.models import Event, EventStatus, Registration
from catalyse.events.search import organiser_audience, registrant_audience
from catalyse.initiatives.models import Initiative, Partnership
from catalyse.initiatives.search import FIELDS as INITIATIVE_FIELDS
from catalyse.initiatives.search import _initiative_facts
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks, place
from catalyse.search.registry import Facet, SearchKind, Watch, register, register_dependents

from .models import Collection, Family, Resource, ResourceType, Tool, Visibility


def _type_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in ResourceType.choices}


def _collection_labels() -> dict[str, str]:
    return dict(Collection.objects.values_list("slug", "name"))


def _family_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Family.choices}


RESOURCE_TYPE = Facet("resource_type", _("Type de ressource"), "type_ressource", _type_labels)
COLLECTION = Facet("collection", _("Collection"), "collection", _collection_labels, short=True)
TOOL_FAMILY = Facet("tool_family", _("Famille d'outils"), "famille_outil", _family_labels)
FIELDS = (*INITIATIVE_FIELDS, RESOURCE_TYPE, COLLECTION)


def resource_audience(visibility: str, owner_audience: list[str], insiders: list[str]) -> list[str]:
    """Mirrors ResourcePolicy.visible_q (a test checks both agree)."""
    if visibility == Visibility.PRIVATE:
        seen_by = []
    elif visibility == Visibility.MEMBERS:
        seen_by = ["members" if term == "public" else term for term in owner_audience]
    else:
        seen_by = owner_audience
    return list(dict.fromkeys([*seen_by, *insiders]))


def _links(through, ids: list[int], value: str) -> dict[int, list]:
    found: dict[int, list] = {}
    for rid, v in through.objects.filter(resource_id__in=ids).values_list("resource_id", value):
        found.setdefault(rid, []).append(v)
    return found


def _resources(qs: QuerySet) -> Iterator[SearchDocument]:
    url_pattern = reverse("resources:detail", args=[0]).replace("0", "PK")
    columns = (
        "pk",
        "title",
        "summary",
        "resource_type",
        "visibility",
        "owner_organisation_id",
        "owner_initiative_id",
        "owner_event_id",
        "created_by_id",
        "authors_text",
        "tags",
        "updated_at",
    )
    for rows in chunks(qs, columns, 1000):
        ids = [r[0] for r in rows]
        themes = _links(Resource.themes.through, ids, "theme__code")
        places = _links(Resource.territories.through, ids, "territory_id")
        collections = _links(Resource.collections.through, ids, "collection__slug")
        initiative_ids = sorted({r[6] for r in rows if r[6]})
        facts = _initiative_facts(initiative_ids)
        partners: dict[int, list[int]] = {}
        for iid, oid in Partnership.objects.filter(initiative_id__in=initiative_ids).values_list(
            "initiative_id", "organisation_id"
        ):
            partners.setdefault(iid, []).append(oid)
        creators = dict(Initiative.objects.filter(pk__in=initiative_ids).values_list("pk", "created_by_id"))
        orgs = {
            pk: (status, creator)
            for pk, status, creator in Organisation.objects.filter(pk__in={r[5] for r in rows if r[5]}).values_list(
                "pk", "status", "created_by_id"
            )
        }
        events = _event_facts(sorted({r[7] for r in rows if r[7]}))
        for pk, title, summary, rtype, visibility, org_id, init_id, event_id, creator, authors, tags, updated in rows:
            terms: dict[str, list[str]] = {"themes": [], "sdgs": [], "stage": [], "profile": [], "status": []}
            territory_ids = places.get(pk, [])
            dates = {}
            if init_id:
                f = facts[init_id]
                terms = {name: list(values) for name, values in f.terms.items()}
                territory_ids = territory_ids or f.territory_ids
                dates = dict(f.dates)
                owner_audience = f.audience
                insiders = private_audience(sorted(set(partners.get(init_id, ()))), creators.get(init_id))
            elif org_id:
                status, org_creator = orgs[org_id]
                insiders = [f"org:{org_id}"]
                owner_audience = (
                    ["public"] if status == PublicationStatus.PUBLISHED else private_audience([org_id], org_creator)
                )
            elif event_id:
                owner_audience, insiders = events[event_id]
            else:
                owner_audience, insiders = ["public"], []
            if creator:
                insiders = [*insiders, f"user:{creator}"]
            terms["themes"] = sorted({*terms["themes"], *themes.get(pk, [])})
            terms["resource_type"] = [rtype]
            terms["collection"] = sorted(collections.get(pk, []))
            body = "\n".join(x for x in (authors, " ".join(tags or [])) if x)
            doc = SearchDocument(
                kind="resource",
                object_id=pk,
                title=title,
                url=url_pattern.replace("PK", str(pk)),
                summary=summary,
                body=body[:BODY_STORED_CHARS],
                terms=terms,
                dates=dates,
                audience=resource_audience(visibility, owner_audience, insiders),
                updated_at=updated,
            )
            place(doc, territory_ids)
            yield doc


def _event_facts(ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """For each event: (who sees it, its insiders). A published event is public, a draft its organisers';
    insiders are its organisers and the people registered (their term is granted only for a published event)."""
    facts = {}
    for pk, status, creator, organiser in Event.objects.filter(pk__in=ids).values_list(
        "pk", "status", "created_by_id", "organiser_id"
    ):
        organisers = organiser_audience(creator, organiser)
        seen_by = ["public"] if status == EventStatus.PUBLISHED else organisers
        facts[pk] = (seen_by, [*organisers, registrant_audience(pk)])
    return facts


def _tools(qs: QuerySet) -> Iterator[SearchDocument]:
    url_pattern = reverse("resources:tool", args=["SLUG"])
    for rows in chunks(
        qs, ("pk", "name", "slug", "summary", "family", "profiles", "provider_text", "updated_at", "provider__name")
    ):
        for pk, name, slug, summary, family, profiles, provider_text, updated, provider in rows:
            yield SearchDocument(
                kind="tool",
                object_id=pk,
                title=name,
                url=url_pattern.replace("SLUG", slug),
                summary=summary,
                body=provider or provider_text,
                terms={"tool_family": [family], "profile": sorted(profiles or [])},
                updated_at=updated,
            )


def _owned_by_initiatives(ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """They copy their initiative's classification and audience."""
    yield "resource", Resource.objects.filter(owner_initiative_id__in=ids).values_list("pk", flat=True)


def _owned_by_organisations(ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """An organisation's publication decides who sees the resources it owns; a provider's name shows on tools."""
    yield "resource", Resource.objects.filter(owner_organisation_id__in=ids).values_list("pk", flat=True)
    yield "tool", Tool.objects.filter(provider_id__in=ids).values_list("pk", flat=True)


def _owned_by_events(ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """An event's publication and organisers decide who sees the resources it owns."""
    yield "resource", Resource.objects.filter(owner_event_id__in=ids).values_list("pk", flat=True)


def _registration_resources(registration: Registration) -> Iterable[int]:
    """The event's resources, re-indexed when a registration changes. Their audience no longer depends on
    registrations ("registered:<event id>" is granted at search time), but documents indexed before that term
    named registered people as "user:<id>": this replaces them, without waiting for a rebuild, before a
    cancellation could leave a stale term behind."""
    return Resource.objects.filter(owner_event_id=registration.event_id).values_list("pk", flat=True)


def connect() -> None:
    registrations = Watch("events.Registration", _registration_resources)
    register(
        SearchKind("resource", "resources.Resource", _resources, _("Ressource"), "📎", FIELDS, watches=(registrations,))
    )
    register(SearchKind("tool", "resources.Tool", _tools, _("Outil"), "🧰", (TOOL_FAMILY, PROFILE)))
    register_dependents("initiative", _owned_by_initiatives)
    register_dependents("organisation", _owned_by_organisations)
    register_dependents("event", _owned_by_events)
