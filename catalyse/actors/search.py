"""Organisations in the search index: their kind, fields and facets (registered from apps.ActorsConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.core.markdown import markdown_text_converter
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks, place, territory_index
from catalyse.search.registry import DateField, Facet, SearchKind, register, register_grants
from catalyse.search.signals import index_objects

from .models import Membership, Organisation, Trade
from .signals import organisations_bulk_changed


def _profile_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Organisation._meta.get_field("profile").choices}


def _trade_labels() -> dict[str, str]:
    return dict(Trade.objects.values_list("code", "name"))


# Initiatives carry their partners' profiles (the initiatives list's profile facet): they share this field.
PROFILE = Facet("profile", _("Profil"), "profil", _profile_labels, short=True)
TRADES = Facet("trades", _("Métier"), "metier", _trade_labels, short=True)
FIELDS = (
    PROFILE, TRADES,
    # The directory's own filters and facets (browse only).
    Facet("scope"), Facet("typology"), Facet("catalyst"),  # catalyst: "1" or "0"
    DateField("joined", tie="name"),
)


def private_audience(org_ids: Iterable[int], creator_id: int | None) -> list[str]:
    """Audience terms of something only these organisations' people and its creator may see."""
    return [f"org:{i}" for i in org_ids] + ([f"user:{creator_id}"] if creator_id else [])


def _organisations(qs: QuerySet) -> Iterator[SearchDocument]:
    """Rows as tuples and many-to-many links in one query per chunk: at a million organisations, model
    instances, prefetch machinery and a reverse() per row would dominate the rebuild."""
    trade_codes = dict(Trade.objects.values_list("pk", "code"))
    url_pattern = reverse("actors:detail", args=["SLUG"])
    columns = ("pk", "name", "slug", "legal_form", "description", "profile", "status", "created_by_id", "latitude",
               "longitude", "updated_at", "head_office_id", "region_id", "departement_id", "scope", "typology",
               "is_catalyst", "siren", "siret", "rna", "joined_on")
    plain = markdown_text_converter()  # snippets never show Markdown; one parser for the whole rebuild
    for rows in chunks(qs, columns, 5000):
        lo, hi = rows[0][0], rows[-1][0]
        trades: dict[int, list[str]] = {}
        for oid, tid in Organisation.trades.through.objects.filter(
                organisation_id__gte=lo, organisation_id__lte=hi).values_list("organisation_id", "trade_id"):
            trades.setdefault(oid, []).append(trade_codes[tid])
        places: dict[int, list[int]] = {}
        for oid, tid in Organisation.territories.through.objects.filter(
                organisation_id__gte=lo, organisation_id__lte=hi).values_list("organisation_id", "territory_id"):
            places.setdefault(oid, []).append(tid)
        for (pk, name, slug, legal, desc, profile, status, creator, lat, lon, updated, head, region, dep, scope,
             typology, catalyst, siren, siret, rna, joined) in rows:
            doc = SearchDocument(
                kind="organisation", object_id=pk, title=name, url=url_pattern.replace("SLUG", slug),
                summary=legal, body=plain(desc)[:BODY_STORED_CHARS], lat=lat, lon=lon, updated_at=updated,
                audience=["public"] if status == "published" else private_audience([pk], creator),
                terms={"profile": [profile], "trades": trades.get(pk, []), "scope": [scope],
                       "typology": [typology] if typology else [], "catalyst": ["1" if catalyst else "0"]},
                dates={"joined": joined}, identifiers=[i for i in (siren, siret, rna) if i],
            )
            place(doc, [head, *places.get(pk, ())])
            index = territory_index()  # after place(), which reloads it when stale
            # The région and département facets are the head office's, as in the directory (the territories
            # of action stay in `territories`, which the territory filter matches).
            doc.region = [index[region].region] if region in index else []
            doc.departement = [index[dep].departement] if dep in index else []
            yield doc


def _memberships(user) -> list[str]:
    return [f"org:{i}" for i in Membership.objects.filter(user=user).values_list("organisation_id", flat=True)]


def _bulk_changed(sender, ids, created=False, **kwargs) -> None:
    # New organisations have no partnership yet: nothing copies data from them.
    index_objects("organisation", ids, dependents=not created)


def connect() -> None:
    register(SearchKind("organisation", "actors.Organisation", _organisations, _("Organisation"), "🏢", FIELDS))
    register_grants(_memberships)
    organisations_bulk_changed.connect(_bulk_changed, dispatch_uid="search-organisations-bulk")
