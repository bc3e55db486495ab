"""Demo library and toolbox: publications, guides, methods and data sets the network's 2019 report and its
partners name (titles as bibliographic data, summaries in our own words, no people), grouped in collections;
and the services of the report's three families. `load()` is idempotent: matched by title or slug.

Owners and providers are demo organisations, initiatives and the 2019 annual meeting (events demo), referenced
by slug; those missing (a demo loaded in part) leave the resource to the network and the provider's name as
text."""

import datetime

from django.core.files.base import ContentFile

from catalyse.actors.models import Organisation, Profile
from catalyse.events.demo import MEETING_SLUG
from catalyse.events.models import Event
from catalyse.initiatives.models import Initiative, Theme
from catalyse.territories.keys import territory_from_key
from catalyse.territories.models import Level

from . import services
from .models import Collection, Family, Resource, Tool, Visibility
from .models import ResourceType as T

EVAL, NUM, COCON, VALO, ODD = "evaluation-partenariale", "outils-numeriques", "co-construction", "valorisation", "odd"
COLLECTIONS = [
    (
        EVAL,
        "Évaluation partenariale",
        "Méthodes et retours d'expérience pour évaluer une alliance avec ses partenaires.",
    ),
    (NUM, "Outils numériques", "Cartes, bases de données et plateformes pour partager l'information entre acteurs."),
    (COCON, "Co-construction territoriale", "Comprendre et outiller la co-construction entre acteurs d'un territoire."),
    (VALO, "Valorisation des dynamiques", "Faire connaître les initiatives territoriales et ce qu'elles apportent."),
    (ODD, "ODD et territoires", "Les objectifs de développement durable comme cadre commun des territoires."),
]
LO = "Licence Ouverte 2.0"
NET = ""  # the network owns it
MEETING = f"event:{MEETING_SLUG}"  # the 2019 annual meeting (events demo) owns its report and workshop notes

