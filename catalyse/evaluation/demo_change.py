"""Demo data of part 2 for three demo initiatives: a shared vision and change paths with progress markers and a
journal from 2023 to 2025, fears, attractions and temptations turned into precautions, objectives or rules, a
sense-making session with a disagreement recorded as such and a decision, and an SROI estimate with its sources.
No names of people: whoever confirms a change is named by function.

Most items are published with every concerned partner's approval (`demo_partnership._publish`); a journal entry
about a partner waits for its approval, to show co-validation. `load()` is idempotent: an initiative that has
change paths is left alone. Rows are written with the ORM directly (demo data is not a user's action to audit),
each initiative in one transaction."""

import datetime
from decimal import Decimal

from django.db import transaction

from catalyse.actors.models import Organisation
from catalyse.initiatives.models import Initiative

from .demo_partnership import _publish
from .models import (
    Becomes,
    ChangePath,
    ChangeVision,
    ConductRule,
    Decision,
    Disagreement,
    FatItem,
    FatKind,
    IndicatorVersion,
    JournalEntry,
    MarkerLevel,
    ProgressMarker,
    SenseMakingSession,
    SroiEstimate,
    SroiOutcome,
)

D = datetime.date
E, L, V = MarkerLevel.EXPECT, MarkerLevel.LIKE, MarkerLevel.LOVE

