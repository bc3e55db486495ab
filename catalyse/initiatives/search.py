"""Initiatives and practice sheets in the search index (registered from apps.InitiativesConfig.ready).

Sheets (and the resources app's resources)
carry their initiative's themes, SDGs, stage, audience and partners' profiles, so that
one filter finds them all: an initiative's change re-indexes them, and an organisation's change
re-indexes the initiatives it partners (their profile facet).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalyse.actors.search import PROFILE, private_audience
from catalyse.core.markdown import markdown_to_text
from catalyse.search.documents import BODY_STORED_CHARS, SearchDocument, among, chunks, place
from catalyse.search.registry import DateField, Facet, SearchKind, Watch, register, register_dependents

from .models import Initiative, Partnership, PracticeSheet, Sdg, Theme


def _theme_labels() -> dict[str, str]:
    return dict(Theme.objects.values_list("code", "name"))


def _sdg_labels() -> dict[str, str]:
    return {str(n): f"{n}. {name}" for n, name in Sdg.objects.values_list("number", "name")}


def _stage_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Initiative._meta.get_field("stage").choices}


FIELDS = (
    Facet("themes", _("Thème"), "theme", _theme_labels, short=True, similar=2.0, reason=_("thèmes communs")),
    Facet("sdgs", _("ODD"), "odd", _sdg_labels, short=True, similar=1.0, reason=_("ODD communs")),
    Facet("stage", _("Stade"), "stade", _stage_labels),
    PROFILE,  # of the partners: the initiatives list's profile facet
    Facet("status"),  # the initiatives list's own filter (browse only)
    DateField("started"),
)


def initiative_audience(publication: str, visibility: str, partner_ids: Iterable[int],
                        creator_id: int | None) -> list[str]:
    """Mirrors permissions.InitiativePolicy.visible_q (a test checks both agree)."""
    if publication == "published" and visibility == "public":
        return ["public"]
    extra = ["members"] if publication == "published" and visibility == "members" else []
    return extra + private_audience(sorted(set(partner_ids)), creator_id)


@dataclass
class _InitiativeFacts:
    """What an initiative lends to its own document and to those of its sheets (and resources)."""

    audience: list[str]
    terms: dict[str, list[str]]
    dates: dict[str, date | None]
    territory_ids: list[int] = field(default_factory=list)
    # Names of its territories, published partners and themes: found by them ("Loos", "jeunesse").
    context: list[str] = field(default_factory=list)


def _initiative_facts(ids: list[int]) -> dict[int, _InitiativeFacts]:
    """Facts of these initiatives in five queries, whatever their number (no model instances)."""
    if not ids:
        return {}
    themes = {pk: (code, name) for pk, code, name in Theme.objects.values_list("pk", "code", "name")}
    partners: dict[int, list[int]] = {}
    profiles: dict[int, set[str]] = {}
    names: dict[int, list[str]] = {}
    # No ORDER BY: the model's default order (by date joined) would sort every partnership of the range.
    for iid, oid, profile, name, status in Partnership.objects.filter(**among("initiative_id", ids)).order_by(
            ).values_list("initiative_id", "organisation_id", "organisation__profile", "organisation__name",
                          "organisation__status"):
        partners.setdefault(iid, []).append(oid)
        profiles.setdefault(iid, set()).add(profile)
        if status == "published":  # an organisation under moderation does not lend its name yet
            names.setdefault(iid, []).append(name)
    facts = {}
    for pk, stage, publication, visibility, creator, status, started in Initiative.objects.filter(
            **among("pk", ids)).values_list("pk", "stage", "publication", "visibility", "created_by_id", "status",
                                            "start_date"):
        facts[pk] = _InitiativeFacts(
            audience=initiative_audience(publication, visibility, partners.get(pk, ()), creator),
            terms={"themes": [], "sdgs": [], "stage": [stage], "profile": sorted(profiles.get(pk, ())),
                   "status": [status]},
            dates={"started": started}, context=names.get(pk, []),
        )
    for iid, tid in Initiative.themes.through.objects.filter(**among("initiative_id", ids)).values_list(
            "initiative_id", "theme_id"):
        facts[iid].terms["themes"].append(themes[tid][0])
        facts[iid].context.append(themes[tid][1])
    for iid, sdg in Initiative.sdgs.through.objects.filter(**among("initiative_id", ids)).values_list(
            "initiative_id", "sdg_id"):
        facts[iid].terms["sdgs"].append(str(sdg))
    for iid, tid, name in Initiative.territories.through.objects.filter(**among("initiative_id", ids)).values_list(
            "initiative_id", "territory_id", "territory__name"):
        facts[iid].territory_ids.append(tid)
        facts[iid].context.append(name)
    return facts


def _document(f: _InitiativeFacts, kind: str, object_id: int, title: str, url: str, summary: str, body: str,
              territory_ids: list[int], updated_at) -> SearchDocument:
    doc = SearchDocument(kind=kind, object_id=object_id, title=title, url=url, summary=summary,
                         body=markdown_to_text(body)[:BODY_STORED_CHARS], terms=f.terms, dates=f.dates,
                         audience=f.audience, updated_at=updated_at, context="\n".join(f.context))
    place(doc, territory_ids)
    return doc


def _initiatives(qs: QuerySet) -> Iterator[SearchDocument]:
    url_pattern = reverse("initiatives:detail", args=["SLUG"])
    for rows in chunks(qs, ("pk", "title", "slug", "summary", "recit", "updated_at"), 5000):
        facts = _initiative_facts([r[0] for r in rows])
        for pk, title, slug, summary, recit, updated in rows:
            f = facts[pk]
            yield _document(f, "initiative", pk, title, url_pattern.replace("SLUG", slug), summary, recit,
                            f.territory_ids, updated)


def _sheets(qs: QuerySet) -> Iterator[SearchDocument]:
    for chunk in chunks(qs, ("pk",), 1000):
        sheets = list(PracticeSheet.objects.filter(pk__in=[r[0] for r in chunk]).select_related("initiative"))
        facts = _initiative_facts([s.initiative_id for s in sheets])
        for s in sheets:
            f = facts[s.initiative_id]
            body = "\n".join(x for x in (s.description, s.actors_involved, s.tools_used, s.next_step) if x)
            places = [s.territory_id] if s.territory_id else f.territory_ids
            yield _document(f, "practice_sheet", s.pk, s.title, s.get_absolute_url(), s.objective, body, places,
                            s.updated_at)


def _sheets_of(initiative_ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """They copy their initiative's themes, stage, territories and audience."""
    yield "practice_sheet", PracticeSheet.objects.filter(initiative_id__in=initiative_ids).values_list("pk", flat=True)


def _partnered(organisation_ids: list[int]) -> Iterator[tuple[str, Iterable[int]]]:
    """Initiatives carry their partners' profiles (the list's profile facet)."""
    yield "initiative", Partnership.objects.filter(organisation_id__in=organisation_ids).values_list(
        "initiative_id", flat=True).distinct()


def connect() -> None:
    # Partners decide who sees a non-public initiative: a partnership's change changes its audience.
    partners = Watch("initiatives.Partnership", lambda p: [p.initiative_id])
    register(SearchKind("initiative", "initiatives.Initiative", _initiatives, _("Initiative"), "🌱", FIELDS,
                        watches=(partners,)))
    register(SearchKind("practice_sheet", "initiatives.PracticeSheet", _sheets, _("Fiche pratique"), "📋", FIELDS))
    register_dependents("initiative", _sheets_of)
    register_dependents("organisation", _partnered)
