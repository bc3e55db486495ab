"""Demo data of part 2 for four demo initiatives: three years of mobilisation (2023–2025) with a departure and a
return, people who change while their organisation stays, engagement levels per half-year, and two maturity
waves with a visible disagreement. No names of people: respondents and representatives by their function.

Most items are published with every concerned partner's approval; some wait for one, to show co-validation.
`load()` is idempotent: an initiative with a mobilisation log or a wave is left alone. Rows are written with the
ORM directly (demo data is not a user's action to audit), each initiative in one transaction."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from catalyse.initiatives.models import Initiative, Role

from .models import (
    EngagementLevel,
    EventKind,
    EventSubject,
    MaturityResponse,
    MaturityWave,
    MobilisationEvent,
    PublicationApproval,
)
from .queries_partnership import DEFAULT_MATURITY_AXES

D = datetime.date
INITIATIVES = ["atelier-des-villes-pairs", "observatoire-des-partenariats", "pole-territorial-emploi-mureaux",
               "ancien-site-militaire-cooperatif"]
HALF_YEARS = [(D(year, 1, 1), D(year, 6, 30)) for year in (2023, 2024, 2025)] + \
    [(D(year, 7, 1), D(year, 12, 31)) for year in (2023, 2024, 2025)]
HALF_YEARS.sort()

# Per partner position: events (date, kind, subject, function, role, reason) and a level per half-year (None: out).
STORIES = [
    ([(D(2023, 1, 9), EventKind.JOINED, EventSubject.ORGANISATION, "", "", ""),
      (D(2024, 9, 30), EventKind.LEFT, EventSubject.PERSON, "coordinatrice", "",
       "Changement de poste au sein de sa structure"),
      (D(2024, 11, 4), EventKind.JOINED, EventSubject.PERSON, "coordinateur", "",
       "Reprend le suivi de l'alliance pour sa structure")],
     [4, 4, 5, 5, 4, 5]),
    ([(D(2023, 1, 9), EventKind.JOINED, EventSubject.ORGANISATION, "", "", ""),
      (D(2024, 3, 31), EventKind.LEFT, EventSubject.ORGANISATION, "", "",
       "Fin de la convention de financement : l'équipe ne pouvait plus dégager de temps"),
      (D(2025, 1, 13), EventKind.RETURNED, EventSubject.ORGANISATION, "", "",
       "Nouvelle convention signée ; reprise des ateliers communs")],
     [3, 3, 1, None, 2, 3]),
    ([(D(2023, 2, 1), EventKind.INVITED, EventSubject.ORGANISATION, "", "", ""),
      (D(2023, 4, 3), EventKind.JOINED, EventSubject.ORGANISATION, "", "", ""),
      (D(2024, 6, 3), EventKind.ROLE_CHANGED, EventSubject.ORGANISATION, "", Role.PORTEUR,
       "Prend en charge l'animation d'un groupe de travail et co-porte l'alliance")],
     [1, 2, 3, 4, 4, 4]),
    ([(D(2023, 1, 9), EventKind.JOINED, EventSubject.ORGANISATION, "", "", ""),
      (D(2025, 6, 30), EventKind.LEFT, EventSubject.ORGANISATION, "", "",
       "Recentrage sur ses activités propres après une réorganisation")],
     [3, 3, 3, 2, 2, None]),
]
WAVES = [("Vague 1 — printemps 2024", D(2024, 3, 15), [2, 2, 2, 1, 1, 2]),
         ("Vague 2 — printemps 2025", D(2025, 3, 14), [3, 3, 3, 2, 2, 3])]
RESPONDENTS = ["direction", "chargé·e de mission"]


def load() -> str:
    done = set(MobilisationEvent.objects.values_list("initiative__slug", flat=True)) | set(
        MaturityWave.objects.values_list("initiative__slug", flat=True))
    created = 0
    for initiative in Initiative.objects.filter(slug__in=INITIATIVES).exclude(slug__in=done):
        partners = _partners(initiative)
        if len(partners) < 2:
            continue  # an organisation of the actors demo that is not loaded
        with transaction.atomic():
            _mobilisation(initiative, partners)
            _maturity(initiative, partners)
        created += 1
    total = MaturityWave.objects.filter(initiative__slug__in=INITIATIVES).values("initiative").distinct().count()
    return f"{total} journaux de mobilisation et de maturité ({created} créés)"


def _partners(initiative: Initiative) -> list:
    seen, out = set(), []
    for partnership in initiative.partnerships.select_related("organisation").order_by("pk"):
        if partnership.organisation_id not in seen:
            seen.add(partnership.organisation_id)
            out.append(partnership.organisation)
    return out[:len(STORIES)]


def _publish(item, organisations, *, waiting=()) -> None:
    """Published with each concerned partner's approval; those in `waiting` have not approved yet."""
    content_type = ContentType.objects.get_for_model(item)
    item.publication_requested_at = timezone.now()
    PublicationApproval.objects.bulk_create(
        PublicationApproval(content_type=content_type, object_id=item.pk, organisation=org)
        for org in organisations if org not in waiting)
    item.is_public = not waiting
    type(item).objects.filter(pk=item.pk).update(publication_requested_at=item.publication_requested_at,
                                                 is_public=item.is_public)


def _mobilisation(initiative: Initiative, partners: list) -> None:
    for position, org in enumerate(partners):
        events, levels = STORIES[position]
        for day, kind, subject, function, role, reason in events:
            event = MobilisationEvent.objects.create(
                initiative=initiative, concerns=org, happened_on=day, kind=kind, subject=subject,
                person_function=function, role=role, reason=reason)
            _publish(event, [org])
        for (start, end), level in zip(HALF_YEARS, levels, strict=True):
            if level is None:
                continue
            row = EngagementLevel.objects.create(initiative=initiative, concerns=org, period_start=start,
                                                 period_end=end, level=level, people=1 + level // 2)
            # the partner that left and came back has not approved publishing its levels yet
            _publish(row, [org], waiting=[org] if position == 1 else [])


def _maturity(initiative: Initiative, partners: list) -> None:
    rng = random.Random(initiative.slug)  # the same answers on every machine
    axes = [dict(axis, levels=list(axis["levels"])) for axis in DEFAULT_MATURITY_AXES]
    for number, (title, held_on, base) in enumerate(WAVES):
        wave = MaturityWave.objects.create(initiative=initiative, title=title, held_on=held_on, axes=axes)
        for position, org in enumerate(partners):
            for respondent in RESPONDENTS:
                # answers within one level of each other, but for the two disagreements below
                answers = {axis["code"]: max(1, min(4, level + rng.choice([0, 0, 1])))
                           for axis, level in zip(axes, base, strict=True)}
                if number == 0 and position == 0:  # the visible disagreement: trust seen from two seats
                    answers["confiance"] = 1 if respondent == RESPONDENTS[0] else 4
                if number == 1 and position == 1:  # the partner back after leaving: governance is contested
                    answers["gouvernance"] = 1 if respondent == RESPONDENTS[0] else 3
                MaturityResponse.objects.create(wave=wave, organisation=org, respondent=respondent,
                                                answers=answers)
        # the first wave is published; the second still waits for the last partner's approval
        _publish(wave, partners, waiting=[partners[-1]] if number == 1 else [])
