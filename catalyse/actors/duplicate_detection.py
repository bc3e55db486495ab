"""Likely duplicate organisations: the same identifier, or a similar name in the same commune.

Imports from several sources (template, RNA, SIRENE, people typing) describe the same association twice;
`duplicate_pairs` lists the likely ones for an animator, who merges them (`services.organisation_merge`) or
says they are not the same (`services.duplicate_dismiss`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from .models import DuplicateDismissal, Organisation

NAME_SCORE = 90  # token_sort_ratio on folded names: "Les amis du terril" ~ "Amis du terril (les)"
FULL_COMPARISON_MAX = 500  # communes with more organisations are compared within blocks of a shared word
STOPWORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur",
                       "association", "asso", "assoc"})


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