# title, type, year, owner ("org:slug", "initiative:slug", "event:slug" or NET), authors (organisation slugs or names),
# themes, territories (level:code), collections, summary, url, licence, visibility
RESOURCES: list[tuple] = [
    (
        "Guide d'appropriation des ODD par les collectivités territoriales",
        T.GUIDE,
        2019,
        "org:comite-21",
        ["comite-21"],
        ["gouvernance", "transition-ecologique"],
        [],
        [ODD],
        "Comment une collectivité peut lire son action au prisme des 17 objectifs de développement durable.",
        "https://www.comite21.org/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Référentiel des nouvelles pratiques d'évaluation partenariale",
        T.METHOD,
        2019,
        "org:le-rameau",
        ["le-rameau"],
        ["gouvernance"],
        [],
        [EVAL],
        "Un cadre pour évaluer ensemble ce qu'une alliance produit, pour chaque partenaire et pour le territoire.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Étude IMPACT Citoyens",
        T.PUBLICATION,
        2019,
        "org:le-rameau",
        ["le-rameau"],
        ["cohesion-sociale"],
        [],
        [EVAL],
        "Les effets des alliances innovantes sur l'engagement des habitants.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "L'intérêt général : dès aujourd'hui l'affaire de tous ?",
        T.PUBLICATION,
        2018,
        "org:le-rameau",
        ["le-rameau", "Comité « Intérêt général »"],
        ["gouvernance"],
        [],
        [COCON],
        "Dix-huit mois de réflexion collective sur l'évolution de l'intérêt général en France.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Mutations de l'intérêt général : quels enseignements ?",
        T.PUBLICATION,
        2018,
        "org:le-rameau",
        ["le-rameau"],
        ["gouvernance"],
        [],
        [COCON, ODD],
        "Articuler acteurs, domaines et territoires ; le rôle souvent sous-estimé des organisations.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Carte interactive des catalyseurs territoriaux",
        T.TOOL,
        2019,
        NET,
        [],
        ["gouvernance"],
        [],
        [NUM],
        "Les catalyseurs du réseau sur une carte, avec des exemples d'alliances qu'ils accompagnent.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Cartographie des métiers des catalyseurs territoriaux",
        T.PUBLICATION,
        2019,
        NET,
        [],
        ["gouvernance"],
        [],
        [COCON],
        "Dialogue territorial, expérimentation collective, accompagnement, animation d'un lieu partagé.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Le jeu de la co-construction",
        T.TOOL,
        2019,
        "initiative:jeu-de-la-co-construction",
        ["rnma"],
        ["cohesion-sociale", "gouvernance"],
        [],
        [COCON, EVAL],
        "Un jeu pour faire dire à chaque acteur ce qu'il attend d'un projet commun.",
        "https://www.maisonsdesassociations.fr/",
        "CC BY-SA 4.0",
        Visibility.PUBLIC,
    ),
    (
        "Observatoire des territoires : indicateurs et cartes",
        T.DATASET,
        2024,
        NET,
        ["Agence nationale de la cohésion des territoires"],
        ["economie", "emploi", "sante"],
        [],
        [NUM],
        "Des centaines d'indicateurs par commune, EPCI, département et région, avec leurs cartes.",
        "https://www.observatoire-des-territoires.gouv.fr/",
        LO,
        Visibility.PUBLIC,
    ),
    (
        "Répertoire national des associations (RNA)",
        T.DATASET,
        2024,
        NET,
        ["Ministère de l'Intérieur"],
        ["cohesion-sociale"],
        [],
        [NUM],
        "Les associations déclarées en préfecture, avec leur objet et leur siège.",
        "https://www.data.gouv.fr/",
        LO,
        Visibility.PUBLIC,
    ),
    (
        "Base Sirene des entreprises et de leurs établissements",
        T.DATASET,
        2024,
        NET,
        ["Insee"],
        ["economie"],
        [],
        [NUM],
        "Le répertoire des entreprises et établissements, mis à jour chaque mois.",
        "https://www.sirene.fr/",
        LO,
        Visibility.PUBLIC,
    ),
    (
        "Code officiel géographique",
        T.DATASET,
        2024,
        NET,
        ["Insee"],
        [],
        [],
        [NUM],
        "Communes, arrondissements, départements et régions, avec leurs codes et leurs évolutions.",
        "https://www.insee.fr/",
        LO,
        Visibility.PUBLIC,
    ),
    (
        "Petit précis de l'évaluation de l'impact social",
        T.GUIDE,
        2017,
        "org:avise",
        ["avise"],
        ["economie"],
        [],
        [EVAL],
        "Les notions et les étapes d'une évaluation d'impact social, pour s'y lancer.",
        "https://www.avise.org/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Évaluer l'utilité sociale de son activité",
        T.GUIDE,
        2007,
        "org:avise",
        ["avise"],
        ["cohesion-sociale"],
        [],
        [EVAL],
        "Une démarche pas à pas pour une structure qui veut rendre compte de son utilité sociale.",
        "https://www.avise.org/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Le Dispositif local d'accompagnement (DLA)",
        T.GUIDE,
        2023,
        "org:avise",
        ["avise"],
        ["emploi"],
        [],
        [COCON],
        "Ce que propose le DLA aux structures d'utilité sociale et comment le solliciter.",
        "https://www.avise.org/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Les pôles territoriaux de coopération économique",
        T.PUBLICATION,
        2017,
        "org:le-labo-de-l-ess",
        ["le-labo-de-l-ess"],
        ["economie", "emploi"],
        [],
        [COCON],
        "Des acteurs d'un même territoire qui coopèrent pour un développement économique durable.",
        "https://www.lelabo-ess.org/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Démonstrateur de la transition : présentation en vidéo",
        T.VIDEO,
        2019,
        "initiative:transition-de-la-cite-miniere",
        ["ville-de-loos-en-gohelle"],
        ["transition-ecologique"],
        ["commune:62528"],
        [VALO],
        "Comment une ancienne cité minière associe ses habitants à sa transition.",
        "https://www.loos-en-gohelle.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Entretiens filmés de la 5e Rencontre des pionniers des alliances en territoire",
        T.VIDEO,
        2019,
        NET,
        ["Territoires Audacieux"],
        ["gouvernance"],
        [],
        [VALO],
        "Une dizaine d'entretiens tournés pendant la rencontre annuelle du réseau.",
        "https://www.territoiresaudacieux.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "MOOC « Développement local »",
        T.VIDEO,
        2018,
        "org:cnfpt",
        ["cnfpt"],
        ["gouvernance"],
        [],
        [COCON],
        "Un cours en ligne pour les agents et les élus qui animent le développement de leur territoire.",
        "https://www.cnfpt.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Baromètre des partenariats en France",
        T.PUBLICATION,
        2019,
        "org:le-rameau",
        ["le-rameau"],
        ["economie"],
        [],
        [EVAL, COCON],
        "L'état des partenariats entre associations, entreprises et collectivités.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Un wiki fermé pour évaluer trente ans de transition",
        T.METHOD,
        2019,
        "initiative:transition-de-la-cite-miniere",
        [],
        ["transition-ecologique"],
        ["commune:62528"],
        [EVAL],
        "Une fiche pratique : consigner au fil de l'eau ce que chaque partenaire observe.",
        "https://www.loos-en-gohelle.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Référentiel de la co-construction territoriale",
        T.METHOD,
        2019,
        NET,
        ["le-rameau"],
        ["gouvernance"],
        [],
        [COCON],
        "Les étapes d'une démarche de co-construction et les rôles des acteurs.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Plateforme « L'innovation territoriale en actions ! »",
        T.TOOL,
        2019,
        NET,
        ["cget"],
        ["gouvernance"],
        [],
        [NUM, VALO],
        "Des initiatives locales décrites et partagées entre territoires.",
        "https://agence-cohesion-territoires.gouv.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Carrefour des innovations sociales : moteur de recherche",
        T.TOOL,
        2019,
        NET,
        ["Carrefour des innovations sociales"],
        ["cohesion-sociale"],
        [],
        [NUM],
        "Des milliers d'innovations sociales recensées par des dizaines de partenaires, dans un seul moteur.",
        "https://www.carrefourdesinnovationssociales.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Banque de données de cas pratiques d'alliances",
        T.DATASET,
        2020,
        NET,
        ["le-rameau"],
        ["gouvernance"],
        [],
        [EVAL, NUM],
        "Des cas d'alliances décrits de façon comparable, pour apprendre des pairs.",
        "https://www.lerameau.fr/",
        "",
        Visibility.MEMBERS,
    ),
    (
        "Questionnaire d'impact relayé par les incubateurs",
        T.METHOD,
        2019,
        "initiative:enquete-impact-incubateurs",
        [],
        ["entrepreneuriat"],
        [],
        [EVAL],
        "Le questionnaire commun et la façon de le diffuser aux projets accompagnés.",
        "https://www.lerameau.fr/",
        "",
        Visibility.MEMBERS,
    ),
    (
        "Compte rendu de la Rencontre annuelle des catalyseurs territoriaux 2019",
        T.PUBLICATION,
        2019,
        MEETING,
        [],
        ["gouvernance"],
        [],
        [VALO, COCON],
        "Les ateliers, les parcours et les enseignements de la journée.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Valoriser les dynamiques territoriales : restitution d'atelier",
        T.PUBLICATION,
        2019,
        MEETING,
        [],
        ["culture", "gouvernance"],
        [],
        [VALO],
        "Enjeux, freins et spécificités de la valorisation selon les territoires.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PUBLIC,
    ),
    (
        "Cahier de l'animateur : préparer une session de co-développement",
        T.METHOD,
        2019,
        MEETING,
        [],
        ["gouvernance"],
        [],
        [COCON],
        "Déroulé, rôles et consignes d'une session de co-développement entre catalyseurs.",
        "https://www.lerameau.fr/",
        "",
        Visibility.PRIVATE,
    ),
    (
        "Tiers-lieux et pré-incubation sur un campus",
        T.PUBLICATION,
        2020,
        "initiative:tiers-lieu-pre-incubateur-universitaire",
        ["le-catalyseur-universite-toulouse"],
        ["entrepreneuriat", "education"],
        [],
        [VALO],
        "Ce qu'un tiers-lieu universitaire apporte aux projets naissants.",
        "https://www.univ-tlse3.fr/",
        "",
        Visibility.PUBLIC,
    ),
]

