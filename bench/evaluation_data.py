"""Evaluation data for the evaluation benchmarks, written once per benchmark database and reused.

`partner()`: an organisation and a person who is its member (the author of imported measurements).
`frameworks(n)`: `n` initiatives carried by that organisation, each with a complete results framework —
3 objectives (one per tier), 5 indicators (one on a scale), 24 approved monthly measurements per indicator
with two disaggregations each — written with plain bulk inserts (`core.imports.bulk_insert`), the ORM's
per-object work would dominate. Everything is named `bench-eval-…` so that a second run finds it.
"""

import datetime as dt
import random
from decimal import Decimal

PREFIX = "bench-eval"
INDICATORS = 5
MONTHS = 24


def partner():
    from catalyse.accounts.models import Role as AccountRole
    from catalyse.accounts.models import User
    from catalyse.actors.models import Membership, MembershipRole, Organisation, Profile, PublicationStatus, Scope

    organisation, _created = Organisation.objects.get_or_create(
        slug=f"{PREFIX}-alliance", defaults={"name": "Alliance du banc d'essai", "profile": Profile.GENERAL_INTEREST,
                                             "scope": Scope.LOCAL, "status": PublicationStatus.PUBLISHED})
    user = User.objects.filter(email=f"{PREFIX}@exemple.fr").first()
    if user is None:
        user = User.objects.create_user(email=f"{PREFIX}@exemple.fr",
                                        password="banc-d-essai-seulement", role=AccountRole.MEMBER,
                                        display_name="Banc d'essai")
        Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.EDITOR)
    return user, organisation


def initiative(slug: str):
    """One initiative carried by the bench organisation (created if missing)."""
    from catalyse.actors.models import PublicationStatus
    from catalyse.initiatives.models import Initiative, Partnership, Role, Visibility

    _user, organisation = partner()
    found, created = Initiative.objects.get_or_create(
        slug=slug, defaults={"title": f"Alliance {slug}", "summary": "Une alliance du banc d'essai.",
                             "visibility": Visibility.PUBLIC, "publication": PublicationStatus.PUBLISHED})
    if created:
        Partnership.objects.create(initiative=found, organisation=organisation, role=Role.PORTEUR)
    return found


def frameworks(n: int) -> list[int]:
    """The ids of `n` bench initiatives with complete frameworks (the missing ones written now)."""
    from django.db import transaction

    from catalyse.initiatives.models import Initiative

    ours = Initiative.objects.filter(slug__startswith=f"{PREFIX}-iati-").order_by("pk")
    have = list(ours.values_list("pk", flat=True))
    if len(have) >= n:
        return have[:n]
    rng = random.Random(7)
    for start in range(len(have), n, 100):
        with transaction.atomic():
            for i in range(start, min(n, start + 100)):
                _framework(initiative(f"{PREFIX}-iati-{i:05d}"), rng)
    return list(ours.values_list("pk", flat=True))[:n]


def _framework(found, rng: random.Random) -> None:
    from catalyse.core.imports import bulk_insert
    from catalyse.evaluation.models import (
        Disaggregation,
        Framework,
        Indicator,
        IndicatorVersion,
        Measure,
        Measurement,
        MeasurementStatus,
        Objective,
    )

    user, _organisation = partner()
    Framework.objects.get_or_create(initiative=found)
    parent = None
    objectives = []
    for tier in range(3):
        parent = Objective.objects.create(initiative=found, parent=parent, tier=tier, is_public=True,
                                          title=f"Objectif de niveau {tier + 1}", description="Ce que l'on vise.")
        objectives.append(parent)
    begin = dt.date(2023, 1, 1)
    for k in range(INDICATORS):
        scale = k == INDICATORS - 1
        indicator = Indicator.objects.create(initiative=found, objective=objectives[1 + k % 2], is_public=True,
                                             name=f"Indicateur {k + 1}", unit="personnes", key=k == 0,
                                             sdg_target="11.3" if k == 0 else "")
        version = IndicatorVersion.objects.create(
            indicator=indicator, number=1, definition="Personnes accompagnées par l'alliance.",
            computation="Somme des listes d'émargement.", measure=Measure.SCALE if scale else Measure.NUMBER,
            scale_levels=["faible", "moyenne", "forte"] if scale else [], baseline_value=1 if scale else 0,
            baseline_date=dt.date(2022, 12, 31),
            targets=[{"date": "2023-12-31", "value": "2" if scale else "100"},
                     {"date": "2024-12-31", "value": "3" if scale else "250"}])
        rows = []
        for month in range(MONTHS):
            start = dt.date(begin.year + (begin.month - 1 + month) // 12, (begin.month - 1 + month) % 12 + 1, 1)
            end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1)
            rows.append({"indicator_id": indicator.pk, "version_id": version.pk, "period_start": start,
                         "period_end": end, "status": MeasurementStatus.APPROVED, "author_id": user.pk,
                         "value": None if scale else Decimal(rng.randint(1, 40)),
                         "level": rng.randint(1, 3) if scale else None})
        ids = bulk_insert(Measurement, rows, returning_ids=True)
        if not scale:
            bulk_insert(Disaggregation, [
                {"measurement_id": pk, "dimension": "genre", "category": category, "value": Decimal(rng.randint(0, 20))}
                for pk in ids for category in ("femmes", "hommes")])