# Paths: (organisation slug or None, free-text actor, outcome challenge, markers [(level, text)],
#   journal [(marker index or None, date, status, change, significance, contribution, confirmed by (slug, role))],
#   the entry index that still waits for the partner's approval, or None)
SPECS: dict[str, dict] = {
    "pole-territorial-emploi-mureaux": {
        "vision": "Un bassin d'emploi où les entreprises recrutent d'abord sur le territoire et où habiter la ville "
                  "n'est plus un frein pour trouver un travail.",
        "paths": [
            (None, "Les entreprises du bassin d'emploi",
             "Les entreprises recrutent des habitants du territoire et adaptent leurs pratiques d'accueil.",
             [(E, "Elles publient leurs offres auprès du pôle"), (E, "Elles accueillent des stages de découverte"),
              (L, "Elles adaptent leurs entretiens d'embauche"), (V, "Elles co-financent un parcours de formation")],
             [(0, D(2023, 3, 10), "partly", "Cinq entreprises transmettent leurs offres au pôle.",
               "Les offres arrivaient jusque-là aux seules agences d'intérim.",
               "Le pôle a organisé un petit-déjeuner des recruteurs.", (None, "responsable RH d'une entreprise")),
              (1, D(2023, 10, 2), "partly", "Douze stages de découverte en 2023.", "", "", (None, "")),
              (0, D(2024, 5, 21), "fully", "Les offres de vingt entreprises passent par le pôle.",
               "Le pôle devient un passage naturel pour recruter localement.",
               "Une plateforme commune d'offres, animée par le pôle.", ("ptce-les-mureaux", "chargée de mission")),
              (2, D(2025, 2, 14), "partly", "Trois entreprises remplacent le CV par une mise en situation.",
               "Des candidats écartés auparavant sont recrutés.", "Ateliers avec les recruteurs.",
               (None, "dirigeante d'une entreprise de logistique"))],
             None),
            ("ptce-les-mureaux", "",
             "Le pôle partage la conduite de l'alliance avec les structures d'insertion.",
             [(E, "Les structures d'insertion siègent au comité de pilotage"),
              (L, "Elles animent un groupe de travail")],
             [(0, D(2023, 6, 1), "fully", "Trois structures d'insertion siègent au comité.", "", "", (None, "")),
              (1, D(2025, 4, 3), "partly", "Une structure co-anime le groupe « parcours ».", "", "",
               ("ptce-les-mureaux", "directrice"))],
             1),
        ],
        "fat": [("ptce-les-mureaux", None, FatKind.FEAR,
                 "Que le pôle soit vu comme un service de l'emploi de plus, et non comme une coopération.",
                 Becomes.RULE, "Chaque action est présentée au nom de l'ensemble des partenaires du pôle."),
                ("alliance-sens-et-economie", "ptce-les-mureaux", FatKind.TEMPTATION,
                 "En miroir : garder pour soi les contacts des entreprises les plus engagées.",
                 Becomes.PRECAUTION, "Le fichier des entreprises partenaires est partagé et tenu en commun."),
                ("alliance-sens-et-economie", None, FatKind.ATTRACTION,
                 "Apprendre d'un pôle qui change le regard porté sur la ville.", Becomes.OBJECTIVE, "")],
        "session": ("Revue annuelle du pôle", D(2024, 6, 28),
                    "Les embauches progressent, mais beaucoup de contrats sont courts ; les entreprises engagées "
                    "sont plus nombreuses que prévu.",
                    ("Faut-il compter les contrats de moins de six mois ?",
                     "Structures d'insertion : oui, ce sont des premières marches vers l'emploi.\n"
                     "Financeur et pôle : non, seul l'emploi durable répond à l'objectif."),
                    ("Ne compter que les contrats de six mois ou plus à partir de juillet 2024.",
                     "Recompter le premier semestre selon la nouvelle définition.", D(2024, 9, 30),
                     "Personnes accédant à un emploi durable")),
        "sroi": ("Estimation 2024 du pôle", D(2025, 1, 31), Decimal(180000),
                 "Subventions et temps des partenaires, valorisé au coût salarial", [
                     ("Retour à un emploi durable", "habitants accompagnés", 48, 9000,
                      "Coût annuel évité d'un allocataire (estimation régionale, 2023)", "0.35", "0.3", "0.05",
                      "0.3", 3, "Aubaine d'après le taux de retour à l'emploi sans accompagnement dans le bassin."),
                     ("Recrutements facilités", "entreprises du pôle", 20, 1500,
                      "Coût moyen d'un recrutement par intérim (enquête auprès des entreprises)", "0.4", "0.2", "0",
                      "0.5", 2, "Déclaré par les entreprises lors de la revue annuelle."),
                 ]),
    },
    "ancien-site-militaire-cooperatif": {
        "vision": "Un site ouvert, géré par ses habitants et ses acteurs, où les services naissent des besoins.",
        "paths": [
            (None, "Les services de la commune",
             "La commune confie à la coopérative la gestion de bâtiments et la consulte sur l'aménagement du site.",
             [(E, "La commune signe une convention d'occupation"), (L, "Elle consulte la coopérative sur le "
                                                                   "plan d'aménagement"),
              (V, "Elle transfère la gestion d'un équipement public")],
             [(0, D(2023, 4, 12), "fully", "Convention d'occupation signée pour trois bâtiments.",
               "La coopérative peut engager des travaux.", "Dossier préparé avec les catalyseurs.",
               (None, "directeur des services techniques")),
              (1, D(2024, 11, 5), "partly", "La coopérative est invitée à une réunion du plan d'aménagement.",
               "", "", (None, "")),
              (None, D(2025, 3, 20), "", "La commune propose un local au marché de producteurs du site.",
               "Un effet que personne n'attendait.", "", (None, "élue à la vie associative"))],
             None),
        ],
        "fat": [("scic-microville-112", None, FatKind.FEAR,
                 "Que les habitants sociétaires n'aient qu'une voix symbolique.",
                 Becomes.PRECAUTION, "Un collège des habitants avec droit de veto sur l'usage des bâtiments."),
                ("alliance-sens-et-economie", None, FatKind.TEMPTATION,
                 "Décider à la place des habitants pour aller plus vite.", Becomes.RULE,
                 "Aucune décision d'usage sans passage en assemblée des sociétaires.")],
        "session": ("Lecture collective 2024", D(2024, 12, 10),
                    "Les bâtiments reprennent vie ; la participation des habitants progresse lentement.",
                    ("Le rythme des travaux",
                     "Coopérative : ouvrir vite, quitte à faire simple.\n"
                     "Catalyseurs : prendre le temps d'associer les habitants à chaque choix."),
                    ("Tester un chantier participatif au printemps.", "Bilan du chantier en juin.",
                     D(2025, 6, 30), None)),
        "sroi": ("Estimation 2024 de la coopérative", D(2025, 2, 28), Decimal(95000),
                 "Apports des sociétaires et subventions d'investissement", [
                     ("Surface remise en usage", "habitants et associations", 3500, 12,
                      "Loyer annuel au m² de locaux associatifs comparables (observatoire local)", "0.1", "0.25",
                      "0.1", "0.05", 5, "Peu d'aubaine : le site était fermé depuis dix ans."),
                 ]),
    },
    "atelier-des-villes-pairs": {
        "vision": "Des communes qui apprennent les unes des autres et dont les agents savent conduire la "
                  "transition avec les habitants.",
        "paths": [
            ("ville-de-grande-synthe", "",
             "Les services municipaux reprennent à leur compte les méthodes partagées.",
             [(E, "Des agents participent aux visites croisées"), (L, "Un service adopte une méthode partagée"),
              (V, "La commune forme à son tour une autre commune")],
             [(0, D(2023, 5, 16), "fully", "Huit agents ont participé à deux visites.", "", "",
               ("ville-de-grande-synthe", "directrice générale des services")),
              (1, D(2024, 10, 8), "partly", "Le service des espaces verts teste la méthode de concertation.",
               "Premier usage hors du cercle des pionniers.", "Accompagnement par une commune pair.",
               ("ville-de-grande-synthe", "responsable des espaces verts")),
              (2, D(2025, 5, 6), "partly", "Une commune voisine accueillie pour une journée d'échange.", "",
               "", (None, ""))],
             2),
            (None, "Les organismes de formation des agents publics",
             "Les organismes de formation intègrent le référentiel commun à leurs cursus.",
             [(E, "Un organisme présente le référentiel à ses formateurs"),
              (L, "Un module de formation s'appuie sur le référentiel")],
             [(0, D(2024, 2, 1), "fully", "Présentation aux formateurs d'une délégation régionale.", "", "",
               (None, "conseillère formation"))],
             None),
        ],
        "fat": [("ville-de-loos-en-gohelle", None, FatKind.FEAR,
                 "Que le référentiel fige des pratiques qui doivent rester vivantes.", Becomes.PRECAUTION,
                 "Le référentiel est révisé chaque année avec les communes qui l'utilisent."),
                ("commune-du-mene", "ville-de-malaunay", FatKind.ATTRACTION,
                 "En miroir : être reconnue comme pionnière de la sobriété énergétique.", Becomes.PENDING, "")],
        "session": ("Séance de lecture 2025", D(2025, 3, 25),
                    "Les visites croisées font circuler les méthodes ; les agents formés restent peu nombreux.",
                    ("La place des élus dans les visites",
                     "Certaines communes : les élus doivent venir pour que les méthodes soient adoptées.\n"
                     "D'autres : sans élus, les agents parlent plus librement."),
                    ("Alterner visites d'agents et visites d'élus.", "Programme 2025 à diffuser.",
                     D(2025, 5, 31), None)),
        "sroi": ("Estimation 2024 de l'atelier", D(2025, 1, 15), Decimal(60000),
                 "Temps des agents et frais de déplacement", [
                     ("Méthodes réutilisées sans prestataire", "communes pairs", 6, 8000,
                      "Coût moyen d'une mission d'accompagnement externe (marchés publics 2023)", "0.2", "0.4",
                      "0", "0.25", 3, "Estimé avec les directions générales des quatre communes."),
                 ]),
    },
}