P, L = Profile, Level
# slug, name, family, provider slug (or name), summary, profiles, levels, url
TOOLS: list[tuple] = [
    (
        "observatoire-des-territoires",
        "Observatoire des territoires",
        Family.DATA,
        "Agence nationale de la cohésion des territoires",
        "Indicateurs, cartes et portraits de territoire à toutes les échelles.",
        [P.PUBLIC_ACTOR, P.SUPPORT],
        [L.REGION, L.DEPARTEMENT, L.EPCI, L.COMMUNE],
        "https://www.observatoire-des-territoires.gouv.fr/",
    ),
    (
        "carrefour-des-innovations-sociales",
        "Carrefour des innovations sociales",
        Family.DATA,
        "Carrefour des innovations sociales",
        "Un moteur de recherche des innovations sociales recensées en France.",
        [P.GENERAL_INTEREST, P.PUBLIC_ACTOR],
        [L.EPCI, L.COMMUNE],
        "https://www.carrefourdesinnovationssociales.fr/",
    ),
    (
        "centres-de-ressources",
        "Centres de ressources",
        Family.DATA,
        "Réseau des centres de ressources",
        "Études, fiches d'expériences et documentation sur les politiques territoriales.",
        [P.PUBLIC_ACTOR, P.SUPPORT],
        [L.REGION, L.DEPARTEMENT],
        "",
    ),
    (
        "cosoter",
        "COSOTER",
        Family.DATA,
        "COSOTER",
        "Des données pour connaître la cohésion sociale d'un territoire.",
        [P.PUBLIC_ACTOR],
        [L.EPCI, L.COMMUNE],
        "",
    ),
    (
        "observatoire-des-partenariats",
        "Observatoire des partenariats",
        Family.DATA,
        "le-rameau",
        "Études et baromètres sur les alliances entre associations, entreprises et collectivités.",
        [P.GENERAL_INTEREST, P.COMPANY, P.PUBLIC_ACTOR],
        [L.REGION],
        "https://www.lerameau.fr/",
    ),
    (
        "territoires-conseils",
        "Territoires Conseils",
        Family.SUPPORT,
        "banque-des-territoires",
        "Accompagnement des intercommunalités et des communes dans leurs projets.",
        [P.PUBLIC_ACTOR],
        [L.EPCI, L.COMMUNE],
        "https://www.banquedesterritoires.fr/",
    ),
    (
        "cnfpt-developpement-local",
        "MOOC et e-communauté « Développement local »",
        Family.SUPPORT,
        "cnfpt",
        "Des formations en ligne et une communauté de pratique pour les agents territoriaux.",
        [P.PUBLIC_ACTOR],
        [L.REGION, L.DEPARTEMENT, L.EPCI, L.COMMUNE],
        "https://www.cnfpt.fr/",
    ),
    (
        "hub-ess",
        "Hub ESS",
        Family.SUPPORT,
        "banque-des-territoires",
        "Une porte d'entrée vers les dispositifs d'accompagnement de l'économie sociale et solidaire.",
        [P.GENERAL_INTEREST, P.COMPANY],
        [L.DEPARTEMENT],
        "https://www.banquedesterritoires.fr/",
    ),
    (
        "dla",
        "Dispositif local d'accompagnement (DLA)",
        Family.SUPPORT,
        "avise",
        "Un accompagnement gratuit des structures d'utilité sociale qui créent ou consolident des emplois.",
        [P.GENERAL_INTEREST],
        [L.DEPARTEMENT],
        "https://www.avise.org/",
    ),
    (
        "communaute-emergences",
        "Communauté Émergences",
        Family.SUPPORT,
        "Communauté Émergences",
        "Des pairs qui s'entraident pour faire émerger des projets de territoire.",
        [P.SUPPORT, P.GENERAL_INTEREST],
        [L.EPCI],
        "",
    ),
    (
        "carenews",
        "CARENews",
        Family.MEDIA,
        "CARENews",
        "Un média de l'engagement des entreprises et des associations.",
        [P.GENERAL_INTEREST, P.COMPANY],
        [L.REGION],
        "https://www.carenews.com/",
    ),
    (
        "localtis",
        "Localtis",
        Family.MEDIA,
        "banque-des-territoires",
        "L'actualité quotidienne des collectivités territoriales et de leurs politiques.",
        [P.PUBLIC_ACTOR],
        [L.REGION, L.DEPARTEMENT, L.EPCI, L.COMMUNE],
        "https://www.banquedesterritoires.fr/localtis",
    ),
    (
        "innovation-territoriale-en-actions",
        "L'innovation territoriale en actions !",
        Family.MEDIA,
        "cget",
        "Une plateforme où les territoires racontent leurs initiatives.",
        [P.PUBLIC_ACTOR, P.GENERAL_INTEREST],
        [L.EPCI, L.COMMUNE],
        "https://agence-cohesion-territoires.gouv.fr/",
    ),
    (
        "territoires-audacieux",
        "Territoires Audacieux",
        Family.MEDIA,
        "Territoires Audacieux",
        "Un média dédié aux initiatives des collectivités, en articles et en vidéos.",
        [P.PUBLIC_ACTOR],
        [L.COMMUNE, L.EPCI],
        "https://www.territoiresaudacieux.fr/",
    ),
]


