"""Demo events: the network's 2019 annual meeting, reconstructed from its report (programme, round table, four
workshop groups in the morning, four peer-consulting groups in the afternoon — in our own words, no person
named), a cycle of twelve monthly webinars on the report's themes, and a small workshop that is full.

The meeting keeps its real date. The webinars and the workshop are FICTITIOUS and dated from the month of the
first load (two webinars already held, ten to come), so that the demo always shows upcoming events; their slugs
do not carry the date, and a second load finds them and changes nothing. Registrations use initials or
generic labels, never names.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from catalyse.actors.models import Organisation
from catalyse.territories.keys import territory_from_key

from . import services
from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus, SessionKind

PARIS = ZoneInfo("Europe/Paris")
MEETING_SLUG = "rencontre-annuelle-2019-ensemble-valorisons-les-territoires"
WORKSHOP_SLUG = "atelier-evaluation-partenariale-premiers-pas"

MEETING_DESCRIPTION = """\
Cinquième rencontre annuelle du réseau des catalyseurs territoriaux, sur le thème de la **valorisation** :
comment faire reconnaître la capacité des territoires à inventer ensemble des solutions à leurs défis ?

La journée alterne un temps d'inspiration, des ateliers d'échange sur les pratiques d'évaluation partenariale
et des groupes de co-développement sur la valorisation des dynamiques territoriales, avant un parcours de
découverte des outils mis à la disposition des territoires.
"""

# (start, end, kind, title, place, description, speaker organisations)
MEETING_PROGRAMME = [
    (
        "09:00",
        "09:15",
        SessionKind.PLENARY,
        "Ouverture : la coopération territoriale vue par l'État",
        "Amphithéâtre",
        "Une mise en perspective par le service de l'État chargé de la cohésion des territoires.",
        ["cget"],
    ),
    (
        "09:15",
        "10:30",
        SessionKind.ROUND_TABLE,
        "Table ronde : les territoires, lieux où l'intérêt général se construit à plusieurs",
        "Amphithéâtre",
        "Cinq regards : les objectifs de développement durable comme horizon commun, la force de l'engagement "
        "associatif, la responsabilité territoriale des entreprises, la place des élus dans la co-construction et "
        "l'accompagnement des territoires. Suivi d'un éclairage venu du Maroc.",
        ["comite-21", "le-mouvement-associatif", "ville-de-loos-en-gohelle", "banque-des-territoires", "le-rameau"],
    ),
    (
        "11:00",
        "12:30",
        SessionKind.WORKSHOP,
        "Atelier évaluation — groupe bleu",
        "Amphithéâtre",
        "Besoins d'évaluation, pratiques qui marchent et méthode, autour de la mobilisation des parties prenantes, "
        "des objectifs et indicateurs, et du pilotage de l'évaluation.",
        [],
    ),
    (
        "11:00",
        "12:30",
        SessionKind.WORKSHOP,
        "Atelier évaluation — groupe rouge",
        "Salle Rostand, rez-de-chaussée",
        "Mêmes questions, avec un binôme d'animation évaluateur et catalyseur.",
        [],
    ),
    (
        "11:00",
        "12:30",
        SessionKind.WORKSHOP,
        "Atelier évaluation — groupe vert",
        "Salle Dupin, 3e étage",
        "Mêmes questions, avec un binôme d'animation évaluateur et catalyseur.",
        [],
    ),
    (
        "11:00",
        "12:30",
        SessionKind.WORKSHOP,
        "Atelier évaluation — groupe jaune",
        "Salle des Cimes, 4e étage",
        "Mêmes questions, avec un binôme d'animation évaluateur et catalyseur.",
        [],
    ),
    (
        "14:00",
        "16:00",
        SessionKind.PEER_CONSULTING,
        "Co-développement : valoriser les dynamiques territoriales (1)",
        "Amphithéâtre",
        "Comment valoriser, selon quels territoires, avec quels mots ? Trois propositions à restituer.",
        ["avise"],
    ),
    (
        "14:00",
        "16:00",
        SessionKind.PEER_CONSULTING,
        "Co-développement : valoriser les dynamiques territoriales (2)",
        "Salle Rostand, rez-de-chaussée",
        "Mêmes questions, deux catalyseurs apportent leurs exemples.",
        ["bleu-blanc-zebre"],
    ),
    (
        "14:00",
        "16:00",
        SessionKind.PEER_CONSULTING,
        "Co-développement : valoriser les dynamiques territoriales (3)",
        "Salle Dupin, 3e étage",
        "Mêmes questions, deux catalyseurs apportent leurs exemples.",
        ["cget"],
    ),
    (
        "14:00",
        "16:00",
        SessionKind.PEER_CONSULTING,
        "Co-développement : valoriser les dynamiques territoriales (4)",
        "Salle des Cimes, 4e étage",
        "Mêmes questions, deux catalyseurs apportent leurs exemples.",
        ["unadel"],
    ),
    (
        "16:00",
        "16:30",
        SessionKind.PLENARY,
        "Restitution : que proposons-nous ensemble ?",
        "Amphithéâtre",
        "Chaque groupe présente ses trois propositions.",
        [],
    ),
    (
        "16:30",
        "17:15",
        SessionKind.PLENARY,
        "Parcours des outils au service de la co-construction",
        "Hall",
        "Bases documentaires, communautés professionnelles en ligne, observatoires et plateformes de "
        "capitalisation présentés par ceux qui les font vivre.",
        ["cnfpt", "banque-des-territoires", "villes-au-carre", "le-rameau"],
    ),
    ("17:15", "17:30", SessionKind.PLENARY, "Conclusion : capitaliser pour valoriser", "Amphithéâtre", "", []),
]

# Themes of the monthly webinar cycle, drawn from the questions of the 2019 report.
WEBINARS = [
    ("Mobiliser les parties prenantes d'un territoire", "Qui réunir, comment, et comment garder l'élan."),
    ("Fixer des objectifs communs à une alliance", "Passer des intentions de chacun à un cap partagé."),
    ("Choisir peu d'indicateurs, mais les bons", "Trop d'indicateurs tuent l'information."),
    ("Piloter une évaluation partenariale", "Rôles, calendrier et gouvernance de l'évaluation."),
    ("Les ODD, une grammaire commune pour les territoires ?", "Relier les actions locales aux objectifs globaux."),
    ("Les élus face aux méthodes de co-construction", "Ce que change la coopération pour la décision publique."),
    ("Entreprises et responsabilité territoriale", "De l'engagement local des entreprises aux alliances."),
    ("Valoriser une dynamique territoriale", "Raconter, mesurer et faire reconnaître ce qui a été construit."),
    ("Capitaliser ses expérimentations", "Garder la mémoire de ce qui a été tenté, réussi ou abandonné."),
    ("Trouver l'ingénierie qui manque", "Les appuis offerts aux territoires peu dotés en ingénierie."),
    ("Ressources documentaires pour la cohésion territoriale", "Chercher, trouver et partager les publications."),
    ("Bilan du cycle : ce que nous avons appris", "Retour sur l'année et propositions pour la suite."),
]

# Fictitious participants: initials or labels, example.org addresses, an organisation of the demo directory.
PARTICIPANTS = [
    ("C. L.", "ville-de-loos-en-gohelle", True),
    ("M. D.", "commune-du-mene", True),
    ("Participant·e A", "avise", False),
    ("S. B.", "ronalpia", True),
    ("Participant·e B", "", False),
    ("J. R.", "pays-d-aix-associations", True),
    ("A. T.", "ptce-les-mureaux", False),
    ("Participant·e C", "unadel", True),
]


def _at(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def _orgs(slugs) -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}


def _meeting() -> Event:
    day = datetime.date(2019, 6, 26)
    orgs = _orgs({s for row in MEETING_PROGRAMME for s in row[6]} | {p[1] for p in PARTICIPANTS} | {"le-rameau"})
    event = services.event_create(
        slug=MEETING_SLUG,
        title="Rencontre annuelle 2019 : « Ensemble, valorisons les territoires ! »",
        kind=EventKind.ANNUAL_MEETING,
        starts_at=_at(day, "09:00"),
        ends_at=_at(day, "17:30"),
        summary="La cinquième rencontre du réseau : inspiration, ateliers d'évaluation et co-développement sur la "
        "valorisation des territoires.",
        description=MEETING_DESCRIPTION,
        territory=territory_from_key("commune:75056"),
        address="Siège d'une fédération bancaire mutualiste, 5 rue Masseran, 75007 Paris",
        capacity=150,
        organiser=orgs.get("le-rameau"),
        status=EventStatus.PUBLISHED,
    )
    groups = []
    for order, (start, end, kind, title, place, description, speakers) in enumerate(MEETING_PROGRAMME):
        session = services.session_create(
            event=event,
            title=title,
            kind=kind,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            place=place,
            description=description,
            order=order,
            speakers=[orgs[s] for s in speakers if s in orgs],
        )
        if kind == SessionKind.WORKSHOP:
            groups.append(session)
    # Written directly: the services refuse registrations to an event that is over.
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=name,
            email=f"participant-2019-{n}@example.org",
            organisation=orgs.get(org),
            session=groups[n % len(groups)],
            public_name=public,
            position=n + 1,
            attended=n != 4,
            status=RegistrationStatus.CONFIRMED,
        )
        for n, (name, org, public) in enumerate(PARTICIPANTS)
    )
    return event


def _webinars(first_month: datetime.date) -> int:
    rameau = Organisation.objects.filter(slug="le-rameau").first()
    created = 0
    for n, (title, summary) in enumerate(WEBINARS, start=1):
        slug = f"cycle-de-webinaires-{n:02d}"
        if Event.objects.filter(slug=slug).exists():
            continue
        year, month = divmod(first_month.month - 1 + n - 1, 12)
        day = datetime.date(first_month.year + year, month + 1, 1)
        day += datetime.timedelta(days=(1 - day.weekday()) % 7)  # the first Tuesday of the month
        services.event_create(
            slug=slug,
            title=f"Webinaire {n}/12 : {title}",
            kind=EventKind.WEBINAR,
            summary=summary,
            description=f"{summary}\n\nUne heure d'échange en ligne : un témoignage de territoire, puis vos "
            "questions. Le cycle suit un cheminement : chaque séance prolonge la précédente.",
            starts_at=_at(day, "11:00"),
            ends_at=_at(day, "12:00"),
            online_url=f"https://visio.example.org/webinaire-{n:02d}",
            capacity=100,
            organiser=rameau,
            status=EventStatus.PUBLISHED,
            is_fictitious=True,
        )
        created += 1
    return created


def _workshop(day: datetime.date) -> Event:
    """A small workshop, full, with a waiting list."""
    orgs = _orgs({p[1] for p in PARTICIPANTS})
    event = services.event_create(
        slug=WORKSHOP_SLUG,
        title="Atelier : premiers pas en évaluation partenariale",
        kind=EventKind.WORKSHOP,
        summary="Une demi-journée pour construire le cadre d'évaluation d'une alliance naissante.",
        description="Atelier en petit groupe : chacun vient avec son alliance et repart avec une première "
        "version de ses objectifs et de trois indicateurs.",
        starts_at=_at(day, "14:00"),
        ends_at=_at(day, "17:00"),
        territory=territory_from_key("commune:62528"),
        address="Salle du conseil, mairie",
        capacity=4,
        organiser=orgs.get("ville-de-loos-en-gohelle"),
        status=EventStatus.PUBLISHED,
        is_fictitious=True,
    )
    services.session_create(
        event=event,
        title="Co-développement : une alliance, un cas",
        kind=SessionKind.PEER_CONSULTING,
        starts_at=_at(day, "14:00"),
        ends_at=_at(day, "16:30"),
        place="Salle du conseil",
    )
    for n, (name, org, public) in enumerate(PARTICIPANTS[:6]):
        services.registration_create(
            event=event,
            name=name,
            email=f"atelier-{n}@example.org",
            organisation=orgs.get(org),
            organisation_name="" if org else "Collectif citoyen",
            public_name=public,
            notify=False,
        )
    return event


def load() -> str:
    today = timezone.localdate()
    with transaction.atomic():
        if not Event.objects.filter(slug=MEETING_SLUG).exists():
            _meeting()
        first_month = today.replace(day=1) - datetime.timedelta(days=40)  # two webinars already held
        webinars = _webinars(first_month.replace(day=1))
        if not Event.objects.filter(slug=WORKSHOP_SLUG).exists():
            _workshop(today + datetime.timedelta(days=21))
    return f"{Event.objects.count()} événements ({webinars} webinaires créés)"