def load() -> str:
    done = set(ChangePath.objects.values_list("initiative__slug", flat=True))
    created = 0
    for initiative in Initiative.objects.filter(slug__in=SPECS).exclude(slug__in=done):
        with transaction.atomic():
            _load(initiative, SPECS[initiative.slug])
        created += 1
    total = ChangePath.objects.filter(initiative__slug__in=SPECS).values("initiative").distinct().count()
    return f"{total} évaluations partenariales avec chemins de changement et SROI ({created} créées)"


def _load(initiative: Initiative, spec: dict) -> None:
    slugs = {p[0] for p in spec["paths"]} | {j[6][0] for p in spec["paths"] for j in p[4]} | {
        f[0] for f in spec["fat"]} | {f[1] for f in spec["fat"]}
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs - {None})}
    partners = set(initiative.partnerships.values_list("organisation_id", flat=True))
    _publish(ChangeVision.objects.create(initiative=initiative, text=spec["vision"]), [])
    entries = []
    for position, (slug, actor, challenge, markers, journal, waiting) in enumerate(spec["paths"]):
        organisation = orgs.get(slug)
        concerns = organisation if organisation is not None and organisation.pk in partners else None
        path = ChangePath.objects.create(initiative=initiative, organisation=organisation, actor_name=actor,
                                         outcome_challenge=challenge, position=position, concerns=concerns)
        _publish(path, [concerns] if concerns else [])
        made = ProgressMarker.objects.bulk_create(ProgressMarker(path=path, level=level, text=text, position=i)
                                                  for i, (level, text) in enumerate(markers))
        for index, (marker, day, status, change, significance, contribution, (by, role)) in enumerate(journal):
            entry = JournalEntry.objects.create(
                path=path, marker=made[marker] if marker is not None else None, observed_on=day, status=status,
                observed_change=change, significance=significance, contribution=contribution,
                confirmed_by=orgs.get(by), confirmed_by_role=role, concerns=concerns)
            _publish(entry, [concerns] if concerns else [], waiting=[concerns] if index == waiting else [])
            entries.append(entry)
    for slug, about, kind, text, becomes, follow in spec["fat"]:
        if slug not in orgs or orgs[slug].pk not in partners:
            continue  # an organisation of the actors demo that is not a partner here
        item = FatItem.objects.create(initiative=initiative, organisation=orgs[slug], concerns=orgs[slug],
                                      about=orgs.get(about) if orgs.get(about) else None, kind=kind, text=text,
                                      becomes=becomes)
        if becomes in (Becomes.PRECAUTION, Becomes.RULE):
            item.rule = ConductRule.objects.create(initiative=initiative, kind=becomes, text=follow)
            _publish(item.rule, [])
        elif becomes == Becomes.OBJECTIVE:
            item.objective = initiative.objectives.filter(owner__isnull=True).order_by("tier", "pk").first()
        item.save(update_fields=["rule", "objective"])
        _publish(item, item.concerned_organisations())
    _session(initiative, spec["session"], entries)
    _sroi(initiative, spec["sroi"])


