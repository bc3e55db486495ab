"""Demo evaluation frameworks for five demo initiatives, one per approach at least: objectives, indicators,
ten quarters of measurements (2023 to mid-2025), a definition changed with its reason, disaggregations,
evidence (no names of people: speakers by their role) and one measurement returned with a review note.

`load()` is idempotent: an initiative that already has a framework is left alone; each framework is written
in one transaction. Rows are written with the ORM directly: demo data is not a user's action to audit."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative

from .models import (
    Approach,
    Cumulation,
    Direction,
    Disaggregation,
    Evidence,
    EvidenceKind,
    Framework,
    Frequency,
    ImpactFamily,
    Indicator,
    IndicatorVersion,
    Measure,
    Measurement,
    MeasurementStatus,
    Objective,
    ReasonCategory,
)
from .models import Dimension as Dim
from .results import results_rebuild

D = datetime.date
QUARTERS = [(D(year, month, 1), D(year, month + 2, 30 if month + 2 in (6, 9) else 31))
            for year in (2023, 2024, 2025) for month in (1, 4, 7, 10)][:10]  # 2023-Q1 … 2025-Q2
SMALL_STEPS_TIERS = ["Chemin parcouru", "Pas franchis", "Actions"]
CHANGE_TIERS = ["Changement visé", "Changements intermédiaires", "Leviers"]

# Objectives: key → (tier, title, parent key, owner slug or None, published, assumptions, contributes to, story)
# Indicators: (name, objective key, unit, measure, direction, cumulation, baseline, targets, family, dimension,
#   SDG target, key, published, owner slug, start, step, disaggregations {dimension: {category: share}}, levels)
FRAMEWORKS: dict[str, dict] = {
    "pole-territorial-emploi-mureaux": {
        "approach": Approach.LOGFRAME, "tiers": None,
        "objectives": {
            "goal": (0, "Ramener de l'emploi durable sur le territoire", None, None, True,
                     "Les entreprises du bassin continuent d'embaucher localement.", None, ""),
            "insertion": (1, "Des habitants éloignés de l'emploi accèdent à un emploi durable", "goal", None, True,
                          "Les structures d'insertion gardent leurs financements.", None, ""),
            "regard": (1, "Le regard porté sur la ville change", "goal", None, True, "", None, ""),
            "parcours": (2, "Des parcours d'insertion construits avec les entreprises du pôle", "insertion",
                         "ptce-les-mureaux", False, "", "insertion",
                         "Le pôle organise les rencontres entre entreprises et structures d'insertion ; il "
                         "contribue aux embauches sans en être la seule cause."),
        },
        "indicators": [
            ("Personnes accédant à un emploi durable", "insertion", "personnes", Measure.NUMBER,
             Direction.INCREASE, Cumulation.CUMULATIVE, 0, [("2024-12-31", 60), ("2025-12-31", 140)],
             ImpactFamily.PERFORMANCE, Dim.ECONOMIC, "8.5", True, True, None, 5, 1.2,
             {"genre": {"femmes": 0.55, "hommes": 0.45}, "tranche d'âge": {"moins de 26 ans": 0.4,
                                                                             "26 ans et plus": 0.6}}, None),
            ("Entreprises du pôle engagées dans un parcours", "parcours", "entreprises", Measure.NUMBER,
             Direction.INCREASE, Cumulation.CUMULATIVE_LATEST, 4, [("2025-12-31", 30)],
             ImpactFamily.CONFIANCE, Dim.ECONOMIC, "", False, False, "ptce-les-mureaux", 5, 2, {}, None),
            ("Image de la ville auprès des recruteurs", "regard", "", Measure.SCALE, Direction.INCREASE,
             Cumulation.NONE, 1, [("2025-12-31", 4)], ImpactFamily.INNOVATION, Dim.SOCIETAL, "", False, True,
             None, 1, 0.3, {}, ["Très négative", "Plutôt négative", "Plutôt positive", "Très positive"]),
        ],
        # The funder asked to count only contracts of six months or more: a second definition from July 2024.
        "revision": ("Personnes accédant à un emploi durable", D(2024, 6, 28), ReasonCategory.FUNDER,
                     "Le financeur du pôle ne retient que les contrats de six mois ou plus ; les chiffres "
                     "antérieurs restent comptés selon la première définition.",
                     "Comité de pilotage du pôle : entreprises, structures d'insertion, commune",
                     "Personnes du territoire ayant signé un contrat de six mois ou plus (CDI, CDD, alternance).",
                     "Somme des contrats de six mois ou plus signés dans le trimestre, d'après les "
                     "attestations des employeurs du pôle."),
        "returned": ("Personnes accédant à un emploi durable", 8,
                     "Le chiffre inclut des contrats de moins de six mois : merci de recompter selon la "
                     "définition en vigueur depuis juillet 2024."),
        "evidence": [
            (EvidenceKind.VERBATIM, "Ce que change le pôle pour une entreprise du bassin",
             "On ne recrutait plus ici faute de candidats ; aujourd'hui on vient chercher les jeunes du "
             "quartier.", "dirigeante d'une entreprise de logistique", "", True, ["Personnes accédant à un "
                                                                                 "emploi durable"]),
            (EvidenceKind.LINK, "Film de capitalisation du pôle", "Un court film tourné avec les habitants.",
             "", "https://exemple.org/catalyse/film-pole-mureaux", True, []),
            (EvidenceKind.FIGURE, "Attestations d'embauche du premier semestre 2025",
             "Tableau des attestations transmises par les employeurs.", "", "", False,
             ["Personnes accédant à un emploi durable"]),
        ],
    },
    "ancien-site-militaire-cooperatif": {
        "approach": Approach.SMALL_STEPS, "tiers": SMALL_STEPS_TIERS,
        "objectives": {
            "chemin": (0, "Le site est géré ensemble par ses habitants et ses acteurs", None, None, True,
                       "La coopérative garde la confiance de la commune.", None, ""),
            "usages": (1, "Les bâtiments retrouvent des usages", "chemin", None, True, "", None, ""),
            "gouvernance": (1, "Les habitants prennent part aux décisions de la coopérative", "chemin",
                            "scic-microville-112", False, "", "chemin",
                            "La coopérative ouvre son sociétariat ; la participation des habitants tient aussi "
                            "à l'animation des catalyseurs."),
        },
        "indicators": [
            ("Surface de bâtiments remise en usage", "usages", "m²", Measure.NUMBER, Direction.INCREASE,
             Cumulation.CUMULATIVE_LATEST, 0, [("2024-06-30", 2000), ("2025-12-31", 6000)],
             ImpactFamily.PERFORMANCE, Dim.ENVIRONMENTAL, "11.3", True, True, None, 300, 450, {}, None),
            ("Habitants sociétaires de la coopérative", "gouvernance", "personnes", Measure.NUMBER,
             Direction.INCREASE, Cumulation.CUMULATIVE_LATEST, 12, [("2025-12-31", 150)],
             ImpactFamily.CONFIANCE, Dim.POLITICAL, "16.7", True, True, "scic-microville-112", 18, 11,
             {"genre": {"femmes": 0.5, "hommes": 0.5}}, None),
        ],
        "evidence": [
            (EvidenceKind.VERBATIM, "Pourquoi devenir sociétaire",
             "Avant, ce terrain était une frontière ; maintenant c'est un endroit où l'on décide ensemble.",
             "habitante sociétaire de la coopérative", "", True, ["Habitants sociétaires de la coopérative"]),
            (EvidenceKind.DOCUMENT, "Procès-verbal de l'assemblée générale 2024", "", "",
             "https://exemple.org/catalyse/ag-2024", False, []),
        ],
    },
    "atelier-des-villes-pairs": {
        "approach": Approach.CHANGE, "tiers": CHANGE_TIERS,
        "objectives": {
            "referentiel": (0, "Les villes en transition partagent un cadre commun", None, None, True,
                            "Les équipes municipales restent engagées après les élections.", None, ""),
            "agents": (1, "Les agents publics sont formés aux méthodes de la transition", "referentiel", None,
                       True, "", None, ""),
            "echanges": (2, "Des visites croisées entre communes", "agents", None, False, "", None, ""),
        },
        "indicators": [
            ("Agents formés aux méthodes de la transition", "agents", "agents", Measure.NUMBER,
             Direction.INCREASE, Cumulation.CUMULATIVE, 0, [("2025-12-31", 160)], ImpactFamily.INNOVATION,
             Dim.POLITICAL, "11.3", True, True, None, 6, 0.8,
             {"commune partenaire": {"Loos-en-Gohelle": 0.25, "Grande-Synthe": 0.25, "Le Mené": 0.25,
                                     "Malaunay": 0.25}}, None),
            ("Part des agents qui réutilisent une méthode partagée", "agents", "%", Measure.PERCENTAGE,
             Direction.INCREASE, Cumulation.NONE, 10, [("2024-12-31", 30), ("2025-12-31", 50)],
             ImpactFamily.PERFORMANCE, Dim.POLITICAL, "", False, True, None, 12, 3.5, {}, None),
            ("Visites croisées réalisées", "echanges", "visites", Measure.NUMBER, Direction.INCREASE,
             Cumulation.CUMULATIVE, 0, [("2025-12-31", 24)], ImpactFamily.CONFIANCE, Dim.SOCIAL, "", False,
             False, None, 2, 0.1, {}, None),
        ],
        "evidence": [
            (EvidenceKind.VERBATIM, "Ce que les visites croisées ont changé",
             "Voir une autre commune faire autrement nous a autorisés à essayer.", "agente d'une commune pair",
             "", True, ["Part des agents qui réutilisent une méthode partagée"]),
        ],
    },
    "alliance-depistage-troubles-visuels": {
        "approach": Approach.LOGFRAME, "tiers": None,
        "objectives": {
            "acces": (0, "Les enfants atteints de troubles visuels accèdent aux soins", None, None, True,
                      "Les cliniques partenaires gardent des créneaux pour les enfants orientés.", None, ""),
            "depistage": (1, "Les troubles visuels sont dépistés à l'école", "acces", None, True, "", None, ""),
            "familles": (2, "Les familles connaissent les troubles et les solutions", "depistage", None, True,
                         "", None, ""),
        },
        "indicators": [
            ("Enfants dépistés", "depistage", "enfants", Measure.NUMBER, Direction.INCREASE,
             Cumulation.CUMULATIVE, 0, [("2024-12-31", 800), ("2025-12-31", 1800)], ImpactFamily.PERFORMANCE,
             Dim.SOCIAL, "3.8", True, True, None, 90, 8, {"genre": {"filles": 0.5, "garçons": 0.5}}, None),
            ("Part des enfants orientés qui ont consulté", "acces", "%", Measure.PERCENTAGE, Direction.INCREASE,
             Cumulation.NONE, 35, [("2025-12-31", 70)], ImpactFamily.PERFORMANCE, Dim.SOCIAL, "3.8", True,
             True, None, 38, 3, {}, None),
            ("Délai moyen avant consultation", "acces", "jours", Measure.NUMBER, Direction.DECREASE,
             Cumulation.NONE, 120, [("2025-12-31", 45)], ImpactFamily.PERFORMANCE, Dim.SOCIAL, "", False, False,
             None, 115, -6, {}, None),
        ],
        "evidence": [
            (EvidenceKind.VERBATIM, "Le rôle des associations de proximité",
             "Les familles nous font confiance : c'est par nous que l'information passe.",
             "médiatrice d'une association de quartier", "", True, ["Enfants dépistés"]),
            (EvidenceKind.FIGURE, "Relevé des consultations transmis par les cliniques", "", "",
             "https://exemple.org/catalyse/releve-consultations", False,
             ["Part des enfants orientés qui ont consulté"]),
        ],
    },
    "transition-de-la-cite-miniere": {
        "approach": Approach.CHANGE, "tiers": CHANGE_TIERS,
        "objectives": {
            "transition": (0, "La commune devient un démonstrateur de la transition", None, None, True, "", None,
                           ""),
            "coauteurs": (1, "Les habitants deviennent co-auteurs des projets", "transition", None, True,
                          "La règle « fifty-fifty » reste la norme des projets municipaux.", None, ""),
        },
        "indicators": [
            ("Projets portés avec des habitants", "coauteurs", "projets", Measure.NUMBER, Direction.INCREASE,
             Cumulation.CUMULATIVE, 0, [("2025-12-31", 40)], ImpactFamily.CONFIANCE, Dim.POLITICAL, "16.7", True,
             True, None, 3, 0.2, {}, None),
            ("Niveau d'implication des habitants", "coauteurs", "", Measure.SCALE, Direction.INCREASE,
             Cumulation.NONE, 2, [("2025-12-31", 4)], ImpactFamily.CONFIANCE, Dim.PERSONAL, "", False, True,
             None, 2, 0.25, {}, ["Information", "Consultation", "Concertation", "Co-construction"]),
            ("Consommation d'énergie des bâtiments communaux", "transition", "MWh", Measure.NUMBER,
             Direction.DECREASE, Cumulation.NONE, 950, [("2025-12-31", 700)], ImpactFamily.PERFORMANCE,
             Dim.ENVIRONMENTAL, "7.3", False, False, None, 240, -6, {}, None),
        ],
        "evidence": [
            (EvidenceKind.LINK, "Le wiki d'évaluation de la transition (accès restreint)", "", "",
             "https://exemple.org/catalyse/wiki-transition", False, []),
            (EvidenceKind.VERBATIM, "Passer d'usager à co-auteur",
             "Au début on venait donner son avis ; maintenant on porte le projet avec la mairie.",
             "habitant engagé dans un projet fifty-fifty", "", True, ["Projets portés avec des habitants"]),
        ],
    },
}


def load() -> str:
    initiatives = Initiative.objects.filter(slug__in=FRAMEWORKS).exclude(evaluation__isnull=False)
    created = 0
    for initiative in initiatives:
        with transaction.atomic():
            _framework(initiative, FRAMEWORKS[initiative.slug])
        created += 1
    # The frameworks are written directly, not through the services that keep the network dashboard's counts.
    results_rebuild()
    return f"{Framework.objects.filter(initiative__slug__in=FRAMEWORKS).count()} cadres d'évaluation ({created} créés)"


def _framework(initiative: Initiative, spec: dict) -> None:
    framework = Framework.objects.create(initiative=initiative, approach=spec["approach"])
    if spec["tiers"]:
        framework.tier_names = spec["tiers"]
        framework.save(update_fields=["tier_names"])
    owner_slugs = {o[3] for o in spec["objectives"].values()} | {i[13] for i in spec["indicators"]}
    owners = {o.slug: o for o in Organisation.objects.filter(slug__in=owner_slugs - {None})}
    objectives: dict[str, Objective] = {}
    for position, (key, row) in enumerate(spec["objectives"].items()):
        tier, title, parent, owner, public, assumptions, contributes_to, story = row
        objectives[key] = Objective.objects.create(
            initiative=initiative, tier=tier, title=title, parent=objectives.get(parent), owner=owners.get(owner),
            is_public=public, assumptions=assumptions, contributes_to=objectives.get(contributes_to),
            contribution=story, position=position)
    rng = random.Random(initiative.slug)  # the same figures on every machine
    indicators = {}
    for row in spec["indicators"]:
        indicators[row[0]] = _indicator(initiative, objectives, owners, row, spec.get("revision"), rng)
    if returned := spec.get("returned"):
        name, quarter, note = returned
        Measurement.objects.filter(indicator=indicators[name], period_start=QUARTERS[quarter][0]).update(
            status=MeasurementStatus.RETURNED, review_note=note, reviewed_at=_reviewed(QUARTERS[quarter][1]))
    for kind, title, text, speaker, url, public, linked in spec["evidence"]:
        evidence = Evidence.objects.create(
            initiative=initiative, kind=kind, title=title, text=text, speaker_role=speaker, url=url,
            is_public=public, consent=kind == EvidenceKind.VERBATIM, anonymised=bool(speaker),
            tags="démonstration", source="Données de démonstration")
        for name in linked:
            evidence.indicators.add(indicators[name])
            evidence.measurements.add(*indicators[name].measurements.filter(
                status=MeasurementStatus.APPROVED).order_by("-period_end")[:1])


def _indicator(initiative, objectives, owners, row, revision, rng) -> Indicator:
    (name, objective, unit, measure, direction, cumulation, baseline, targets, family, dimension, sdg, key,
     public, owner, start, step, parts, levels) = row
    indicator = Indicator.objects.create(
        initiative=initiative, objective=objectives[objective], name=name, unit=unit, owner=owners.get(owner),
        impact_family=family, dimension=dimension, sdg_target=sdg, frequency=Frequency.QUARTERLY, key=key,
        is_public=public, data_source="Tableaux de suivi des partenaires",
        verification="Pièces justificatives conservées par le partenaire responsable")
    first = IndicatorVersion.objects.create(
        indicator=indicator, number=1, definition=f"{name} ({unit or 'niveau'}), suivi chaque trimestre.",
        computation="Relevé trimestriel consolidé par le responsable de l'évaluation.", measure=measure,
        scale_levels=levels or [], direction=direction, cumulation=cumulation, baseline_value=baseline,
        baseline_date=D(2022, 12, 31), targets=[{"date": day, "value": str(value)} for day, value in targets])
    version, change_from = first, None
    if revision and revision[0] == name:
        _, decided_on, category, reason, participants, definition, computation = revision
        second = IndicatorVersion.objects.create(
            indicator=indicator, number=2, definition=definition, computation=computation, measure=measure,
            direction=direction, cumulation=cumulation, baseline_value=baseline, baseline_date=D(2022, 12, 31),
            targets=first.targets, reason_category=category, reason_text=reason, decided_on=decided_on,
            participants=participants)
        indicator.current_version = 2
        indicator.save(update_fields=["current_version"])
        change_from = decided_on
    for quarter, (period_start, period_end) in enumerate(QUARTERS):
        if change_from and period_start > change_from:
            version = second
        figure = start + step * quarter + rng.uniform(-abs(step), abs(step)) / 2
        status = MeasurementStatus.APPROVED
        if quarter == len(QUARTERS) - 1:  # the latest quarter is still being collected and reviewed
            status = MeasurementStatus.SUBMITTED if key else MeasurementStatus.DRAFT
        if measure == Measure.SCALE:
            value, level = None, max(1, min(len(levels), round(figure)))
        else:
            value, level = Decimal(str(round(max(figure, 0), 1 if measure == Measure.PERCENTAGE else 0))), None
        measurement = Measurement.objects.create(
            indicator=indicator, version=version, period_start=period_start, period_end=period_end, value=value,
            level=level, status=status, reviewed_at=_reviewed(period_end) if status == MeasurementStatus.APPROVED
            else None)
        for dimension_name, shares in parts.items():
            Disaggregation.objects.bulk_create(_parts(measurement, dimension_name, shares))
    return indicator


def _reviewed(period_end: datetime.date) -> datetime.datetime:
    """Reviews happen about three weeks after a quarter ends."""
    day = period_end + datetime.timedelta(days=21)
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)


def _parts(measurement: Measurement, dimension: str, shares: dict[str, float]) -> list[Disaggregation]:
    """The measurement's value split by `shares`, in whole units; the last category takes the rounding rest."""
    values = [(measurement.value * Decimal(str(share))).quantize(Decimal("1")) for share in shares.values()]
    values[-1] = measurement.value - sum(values[:-1])
    return [Disaggregation(measurement=measurement, dimension=dimension, category=category, value=value)
            for category, value in zip(shares, values, strict=True)]
