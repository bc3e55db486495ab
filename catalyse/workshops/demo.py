"""Demo boards: the four evaluation workshop groups of the 2019 annual meeting (built by the events app's demo,
found by its slug; without it, nothing is loaded), with cards of needs, practices and "what I would not do
again" paraphrased from the meeting's report — participants appear as generic labels, never names — and votes.
The boards are closed (the meeting is over). Idempotent: a group that already has its board is left alone."""

from __future__ import annotations

from django.db import transaction

from . import services
from .models import Board

MEETING_SLUG = "rencontre-annuelle-2019-ensemble-valorisons-les-territoires"  # catalyse/events/demo.py

# Per group: (needs, practices, would-not-do-again); each card is (text, number of +1 votes).
GROUPS: dict[str, tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]] = {
    "bleu": (
        [
            ("Savoir qui, sur notre territoire, pratique déjà l'évaluation : une carte de ces acteurs.", 6),
            ("Garder les partenaires mobilisés sur l'évaluation pendant toute la durée du projet.", 4),
            ("Des indicateurs qui aient le même sens pour tous les partenaires.", 5),
            ("Un outil vivant pour capitaliser les résultats d'une évaluation à l'autre.", 7),
            ("Mesurer aussi l'immatériel : la confiance, les savoir-faire, la valeur créée.", 5),
        ],
        [
            ("Réunir les parties prenantes avant le lancement, pas après (voir A1).", 5),
            ("Un petit comité de pilotage, pour ne pas diluer les décisions.", 2),
            ("Évaluer par étapes : prototype, puis essaimage, en ajustant à chaque fois.", 3),
            ("S'appuyer sur une personne capable d'entraîner les autres.", 2),
            ("Trois ou quatre indicateurs bien choisis plutôt que vingt (voir A3).", 6),
        ],
        [
            ("Multiplier les indicateurs jusqu'à l'usine à gaz.", 7),
            ("Obliger des partenaires à venir : ils viennent, mais ne s'engagent pas.", 2),
            ("Piloter uniquement à court terme.", 1),
            ("Fixer les objectifs sans prévoir comment les résultats seront valorisés ensuite.", 3),
        ],
    ),
    "rouge": (
        [
            ("Un langage commun entre entreprises, associations et collectivités.", 5),
            ("Comprendre les contraintes de temps et de décision de chaque partenaire.", 3),
            ("Savoir si l'on a mobilisé les bonnes parties prenantes.", 4),
        ],
        [
            ("Faire exprimer les peurs, attraits et tentations de chacun pour prévenir les conflits.", 4),
            ("Un cadre logique quand la solution est connue, la méthode des petits pas quand elle s'invente.", 5),
            ("Distinguer les objectifs du collectif et ceux de chaque partenaire.", 3),
        ],
        [
            ("Définir la stratégie à la va-vite : le temps passé au départ se regagne ensuite.", 3),
            ("Compter sur des personnes plutôt que sur les organisations : elles partent.", 2),
        ],
    ),
    "vert": (
        [
            ("Qualifier la mobilisation : qui, pourquoi, à quel stade, pour quoi faire.", 4),
            ("Un outil de suivi d'indicateurs dont les données soient faciles à recueillir.", 6),
            ("Une gouvernance qui accueille les membres arrivés après les fondateurs.", 2),
        ],
        [
            ("Un diagnostic partagé avant d'écrire les objectifs (voir A1).", 4),
            ("Intégrer l'évaluation au projet en cours, pas seulement à la fin.", 5),
            ("Se servir de l'évaluation pour valoriser le projet auprès des financeurs.", 3),
        ],
        [
            ("Lancer une enquête d'impact sans y associer les collectivités.", 3),
            ("Laisser l'évaluation figée alors que le projet avance.", 2),
        ],
    ),
    "jaune": (
        [
            ("Des réflexes d'évaluation chez les élus, les agents et les acteurs.", 3),
            ("Partager les résultats en accès libre.", 5),
            ("Un tiers de confiance pour évaluer entre partenaires.", 4),
        ],
        [
            ("Débattre pour construire un consensus sur l'évaluation collective.", 3),
            ("Un outil collaboratif pour mettre en commun des morceaux d'évaluation.", 4),
            ("Un pilotage calé sur les échéances des objectifs.", 2),
        ],
        [
            ("Évaluer sans avoir aligné les valeurs de l'équipe.", 2),
            ("Un wiki collaboratif trop technique pour que les élus y contribuent.", 4),
        ],
    ),
}
PARTICIPANTS = 8  # per group
CODES = {"bleu": "AQ3X6H", "rouge": "AQ3X6J", "vert": "AQ3X6K", "jaune": "AQ3X6M"}  # stable demo addresses


@transaction.atomic
def load() -> str:
    from catalyse.events.models import Event

    event = Event.objects.filter(slug=MEETING_SLUG).first()
    if event is None:
        return "pas de tableau (événement de démonstration absent)"
    made = 0
    for session in event.sessions.filter(title__contains="groupe").order_by("order"):
        colour = session.title.rsplit(" ", 1)[-1]
        if colour not in GROUPS or Board.objects.filter(session=session).exists():
            continue
        _board(session, colour)
        made += 1
    return f"{Board.objects.filter(event=event).count()} tableaux d'atelier ({made} créés)"


def _board(session, colour: str) -> Board:
    board = services.board_create(
        title="Évaluation partenariale : besoins et pratiques",
        session=session,
        group_name=f"Groupe {colour}",
        code=CODES[colour],
        created_by=None,
    )
    people = [
        services.participant_join(board=board, display_name=f"Participant·e {n + 1}") for n in range(PARTICIPANTS)
    ]
    for column, cards in zip(board.columns.all(), GROUPS[colour], strict=True):
        for i, (text, votes) in enumerate(cards):
            card = services.card_create(participant=people[i % PARTICIPANTS], text=text, column=column)
            for voter in people[1 : votes + 1]:
                services.vote_add(participant=voter, card=card)
    services.board_close(board)
    return board
