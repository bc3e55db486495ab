"""Likely duplicate organisations (same identifier, or a similar name in the same commune) and their merge.

Imports from several sources (template, RNA, SIRENE, people typing) describe the same association twice;
`duplicate_pairs` lists the likely ones for an animator and `organisation_merge` folds one organisation into
another keeping every link that points at it, whichever app added the link.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from catalyse.accounts.audit import Action, audit_record

from .models import DuplicateDismissal, MembershipRole, MergeRecord, Organisation
from .services import organisation_update

NAME_SCORE = 90  # token_sort_ratio on folded names: "Les amis du terril" ~ "Amis du terril (les)"
FULL_COMPARISON_MAX = 500  # communes with more organisations are compared within blocks of a shared word
STOPWORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur",
                       "association", "asso", "assoc"})
# Values the kept organisation takes from the removed one when it has none.
FILLED_FIELDS = ("siren", "siret", "rna", "legal_form", "address", "postal_code", "website", "email", "description",
                 "head_office", "latitude", "longitude", "logo", "joined_on")


@dataclass
class DuplicatePair:
    first: Organisation
    second: Organisation
    reason: str
    score: int  # 100 for a shared identifier

    @property
    def organisations(self) -> tuple[Organisation, Organisation]:
        return self.first, self.second


def _distinct_entities(a: dict, b: dict) -> bool:
    """Two different registered numbers of the same kind: two legal entities, however alike their names."""
    return any(a[f] and b[f] and a[f] != b[f] for f in ("rna", "siren"))


def duplicate_pairs(*, departement: str = "", limit: int = 100) -> list[DuplicatePair]:
    """Likely duplicates, surest first: a shared SIREN, then similar names in one commune (streamed commune
    by commune so that memory stays bounded on a national base). Pairs an animator dismissed are left out."""
    base = Organisation.objects.all()
    if departement:
        base = base.filter(departement__code=departement)
    dismissed = {frozenset(p) for p in DuplicateDismissal.objects.values_list("first_id", "second_id")}
    found: dict[frozenset, tuple[str, int]] = {}

    def add(a: int, b: int, reason: str, score: int) -> bool:
        key = frozenset((a, b))
        if a != b and key not in dismissed and key not in found:
            found[key] = (reason, score)
        return len(found) >= limit

    shared = base.exclude(siren="").values("siren").annotate(n=Count("id")).filter(n__gt=1).order_by("siren")
    for siren in shared.values_list("siren", flat=True)[:limit]:
        ids = list(base.filter(siren=siren).order_by("pk").values_list("pk", flat=True)[:5])
        if any(add(a, b, _("même SIREN %(s)s") % {"s": siren}, 100) for a, b in itertools.combinations(ids, 2)):
            break
    if len(found) < limit:
        _similar_names(base, add)
    return _pairs(found)


def _similar_names(base, add) -> None:
    rows = (base.exclude(head_office=None).order_by("head_office_id")
            .values("id", "head_office_id", "search_name", "rna", "siren").iterator(chunk_size=5000))
    for _office, group in itertools.groupby(rows, key=lambda r: r["head_office_id"]):
        group = list(group)
        if len(group) < 2:
            continue
        blocks = [group] if len(group) <= FULL_COMPARISON_MAX else _blocks(group)
        for block in blocks:
            names = [_significant(r["search_name"]) for r in block]
            for i, name in enumerate(names[:-1]):
                for _choice, score, k in process.extract(name, names[i + 1:], scorer=fuzz.token_sort_ratio,
                                                         score_cutoff=NAME_SCORE, limit=None):
                    a, b = block[i], block[i + 1 + k]
                    if not _distinct_entities(a, b) and add(a["id"], b["id"], _("nom proche dans la même commune"),
                                                            int(score)):
                        return


def _significant(folded_name: str) -> str:
    """The name without the words every association shares ("association", "les", "de"…)."""
    return " ".join(w for w in folded_name.split() if w not in STOPWORDS) or folded_name


def _blocks(group: list[dict]) -> list[list[dict]]:
    by_word: dict[str, list[dict]] = {}
    for row in group:
        by_word.setdefault(_significant(row["search_name"]).split(" ")[0], []).append(row)
    return [b for b in by_word.values() if len(b) > 1]


def _pairs(found: dict[frozenset, tuple[str, int]]) -> list[DuplicatePair]:
    ids = set().union(*found) if found else set()
    orgs = Organisation.objects.select_related("head_office").in_bulk(ids)
    pairs = []
    for key, (reason, score) in found.items():
        a, b = sorted(key)
        pairs.append(DuplicatePair(orgs[a], orgs[b], reason, score))
    return sorted(pairs, key=lambda p: (-p.score, p.first.name))


def duplicate_dismiss(*, first: Organisation, second: Organisation, dismissed_by=None) -> None:
    a, b = sorted((first, second), key=lambda o: o.pk)
    DuplicateDismissal.objects.get_or_create(first=a, second=b, defaults={"dismissed_by": dismissed_by})


def _links_to_organisation():
    """Every foreign key that points at Organisation, from any app, including the hidden ones of many-to-many
    tables (Organisation's own trades and territories, and other models' many-to-many to organisations)."""
    for rel in Organisation._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one) \
                and rel.related_model is not DuplicateDismissal:
            yield rel.related_model, rel.field


@transaction.atomic
def organisation_merge(*, keep: Organisation, remove: Organisation, merged_by=None) -> MergeRecord:
    """Fold `remove` into `keep`: every link to `remove` (members, trades, territories, initiative partners,
    earlier merges…) moves to `keep` unless `keep` already has the same link; `keep` takes the values it lacks;
    `remove` is deleted and recorded (with a snapshot of all its values) so its address redirects to `keep`."""
    if keep.pk == remove.pk:
        raise ValueError(_("Une organisation ne peut pas être fusionnée avec elle-même."))
    snapshot = json.loads(json.dumps(serializers.serialize("python", [remove])[0], cls=DjangoJSONEncoder))
    # A person who edited the removed organisation keeps editing rights on the kept one.
    keep.memberships.filter(user__in=remove.memberships.filter(role=MembershipRole.EDITOR).values("user")).update(
        role=MembershipRole.EDITOR)
    moved: dict[str, int] = {}
    for model, fk in _links_to_organisation():
        rows = model._base_manager.filter(**{fk.attname: remove.pk})
        try:
            with transaction.atomic():
                count = rows.update(**{fk.attname: keep.pk})
        except IntegrityError:
            count = 0
            for pk in rows.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        count += model._base_manager.filter(pk=pk).update(**{fk.attname: keep.pk})
                except IntegrityError:
                    model._base_manager.filter(pk=pk).delete()  # `keep` already has this very link
        if count:
            moved[model._meta.label] = count
    snapshot["links_moved"] = moved
    filled = {f: getattr(remove, f) for f in FILLED_FIELDS if not getattr(keep, f) and getattr(remove, f)}
    if remove.is_catalyst and not keep.is_catalyst:
        filled["is_catalyst"] = True
    record = MergeRecord.objects.create(kept=keep, removed_id=remove.pk, removed_slug=remove.slug,
                                        removed_name=remove.name, snapshot=snapshot, merged_by=merged_by)
    audit_record(Action.DELETE, obj=remove, actor=merged_by, changes={"merged_into": keep.slug})
    remove.delete()  # first: its unique identifiers may move to `keep`
    organisation_update(keep, **filled)
    return record


def organisation_redirect_slug(slug: str) -> str | None:
    """The slug of the organisation that an organisation with this (old) slug was merged into, if any."""
    return (MergeRecord.objects.filter(removed_slug=slug, kept__isnull=False).order_by("-merged_at")
            .values_list("kept__slug", flat=True).first())

