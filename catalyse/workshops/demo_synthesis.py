"""Demo syntheses: the four evaluation workshop groups of the network's 2019 annual meeting answer "Qu'avons-nous
inventé ensemble ?" with three proposals each, drawn from what the meeting's report retains of each workshop
(told in our own words, no person named), backed by the cards of their board that share the proposal's words
and by demo initiatives and organisations as examples.

The meeting comes from the events demo and the groups' boards from the boards demo (found by the event's slug
and the group's name); a missing meeting or board is skipped. A second load changes nothing.
"""

from __future__ import annotations

from catalyse.actors.models import Organisation
from catalyse.core.text import fold
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative

from .models import Board, Card
from .models_synthesis import Synthesis
from .services_synthesis import ProposalInput, synthesis_save

MEETING_SLUG = "rencontre-annuelle-2019-ensemble-valorisons-les-territoires"  # catalyse/events/demo.py

# Per group: (proposal, folded words a supporting card contains, example initiative slugs, organisation slugs)
GROUPS = {
    "Groupe bleu": [
        (
            "Cartographier ensemble les acteurs qui pratiquent déjà l'évaluation sur le territoire, et tenir cette "
            "carte à jour.",
            ["carte", "qui sur notre territoire"],
            ["observatoire-des-partenariats"],
            [],
        ),
        (
            "Retenir trois ou quatre indicateurs qui ont le même sens pour tous les partenaires, plutôt qu'une "
            "batterie que personne ne suit.",
            ["indicateur"],
            [],
            [],
        ),
        (
            "Capitaliser d'une évaluation à l'autre dans un outil vivant, qui mesure aussi la confiance et les "
            "savoir-faire.",
            ["capitalis", "immateriel", "confiance"],
            ["transition-de-la-cite-miniere"],
            [],
        ),
    ],
    "Groupe rouge": [
        (
            "Associer toutes les parties prenantes dès la stratégie : le temps pris au départ se regagne ensuite.",
            ["prenante", "strategie"],
            [],
            [],
        ),
        (
            "Combiner un cadre logique pour ce qui est connu et une démarche à petits pas pour ce qui s'invente.",
            ["cadre logique", "petits pas"],
            ["pole-territorial-emploi-mureaux"],
            [],
        ),
        (
            "Reconnaître les objectifs de chaque partenaire à côté de ceux du collectif, et parler de leurs peurs, "
            "attraits et tentations.",
            ["objectif", "peur", "langage"],
            [],
            [],
        ),
    ],
    "Groupe vert": [
        (
            "Intégrer l'évaluation au projet dès son lancement et la faire évoluer avec lui, plutôt qu'un bilan "
            "figé en fin de parcours.",
            ["integrer", "fige", "diagnostic"],
            [],
            [],
        ),
        (
            "Associer les collectivités aux enquêtes d'impact, même lorsqu'une entreprise les lance.",
            ["collectivit", "enquete"],
            ["enquete-impact-incubateurs"],
            [],
        ),
        (
            "Se servir des résultats pour valoriser le projet auprès des financeurs, et expliquer pourquoi mesurer "
            "son impact.",
            ["valoris", "financeur", "suivi"],
            [],
            [],
        ),
    ],
    "Groupe jaune": [
        (
            "Mettre en commun des morceaux d'évaluation dans un outil collaboratif assez simple pour que les élus y "
            "contribuent.",
            ["collaboratif", "wiki"],
            ["transition-de-la-cite-miniere"],
            [],
        ),
        (
            "Construire par le débat, avec un tiers de confiance si besoin, un consensus sur ce que l'on évalue "
            "ensemble.",
            ["consensus", "tiers", "valeurs"],
            ["jeu-de-la-co-construction"],
            ["rnma"],
        ),
        (
            "Publier les résultats en accès libre et donner des réflexes d'évaluation aux élus, aux agents et aux "
            "acteurs.",
            ["acces libre", "reflexe", "partag"],
            [],
            [],
        ),
    ],
}


def _supporting(cards: list[Card], words: list[str]) -> list[Card]:
    return [card for card in cards if any(word in fold(card.text) for word in words)][:3]


def load() -> str:
    event = Event.objects.filter(slug=MEETING_SLUG).first()
    if event is None:
        return "0 synthèse (rencontre de démonstration absente)"
    created = 0
    for group, proposals in GROUPS.items():
        board = Board.objects.filter(event=event, group_name=group).order_by("pk").first()
        if board is None or Synthesis.objects.filter(board=board).exists():
            continue
        cards = list(board.cards.filter(merged_into=None).order_by("number"))
        synthesis_save(
            board=board,
            actor=None,
            publish=True,
            proposals=[
                ProposalInput(
                    text=text,
                    cards=_supporting(cards, words),
                    initiatives=list(Initiative.objects.filter(slug__in=initiatives)),
                    organisations=list(Organisation.objects.filter(slug__in=organisations)),
                )
                for text, words, initiatives, organisations in proposals
            ],
        )
        created += 1
    return f"{Synthesis.objects.filter(board__event=event).count()} synthèses ({created} créées)"