# initiative slug → (title, file name, content): small documents, so that resource lists show files too
FILES = {
    "transition-de-la-cite-miniere": (
        "Chronologie de la transition (fictif)",
        "chronologie.txt",
        "# Chronologie\n\n- Fermeture des puits\n- Premiers ateliers avec les habitants\n"
        "- Démonstrateur de la transition\n",
    ),
    "contrat-fifty-fifty": (
        "Modèle de contrat fifty-fifty (fictif)",
        "modele-contrat.txt",
        "Modèle de contrat entre la commune et un groupe d'habitants : objet, engagements de "
        "chacun, durée, bilan partagé.\n",
    ),
    "atelier-des-villes-pairs": (
        "Indicateurs suivis par l'atelier (fictif)",
        "indicateurs.csv",
        "indicateur;unité;valeur\nvilles participantes;nombre;6\nrencontres;nombre;4\n",
    ),
}


def _files() -> int:
    created = 0
    for slug, (title, name, content) in FILES.items():
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None or Resource.objects.filter(owner_initiative=initiative, title=title).exists():
            continue
        services.resource_create(
            author=None,
            owner_initiative=initiative,
            title=title,
            resource_type=T.PUBLICATION,
            file=ContentFile(content.encode(), name=name),
        )
        created += 1
    return created


