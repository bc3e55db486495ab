"""Demo syntheses: the four peer-consulting groups of the network's 2019 annual meeting, each with the three
proposals it reported (told in our own words, no person named), backed by cards of its board that share their
words and by demo initiatives and organisations as examples.

The meeting and its sessions come from the events demo (looked up by slug and title); each group's board from
the boards demo — a session without one gets a board here, closed, so that the synthesis has its place.
Nothing happens without the meeting. A second load changes nothing.
"""

from __future__ import annotations

from catalyse.actors.models import Organisation
from catalyse.core.text import fold
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative

from . import services
from .models import Board, Card
from .models_synthesis import Synthesis
from .services_synthesis import ProposalInput, synthesis_save

MEETING_SLUG = "rencontre-annuelle-2019-ensemble-valorisons-les-territoires"
SESSION_TITLE = "Co-développement : valoriser les dynamiques territoriales ({n})"

# Per group: (text, words a supporting card contains, example initiative slugs, example organisation slugs)
GROUPS = [
    [
        (
            "Organiser des voyages d'étude d'un territoire à l'autre, pour voir de près ce que d'autres ont réussi "
            "et repartir rassuré sur ses propres chances.",
            ["voyage", "visite", "inspir"],
            [],
            ["rnma"],
        ),
        (
            "Mettre en commun informations et outils, lors de rencontres comme en ligne, et financer les compétences "
            "numériques et de communication que ce partage demande.",
            ["outil", "partag", "numerique"],
            ["plateforme-dialogue-quartiers"],
            [],
        ),
        (
            "Faire reconnaître l'innovation sociale des territoires : siéger dans les instances opérationnelles des "
            "collectivités et essaimer avec méthode ce qui a fait ses preuves.",
            ["reconn", "essaim", "collectivit"],
            ["envie-d-alliances", "fabrique-innovation-sociale", "communaute-emergence"],
            [],
        ),
    ],
    [
        (
            "Se former entre acteurs et bâtir des compétences collectives : un cadre où chacun explique sa posture, "
            "une co-construction vécue ensemble, une carte des savoir-faire de chacun.",
            ["form", "competence"],
            ["jeu-de-la-co-construction"],
            [],
        ),
        (
            "Partir des réseaux déjà présents sur chaque territoire : associer d'emblée les premiers concernés, "
            "chercher les enjeux communs, cartographier les acteurs et rendre cette carte aux territoires.",
            ["reseau", "carto", "acteur"],
            ["observatoire-des-partenariats"],
            [],
        ),
        (
            "Rendre concret, capitaliser, diffuser : une gouvernance partagée qui s'élargit avec le temps, des "
            "outils produits à plusieurs, une présence dans les médias du quartier jusqu'à l'international.",
            ["capitalis", "gouvernance", "media"],
            ["ancien-site-militaire-cooperatif"],
            ["scic-microville-112"],
        ),
    ],
    [
        (
            "S'appuyer sur des ambassadeurs qui donnent envie : des figures qui entraînent les autres et des pairs "
            "qui témoignent que c'est faisable.",
            ["ambassad", "temoign", "pair"],
            [],
            [],
        ),
        (
            "Renforcer les moyens : des compétences en marketing, et un outil numérique pour savoir qui fait quoi "
            "sur le territoire et garder la mémoire de ses récits et de ses pratiques.",
            ["moyen", "memoire", "qui fait quoi"],
            ["observatoire-des-partenariats"],
            [],
        ),
        (
            "Porter le plaidoyer vers le grand public, vers l'État — en montrant les résultats obtenus sur les "
            "territoires — et vers les entreprises.",
            ["plaidoyer", "media", "resultat"],
            [],
            [],
        ),
    ],
    [
        (
            "Financer les personnes et pas seulement les investissements : inventer des modèles économiques, donner "
            "sa valeur au travail de catalyse, inscrire les financements dans la durée.",
            ["financ", "modele economique", "duree"],
            [],
            [],
        ),
        (
            "Apprendre à coopérer : apprendre ensemble, se mettre à la place de l'autre, écrire des récits "
            "collectifs qui donnent du sens.",
            ["cooper", "apprend", "recit"],
            ["mooc-developpement-local"],
            [],
        ),
        (
            "Mettre en lumière ce qui marche, pour que chaque organisation y trouve son intérêt : tenir compte des "
            "besoins et des maturités de chacun, valoriser les essais par des évaluations de formes variées.",
            ["evalu", "valoris", "experiment"],
            ["outil-capabilites"],
            [],
        ),
    ],
]


def _board_of(event: Event, n: int) -> Board | None:
    session = event.sessions.filter(title=SESSION_TITLE.format(n=n)).first()
    if session is None:
        return None
    board = Board.objects.filter(session=session).order_by("pk").first()
    if board is None:
        board = services.board_create(
            title="Valoriser les dynamiques territoriales",
            created_by=None,
            group_name=f"Groupe {n}",
            session=session,
        )
        services.board_close(board)
    return board


def _supporting(cards: list[Card], words: list[str]) -> list[Card]:
    return [card for card in cards if any(word in fold(card.text) for word in words)][:3]


def load() -> str:
    event = Event.objects.filter(slug=MEETING_SLUG).first()
    if event is None:
        return "0 synthèse (rencontre de démonstration absente)"
    created = 0
    for n, proposals in enumerate(GROUPS, start=1):
        board = _board_of(event, n)
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
    return f"{Synthesis.objects.filter(board__session__event=event).count()} synthèses ({created} créées)"
