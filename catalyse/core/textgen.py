"""Realistic French text for the synthetic dataset (`catalyse generate` calls `paragraph` and `story`).

Sentences follow a few grammatical patterns filled from a domain vocabulary; within each word class, words
are drawn with Zipf-like weights (the k-th word has weight 1/k), so that — as in real text — a few content
words are very frequent and many are rare, which is what makes search benchmarks meaningful.
"""

from __future__ import annotations

import itertools
import random

_NOUNS = """coopération territoire projet habitants acteurs association collectivité emploi jeunes insertion
mobilité transition alimentation santé logement culture éducation formation entreprise réseau alliance
partenariat quartier village commune bassin économie solidarité innovation initiative évaluation action
accompagnement gouvernance diagnostic tiers-lieu atelier jardin circuit agriculture énergie rénovation déchets
recyclage numérique inclusion médiation citoyenneté participation bénévoles salariés commerce artisanat
tourisme patrimoine sport loisirs enfance famille seniors aidants handicap précarité pauvreté accès soins
maison centre-bourg ruralité montagne littoral friche industrie filière circuit-court cantine restauration
coopérative mutuelle fondation financement subvention mécénat investissement outil méthode indicateur impact
résultat enseignement essaimage expérimentation dispositif programme plateforme observatoire laboratoire
chantier emplois compétences apprentissage orientation décrochage réussite lecture musique théâtre cinéma
bibliothèque médiathèque covoiturage transport vélo autopartage navette logistique eau biodiversité forêt
climat sobriété isolation chauffage précarité-énergétique habitat colocation accueil réfugiés migrants
égalité femmes parentalité crèche périscolaire collège lycée université recherche étudiants chercheurs""".split()  # noqa: SIM905
_ADJECTIVES = """local solidaire durable collectif territorial social rural partagé participatif innovant
citoyen économique écologique numérique inclusif coopératif intercommunal régional départemental culturel
éducatif sanitaire alimentaire énergétique associatif public privé mutualisé itinérant ouvert accessible
abordable responsable circulaire agricole urbain périurbain intergénérationnel expérimental""".split()  # noqa: SIM905
_VERBS = """accompagne anime développe coordonne soutient expérimente mobilise rassemble forme crée
renforce favorise facilite organise valorise structure finance évalue partage rénove relie ouvre construit
imagine porte essaime""".split()  # noqa: SIM905
_PLACES = ["du bassin minier", "de la vallée", "du pays", "du quartier", "de la métropole", "du canton",
           "de l'agglomération", "du département", "de la région", "du littoral", "du plateau"]
_TEMPLATES = [
    "{Det} {n1} {a1} {v} {det} {n2} {a2} avec {det2} {n3}.",
    "{Det} {n1} {v} {det} {n2} {a1} pour {det2} {n3} {a2}.",
    "Depuis {year}, {det} {n1} {a1} {v} {det2} {n2} et {det} {n3}.",
    "{Det} {n1} {v} {det} {n2} {a1} au service {det_de} {n3}.",
    "Avec {det} {n1} {a1}, {det2} {n2} {v} {det} {n3} {a2}.",
]


def _cumulative(words: list[str]) -> tuple[list[str], list[float]]:
    return words, list(itertools.accumulate(1.0 / (k + 1) for k in range(len(words))))


_N, _A, _V = _cumulative(_NOUNS), _cumulative(_ADJECTIVES), _cumulative(_VERBS)


def _pick(rng: random.Random, table) -> str:
    words, cum = table
    return rng.choices(words, cum_weights=cum)[0]


def _article(noun: str) -> str:
    """A plausible definite article: plural, elided, or by the usual feminine endings."""
    if noun.endswith(("s", "x")) and not noun.endswith(("ès", "is")):
        return "les "
    if noun[0] in "aeiouhéèâ":
        return "l'"
    return "la " if noun.endswith(("tion", "té", "ie", "ure", "ance", "ence", "ise", "elle", "ine", "e")) else "le "


def sentence(rng: random.Random) -> str:
    n1, n2, n3 = _pick(rng, _N), _pick(rng, _N), _pick(rng, _N)
    det1 = _article(n1)
    text = rng.choice(_TEMPLATES).format(
        Det=det1.capitalize().rstrip(), n1=n1, n2=n2, n3=n3,
        a1=_pick(rng, _A), a2=_pick(rng, _A), v=_pick(rng, _V), det=_article(n2).rstrip(),
        det2=_article(n3).rstrip(), det_de="des" if n3.endswith("s") else "de la", year=rng.randint(2005, 2025),
    )
    return text.replace("' ", "'")


def paragraph(rng: random.Random, sentences: int = 2) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng: random.Random) -> str:
    return f"{_pick(rng, _N).capitalize()} {_pick(rng, _A)} {rng.choice(_PLACES).strip()} {_pick(rng, _N)}"


def story(rng: random.Random) -> str:
    """A récit in Markdown: context, approach, results."""
    return (
        f"## Le contexte\n\n{paragraph(rng, 3)}\n\n## La démarche\n\n{paragraph(rng, 4)}\n\n"
        f"- {sentence(rng)}\n- {sentence(rng)}\n\n## Les résultats\n\n{paragraph(rng, 2)}"
    )
