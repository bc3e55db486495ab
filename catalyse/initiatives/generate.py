"""Synthetic initiatives for demonstrations and benchmarks (`catalyse generate --initiatives N`).

Partners are drawn among the published organisations (2 to 6 each, one carrier); the initiative acts on
its carrier's EPCI or commune; most are public. Every row is marked `is_fictitious=True`.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from catalyse.actors.models import Organisation, PublicationStatus
from catalyse.core.generate import BulkWriter, SlugAllocator, analyse, growing_date, next_pk, reset_sequences, story
from catalyse.core.generate import delete_dependents as _delete_dependents
from catalyse.core.text import fold

from .models import Initiative, InitiativeProfile, Partnership, Role, Sdg, Stage, StageChange, Status, Theme, Visibility

VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 85, Visibility.MEMBERS: 10, Visibility.PARTNERS: 5}
PUBLICATION_WEIGHTS = {PublicationStatus.PUBLISHED: 92, PublicationStatus.PENDING: 5, PublicationStatus.DRAFT: 3}
STATUS_WEIGHTS = {Status.ACTIVE: 70, Status.PAUSED: 8, Status.ENDED: 22}
STAGE_ORDER = [Stage.EMERGENCE, Stage.EXPERIMENTATION, Stage.MULTI_SITES, Stage.ESSAIMAGE]
STAGE_WEIGHTS = [35, 35, 18, 12]
OTHER_ROLES = [Role.PARTENAIRE, Role.PARTENAIRE, Role.FINANCEUR, Role.CATALYSEUR, Role.BENEFICIAIRE,
               Role.EVALUATEUR]
FIRST_START = date(2014, 1, 1)

_ACTIONS = [
    "Un tiers-lieu", "Une plateforme de mobilité", "Un pôle territorial de coopération", "Une épicerie solidaire",
    "Un jardin partagé", "Une ressourcerie", "Un incubateur rural", "Une alliance locale", "Un programme",
    "Une coopérative", "Un jeu de plateau", "Un chantier d'insertion", "Une cantine", "Un fablab",
]
_PURPOSES = [
    "pour l'emploi des jeunes", "contre l'isolement des aînés", "pour la rénovation énergétique",
    "pour une alimentation locale", "pour la reconversion d'un ancien site", "au service de la santé visuelle",
    "entre écoles et entreprises", "pour la mobilité rurale", "pour l'inclusion numérique",
    "pour la co-construction des politiques locales", "pour les filières de producteurs",
]
_SUMMARIES = [
    "Des acteurs publics, associatifs et économiques s'allient pour répondre à un besoin du territoire.",
    "Une expérimentation collective, évaluée pas à pas, qui essaime dans les territoires voisins.",
    "Un lieu et une communauté pour faire émerger des projets utiles aux habitants.",
    "Un partenariat durable entre entreprises, collectivités et associations.",
]


def initiatives_generate(
    *, count: int, seed: int = 0, batch: int = 5_000, progress: Callable[[int], None] | None = None
) -> int:
    """Create `count` fictitious initiatives with partners, themes, SDGs, stages and territories."""
    rng = random.Random(seed + 1)
    partners_pool = list(
        Organisation.objects.filter(status=PublicationStatus.PUBLISHED)
        .values_list("pk", "head_office_id", "head_office__epci_id", "profile").iterator(chunk_size=50_000)
    )
    if len(partners_pool) < 6:
        raise ValueError("Il faut au moins 6 organisations publiées pour générer des initiatives.")
    themes = list(Theme.objects.values_list("pk", "is_fragility"))
    theme_weights = [3 if fragile else 1 for _, fragile in themes]
    sdgs = list(Sdg.objects.values_list("pk", flat=True))
    slugs = SlugAllocator(Initiative.objects.values_list("slug", flat=True).iterator(chunk_size=50_000))
    visibilities, visibility_weights = list(VISIBILITY_WEIGHTS), list(VISIBILITY_WEIGHTS.values())
    publications, publication_weights = list(PUBLICATION_WEIGHTS), list(PUBLICATION_WEIGHTS.values())
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    today = date.today()

    initiatives = BulkWriter(Initiative)
    writers = {
        "partnership": BulkWriter(Partnership), "stage": BulkWriter(StageChange),
        "theme": BulkWriter(Initiative.themes.through), "sdg": BulkWriter(Initiative.sdgs.through),
        "territory": BulkWriter(Initiative.territories.through), "profile": BulkWriter(InitiativeProfile),
    }
    counters = {key: next_pk(w.model) for key, w in writers.items()}
    pk = next_pk(Initiative)
    links: dict[str, list[dict]] = {key: [] for key in writers}

    def link(key: str, **values) -> None:
        links[key].append({"id": counters[key], **values})
        counters[key] += 1

    done = 0
    while done < count:
        n = min(batch, count - done)
        rows: list[dict] = []
        for _ in range(n):
            title = f"{rng.choice(_ACTIONS)} {rng.choice(_PURPOSES)}"
            summary = rng.choice(_SUMMARIES)
            start = growing_date(rng, FIRST_START, today)
            status = rng.choices(statuses, status_weights)[0]
            end = start + timedelta(days=rng.randint(180, 2000)) if status == Status.ENDED else None
            if end and end > today:
                end = today
            stage_index = rng.choices(range(len(STAGE_ORDER)), STAGE_WEIGHTS)[0]
            rows.append({
                "id": pk, "title": title, "slug": slugs.allocate(fold(title)), "summary": summary,
                "recit": story(rng), "stage": STAGE_ORDER[stage_index], "start_date": start.isoformat(),
                "end_date": end.isoformat() if end else None, "status": status,
                "visibility": rng.choices(visibilities, visibility_weights)[0],
                "publication": rng.choices(publications, publication_weights)[0],
                "search_text": fold(f"{title} {summary}")[:600], "is_fictitious": True,
            })
            step = max(1, ((end or today) - start).days // (stage_index + 1))
            for i in range(stage_index + 1):
                link("stage", initiative_id=pk, stage=STAGE_ORDER[i],
                     changed_on=(start + timedelta(days=i * step)).isoformat(), note="")
            partners = rng.sample(partners_pool, k=rng.randint(2, 6))
            for i, (org_id, _, _, _) in enumerate(partners):
                role = Role.PORTEUR if i == 0 else rng.choice(OTHER_ROLES)
                joined = start if i == 0 or rng.random() < 0.6 else growing_date(rng, start, end or today)
                left = end if end else (growing_date(rng, joined, today) if rng.random() < 0.1 else None)
                link("partnership", initiative_id=pk, organisation_id=org_id, role=role,
                     joined_on=joined.isoformat(), left_on=left.isoformat() if left else None)
            for profile in {p[3] for p in partners}:  # the bulk writes send no signal: keep the copy here
                link("profile", initiative_id=pk, profile=profile)
            _, head_office, epci, _ = partners[0]
            if head_office:
                link("territory", initiative_id=pk, territory_id=epci or head_office)
            for theme_id in {t for t, _ in rng.choices(themes, theme_weights, k=rng.randint(1, 3))}:
                link("theme", initiative_id=pk, theme_id=theme_id)
            for sdg in rng.sample(sdgs, k=rng.randint(1, 3)) if sdgs else []:
                link("sdg", initiative_id=pk, sdg_id=sdg)
            pk += 1
        with transaction.atomic():
            initiatives.write(rows)
            for key, writer in writers.items():
                writer.write(links[key])
                links[key].clear()
        done += n
        if progress:
            progress(done)
    reset_sequences(Initiative, *(w.model for w in writers.values()))
    analyse(Initiative, Partnership, StageChange)
    return done


def initiatives_clear() -> int:
    doomed = Initiative.objects.filter(is_fictitious=True)
    count = doomed.count()
    with transaction.atomic():
        _delete_dependents(Initiative, doomed)
        doomed._raw_delete(doomed.db)
    return count