def _owner(key: str, orgs: dict, initiatives: dict, events: dict) -> dict:
    kind, _sep, slug = key.partition(":")
    if kind == "org" and slug in orgs:
        return {"owner_organisation": orgs[slug]}
    if kind == "initiative" and slug in initiatives:
        return {"owner_initiative": initiatives[slug]}
    if kind == "event" and slug in events:
        return {"owner_event": events[slug]}
    return {}


def load() -> str:
    collections = {}
    for slug, name, description in COLLECTIONS:
        collections[slug] = Collection.objects.filter(slug=slug).first() or services.collection_create(
            name=name, slug=slug, description=description
        )
    orgs = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in={
                *(a for r in RESOURCES for a in r[4]),
                *(r[3].partition(":")[2] for r in RESOURCES),
                *(t[3] for t in TOOLS),
            }
        )
    }
    owner_slugs = {r[3].partition(":")[2] for r in RESOURCES}
    initiatives = {i.slug: i for i in Initiative.objects.filter(slug__in=owner_slugs)}
    events = {e.slug: e for e in Event.objects.filter(slug__in=owner_slugs)}
    themes = {t.code: t for t in Theme.objects.all()}
    known = set(Resource.objects.values_list("title", flat=True))
    created = 0
    for (
        title,
        rtype,
        year,
        owner,
        authors,
        theme_codes,
        places,
        in_collections,
        summary,
        url,
        licence,
        visibility,
    ) in RESOURCES:
        if title in known:
            continue
        services.resource_create(
            author=None,
            **_owner(owner, orgs, initiatives, events),
            title=title,
            resource_type=rtype,
            summary=summary,
            published_on=datetime.date(year, 1, 1),
            url=url,
            licence=licence,
            visibility=visibility,
            author_organisations=[orgs[a] for a in authors if a in orgs],
            authors_text="; ".join(a for a in authors if a not in orgs and "-" not in a),
            themes=[themes[c] for c in theme_codes if c in themes],
            territories=[t for t in map(territory_from_key, places) if t is not None],
            collections=[collections[c] for c in in_collections],
        )
        created += 1
    tools = 0
    existing = set(Tool.objects.values_list("slug", flat=True))
    for slug, name, family, provider, summary, profiles, levels, url in TOOLS:
        if slug in existing:
            continue
        services.tool_create(
            name=name,
            slug=slug,
            family=family,
            provider=orgs.get(provider),
            summary=summary,
            url=url,
            provider_text="" if provider in orgs else provider,
            profiles=list(profiles),
            levels=list(levels),
        )
        tools += 1
    created += _files()
    return f"{created} ressources, {len(collections)} collections, {tools} services de la boîte à outils"