def _session(initiative: Initiative, spec: tuple, entries: list) -> None:
    title, held_on, summary, (subject, positions), (decision, follow_up, due_on, indicator_name) = spec
    session = SenseMakingSession.objects.create(initiative=initiative, held_on=held_on, title=title,
                                                summary=summary)
    partners = [p.organisation for p in initiative.partnerships.select_related("organisation").order_by("pk")]
    session.participants.set(partners)
    session.indicators.set(initiative.indicators.filter(key=True))
    session.journal_entries.set([e for e in entries if e.observed_on <= held_on][-2:])
    disagreement = Disagreement.objects.create(session=session, subject=subject, positions=positions)
    disagreement.organisations.set(partners[:2])
    made = Decision.objects.create(session=session, text=decision, follow_up=follow_up, due_on=due_on,
                                   done_on=due_on if due_on < D(2025, 6, 1) else None)
    if indicator_name:
        made.indicator_versions.set(IndicatorVersion.objects.filter(
            indicator__initiative=initiative, indicator__name=indicator_name, number__gt=1))
    _publish(session, session.concerned_organisations())


def _sroi(initiative: Initiative, spec: tuple) -> None:
    title, estimated_on, investment, investment_note, outcomes = spec
    estimate = SroiEstimate.objects.create(
        initiative=initiative, title=title, estimated_on=estimated_on, investment=investment,
        investment_note=investment_note, discount_rate=Decimal("0.035"), sensitivity_step=Decimal("0.1"),
        notes="Taux d'actualisation de 3,5 %, l'usage le plus courant des guides SROI.")
    SroiOutcome.objects.bulk_create(
        SroiOutcome(estimate=estimate, position=i, name=name, stakeholder=stakeholder, quantity=Decimal(quantity),
                    proxy=Decimal(proxy), proxy_source=source, deadweight=Decimal(deadweight),
                    attribution=Decimal(attribution), displacement=Decimal(displacement), drop_off=Decimal(drop_off),
                    duration=duration, assumptions=assumptions)
        for i, (name, stakeholder, quantity, proxy, source, deadweight, attribution, displacement, drop_off,
                duration, assumptions) in enumerate(outcomes))
    _publish(estimate, [])
