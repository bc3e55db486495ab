"""Indicators and evidence in the search index (registered from apps.EvaluationConfig.ready).

Both carry their initiative's themes, SDGs, stage, partners' profiles and territories (one filter finds an
initiative and its evaluation). Their audience mirrors `permissions.EvaluationPartPolicy.visible_q`: a published
item is seen by whoever sees its initiative; an unpublished one by the initiative's insiders only — people of its
partner organisations ("org:<id>"), its creator and its evaluation leads ("user:<id>"). Partnerships, the
initiative and the framework's leads change that audience: their changes re-index the items.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.initiatives.models import Initiative, Partnership
from catalyse.initiatives.search import FIELDS as INITIATIVE_FIELDS
from catalyse.initiatives.search import _initiative_facts
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, chunks, place
from catalyse.search.registry import Facet, SearchKind, Watch, register, register_dependents
from catalyse.search.signals import index_objects

from .models import Evidence, EvidenceKind, Framework, ImpactFamily, Indicator, IndicatorVersion


def _family_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in ImpactFamily.choices}


def _evidence_kind_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in EvidenceKind.choices}


IMPACT_FAMILY = Facet("impact_family", _("Famille d'impact"), "famille", _family_labels)
EVIDENCE_KIND = Facet("evidence_kind", _("Type de preuve"), "type_preuve", _evidence_kind_labels)


def _insiders(initiative_ids: list[int]) -> dict[int, list[str]]:
    """Audience terms of each initiative's insiders: partner organisations (past ones too, as the permission
    module counts them), creator, evaluation leads."""
    terms: dict[int, dict[str, None]] = {i: {} for i in initiative_ids}
    for iid, oid in Partnership.objects.filter(initiative_id__in=initiative_ids).order_by("organisation_id") \
            .values_list("initiative_id", "organisation_id"):
        terms[iid][f"org:{oid}"] = None
    for iid, creator in Initiative.objects.filter(pk__in=initiative_ids, created_by__isnull=False).values_list(
            "pk", "created_by_id"):
        terms[iid][f"user:{creator}"] = None
    for iid, lead in Framework.leads.through.objects.filter(framework__initiative_id__in=initiative_ids) \
            .order_by("user_id").values_list("framework__initiative_id", "user_id"):
        terms[iid][f"user:{lead}"] = None
    return {iid: list(found) for iid, found in terms.items()}


class _Context:
    """What the items of a chunk borrow from their initiatives, read in a few queries."""

    def __init__(self, initiative_ids: Iterable[int]) -> None:
        ids = sorted(set(initiative_ids))
        self.facts = _initiative_facts(ids)
        self.insiders = _insiders(ids)
        self.initiatives = dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "title"))
        self.slugs = dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "slug"))

    def audience(self, initiative_id: int, public: bool) -> list[str]:
        insiders = self.insiders[initiative_id]
        if not public:
            return insiders
        return list(dict.fromkeys([*self.facts[initiative_id].audience, *insiders]))

    def document(self, kind: str, object_id: int, initiative_id: int, public: bool, **fields) -> SearchDocument:
        facts = self.facts[initiative_id]
        doc = SearchDocument(kind=kind, object_id=object_id, audience=self.audience(initiative_id, public),
                             dates=dict(facts.dates), **fields)
        place(doc, facts.territory_ids)
        return doc


def library_url(slug: str) -> str:
    return reverse("evaluation:evidence", args=[slug])


def _indicators(qs: QuerySet) -> Iterator[SearchDocument]:
    for chunk in chunks(qs, ("pk",), 1000):
        indicators = list(Indicator.objects.filter(pk__in=[r[0] for r in chunk]).order_by("pk"))
        versions = {(v.indicator_id, v.number): v for v in IndicatorVersion.objects.filter(
            indicator__in=[i.pk for i in indicators]).only("indicator_id", "number", "definition", "computation")}
        context = _Context(i.initiative_id for i in indicators)
        for indicator in indicators:
            version = versions.get((indicator.pk, indicator.current_version))
            iid = indicator.initiative_id
            body = "\n".join(x for x in (version.definition if version else "", version.computation if version else "",
                                         indicator.unit) if x)
            yield context.document(
                "indicator", indicator.pk, iid, indicator.is_public, title=indicator.name,
                url=reverse("evaluation:indicator", args=[context.slugs[iid], indicator.pk]),
                summary=context.initiatives[iid], body=body[:BODY_STORED_CHARS], updated_at=indicator.updated_at,
                terms=context.facts[iid].terms | {"impact_family": [indicator.impact_family]})


def _evidence(qs: QuerySet) -> Iterator[SearchDocument]:
    for chunk in chunks(qs, ("pk",), 1000):
        items = list(Evidence.objects.filter(pk__in=[r[0] for r in chunk]).order_by("pk"))
        context = _Context(e.initiative_id for e in items)
        for item in items:
            iid = item.initiative_id
            body = "\n".join(x for x in (item.text, item.speaker_role, item.source, item.tags) if x)
            yield context.document(
                "evidence", item.pk, iid, item.is_public, title=item.title,
                url=f"{library_url(context.slugs[iid])}#preuve-{item.pk}",
                summary=context.initiatives[iid], body=body[:BODY_STORED_CHARS], updated_at=item.updated_at,
                terms=context.facts[iid].terms | {"evidence_kind": [item.kind]})


def _of_initiatives(initiative_ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """Indicators and evidence copy their initiative's title, facets, territories and audience."""
    yield "indicator", Indicator.objects.filter(initiative_id__in=initiative_ids).values_list("pk", flat=True)
    yield "evidence", Evidence.objects.filter(initiative_id__in=initiative_ids).values_list("pk", flat=True)


def _leads_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """The evaluation leads are insiders: a change of them changes the unpublished items' audience."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    frameworks = Framework.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for kind, ids in _of_initiatives([f.initiative_id for f in frameworks]):
        index_objects(kind, list(ids), dependents=False)


def connect() -> None:
    versions = Watch("evaluation.IndicatorVersion", lambda v: [v.indicator_id])
    register(SearchKind("indicator", "evaluation.Indicator", _indicators, _("Indicateur"), "📈",
                        (*INITIATIVE_FIELDS, IMPACT_FAMILY), watches=(versions,)))
    register(SearchKind("evidence", "evaluation.Evidence", _evidence, _("Preuve"), "🗂",
                        (*INITIATIVE_FIELDS, EVIDENCE_KIND)))
    register_dependents("initiative", _of_initiatives)
    m2m_changed.connect(_leads_changed, sender=Framework.leads.through, dispatch_uid="search-evaluation-leads")
