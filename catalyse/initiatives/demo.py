"""Demo initiatives: alliances described in the report of the network's 2019 annual meeting (facts only —
territory, kind of partners, method, results — told in our own words, no people), and generated ones
marked fictitious. `load()` is idempotent: initiatives are matched by slug and left alone once created.

Partners are the demo organisations of `catalyse/actors/demo.py`, referenced by slug; the few this file
needs that are not there are created here (matched by slug too)."""

import datetime
import random

from catalyse.actors.models import Organisation, Profile, PublicationStatus, Scope, Source
from catalyse.actors.services import organisation_create
from catalyse.territories.keys import territory_from_key

from . import demo_accounts
from .models import Initiative, Role, Stage, Status, Theme, Visibility
from .services import initiative_create, sheet_create

D = datetime.date
PUBLISHED = PublicationStatus.PUBLISHED

# Organisations the examples need that the actors demo may not have: slug → (name, profile, scope, office, text)
EXTRA_ORGANISATIONS = {
    "alliance-sens-et-economie": (
        "Alliance Sens & Économie", Profile.SUPPORT, Scope.NATIONAL, "51454",
        "Société coopérative d'intérêt collectif qui se présente comme « catalyseur des catalyseurs » : elle "
        "outille plusieurs territoires d'expérimentation de la co-construction puis laisse les acteurs locaux "
        "s'organiser."),
    "rnma": (
        "Réseau national des maisons des associations (RNMA)", Profile.NATIONAL_NETWORK, Scope.NATIONAL, "",
        "Tête de réseau des maisons des associations ; auteur d'un jeu sur la co-construction."),
    "scic-microville-112": (
        "SCIC Microville 112", Profile.GENERAL_INTEREST, Scope.LOCAL, "51183",
        "Coopérative locale créée pour gérer collectivement un ancien site militaire de la Marne."),
    "ville-de-charenton-le-pont": (
        "Ville de Charenton-le-Pont", Profile.PUBLIC_ACTOR, Scope.LOCAL, "94018", "Commune du Val-de-Marne."),
    "ville-de-saint-maurice": (
        "Ville de Saint-Maurice", Profile.PUBLIC_ACTOR, Scope.LOCAL, "94069", "Commune du Val-de-Marne."),
    "blue-storm": (
        "Blue Storm", Profile.COMPANY, Scope.NATIONAL, "",
        "Cabinet de conseil marocain qui accompagne des démarches de co-construction multi-acteurs."),
}

# slug, title, summary, stage, status, visibility, start, territories, themes, SDGs, partners (slug, role, joined),
# récit (Markdown), practice sheets (dicts of PracticeSheet fields, territory as level:code)
INITIATIVES: list[tuple] = [
    ("transition-de-la-cite-miniere", "Transition d'une ancienne cité minière",
     "Une commune du bassin minier devenue démonstrateur de la transition écologique, avec ses habitants.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(1990, 1, 1), ["commune:62528"],
     ["transition-ecologique", "environnement", "emploi", "gouvernance"], [7, 11, 13, 17],
     [("ville-de-loos-en-gohelle", Role.PORTEUR, D(1990, 1, 1))],
     "## Le point de départ\n\nNeuf puits fermés, un sol affaissé de plusieurs mètres, des rivières qui ont "
     "changé de sens : la commune a dû se réinventer après la fin de l'extraction du charbon.\n\n"
     "## La méthode\n\nLes habitants entrent dans les projets comme usagers puis deviennent peu à peu "
     "co-auteurs : une proposition citoyenne est reprise par la commune si ses auteurs s'engagent à la porter "
     "avec elle. Élus, agents et habitants forment des communautés apprenantes.\n\n"
     "## Ce qui s'essaime\n\nLa démarche a inspiré d'autres villes en transition, réunies dans un atelier de "
     "villes pairs.",
     [{"title": "Un wiki fermé pour évaluer trente ans de transition", "territory": "commune:62528",
       "objective": "Rassembler toute l'information utile à une évaluation systémique de la politique de "
                    "transition menée depuis trente ans.",
       "actors_involved": "Élus et agents de la collectivité ; acteurs locaux interrogés et impliqués dans "
                          "l'outil.",
       "description": "Un wiki collaboratif **fermé** (beaucoup d'informations sont confidentielles) "
                      "centralise chiffres, photos, vidéos, liens, témoignages et tableurs, pour raconter et "
                      "mesurer. Les acteurs sont formés à son utilisation.",
       "next_step": "Une carte visuelle des relations entre les pages du wiki.",
       "tools_used": "Wiki collaboratif, tableurs, entretiens."}]),
    ("contrat-fifty-fifty", "Projets « fifty-fifty » entre la commune et ses habitants",
     "La commune prend en charge une idée d'habitants à condition que ceux-ci s'engagent à la réaliser avec elle.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2000, 1, 1), ["commune:62528"],
     ["cohesion-sociale", "gouvernance"], [11, 16],
     [("ville-de-loos-en-gohelle", Role.PORTEUR, None)],
     "Plutôt que la consultation, un contrat : chaque partie apporte la moitié de l'effort. Les habitants "
     "passent du rôle de consommateurs de services à celui de citoyens impliqués.", []),
    ("atelier-des-villes-pairs", "Atelier des villes pairs en transition",
     "Des communes pionnières construisent ensemble un référentiel partagé pour les territoires en transition.",
     Stage.EXPERIMENTATION, Status.ACTIVE, Visibility.PUBLIC, D(2018, 3, 1),
     ["commune:62528", "commune:59271", "commune:22046", "commune:76402"],
     ["transition-ecologique", "gouvernance"], [11, 13, 17],
     [("ville-de-loos-en-gohelle", Role.PORTEUR, D(2018, 3, 1)),
      ("ville-de-grande-synthe", Role.PARTENAIRE, D(2018, 3, 1)),
      ("commune-du-mene", Role.PARTENAIRE, D(2018, 3, 1)), ("ville-de-malaunay", Role.PARTENAIRE, D(2018, 3, 1))],
     "Quatre communes comparent leurs façons de faire, repèrent les « codes sources » de la ville en "
     "transition et en tirent un cadre commun, y compris pour la formation des agents publics.", []),
    ("pole-territorial-emploi-mureaux", "Pôle de coopération pour l'emploi aux Mureaux",
     "Changer le regard sur la ville et y ramener de l'emploi en s'appuyant sur ses forces.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2015, 1, 1), ["commune:78440"],
     ["emploi", "economie", "cohesion-sociale"], [8, 10, 17],
     [("ptce-les-mureaux", Role.PORTEUR, None), ("alliance-sens-et-economie", Role.CATALYSEUR, None)],
     "Entreprises, associations, habitants, collectivités et chercheurs forment un pôle territorial de "
     "coopération économique.\n\n## Deux méthodes d'évaluation combinées\n\n1. Un **cadre logique** pour fixer "
     "la stratégie commune : objectifs, résultats et impacts attendus, surtout sur l'emploi et l'insertion.\n"
     "2. Une démarche **pas à pas**, apprenante, quand la solution s'invente en marchant : on mesure le chemin "
     "parcouru et on capitalise (films, idées de développement, « boot camp »).",
     [{"title": "Cadre logique puis démarche pas à pas", "territory": "commune:78440",
       "objective": "Vivre ensemble : inverser le regard porté sur le territoire pour y ramener de l'emploi.",
       "actors_involved": "Tous les membres du pôle : entreprises, associations, habitants, collectivités, "
                          "universitaires.",
       "description": "Le cadre logique définit la stratégie commune, les objectifs et les résultats attendus "
                      "(emploi, insertion). La démarche pas à pas prend le relais pour capitaliser au fil de "
                      "l'eau.",
       "next_step": "Sécuriser la démarche (financer l'animation dans la durée, protéger l'engagement de "
                    "bénévoles) et définir des indicateurs du capital immatériel : savoir-faire, savoir-être, "
                    "interactions.",
       "tools_used": "Cadre logique d'intervention ; capitalisation par films et ateliers."}]),
    ("enquete-impact-incubateurs", "Enquête sur l'impact des projets accompagnés par des incubateurs",
     "Un état des lieux de l'impact de projets d'entrepreneuriat social, mené avec les incubateurs.",
     Stage.EXPERIMENTATION, Status.ENDED, Visibility.PUBLIC, D(2018, 9, 1), [],
     ["entrepreneuriat", "economie"], [8, 9, 17],
     [("veolia", Role.PORTEUR, D(2018, 9, 1))],
     "Une entreprise qui soutient des incubateurs a voulu connaître l'impact des projets accompagnés et son "
     "propre rôle, et donner aux incubateurs un outil pour mesurer le leur.",
     [{"title": "Questionnaire relayé par les incubateurs",
       "objective": "Dresser l'état des lieux de l'impact des projets accompagnés, préciser le rôle du "
                    "financeur, outiller les incubateurs.",
       "actors_involved": "Les responsables d'environ 70 incubateurs et une centaine d'entrepreneurs sociaux ; "
                          "les collectivités n'étaient pas associées.",
       "description": "Un questionnaire aux entrepreneurs, diffusé par les incubateurs (environ la moitié a "
                      "répondu), complété d'entretiens avec les incubateurs.",
       "next_step": "Associer les collectivités territoriales, dont l'absence a manqué.",
       "tools_used": "Questionnaire en ligne, entretiens."}]),
    ("jeu-de-la-co-construction", "Le jeu de la co-construction",
     "Un jeu de plateau pour identifier les leviers de la co-construction une fois l'objectif commun posé.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(2017, 1, 1), [],
     ["gouvernance", "cohesion-sociale"], [16, 17],
     [("rnma", Role.PORTEUR, None)],
     "Chaque joueur prend le point de vue d'un acteur — association, collectivité, entreprise, habitant — et "
     "dit quels effets il attend de la co-construction. Le jeu fait émerger les leviers d'action.",
     [{"title": "Évaluer les effets attendus par chaque acteur, en jouant",
       "objective": "Faire exprimer les impacts attendus de la co-construction par chaque type d'acteur.",
       "actors_involved": "Associations, collectivités, entreprises, habitants.",
       "description": "Une approche ludique : après avoir défini l'objectif, les participants tirent des "
                      "cartes et confrontent leurs attentes.",
       "next_step": "Diffuser le jeu dans le réseau des maisons des associations.",
       "tools_used": "Jeu de plateau."}]),
    ("alliance-depistage-troubles-visuels", "Alliance pour le dépistage des troubles visuels des enfants",
     "Faciliter l'accès aux soins des enfants atteints de troubles de la vue, mal connus et peu détectés.",
     Stage.EXPERIMENTATION, Status.ACTIVE, Visibility.PUBLIC, D(2018, 1, 1), [],
     ["sante", "education"], [3, 4, 10],
     [("bleu-blanc-zebre", Role.CATALYSEUR, None)],
     "Écoles, mairie et ministère, une ONG de santé visuelle et des cliniques, et des associations de "
     "proximité au contact des familles : l'alliance s'est nouée grâce à un tiers de confiance, en combinant "
     "entretiens individuels et réunions collectives.\n\nLes associations de proximité détectent des besoins "
     "autrement invisibles ; faire connaître ces troubles est le premier enjeu.", []),
    ("ancien-site-militaire-cooperatif", "Un ancien site militaire géré en coopérative",
     "Les habitants et acteurs locaux revalorisent un vaste terrain militaire et le gèrent ensemble.",
     Stage.EXPERIMENTATION, Status.ACTIVE, Visibility.PUBLIC, D(2016, 1, 1), ["commune:51183"],
     ["cohesion-sociale", "economie", "logement"], [11, 12, 17],
     [("scic-microville-112", Role.PORTEUR, D(2017, 1, 1)),
      ("alliance-sens-et-economie", Role.CATALYSEUR, D(2016, 1, 1))],
     "Une société coopérative d'intérêt collectif locale a été créée pour gérer le site. Services et "
     "équipements y naissent au fil des besoins des habitants et des acteurs locaux, à partir d'une boîte à "
     "outils commune à plusieurs territoires d'expérimentation.", []),
    ("eleves-et-entreprises", "Quand élèves et entreprises se rencontrent",
     "Rapprocher l'école du monde du travail grâce à un lycée, un club d'entreprises et deux communes.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2014, 9, 1), ["commune:94018", "commune:94069"],
     ["education", "emploi", "jeunesse"], [4, 8, 17],
     [("ville-de-charenton-le-pont", Role.PARTENAIRE, D(2014, 9, 1)),
      ("ville-de-saint-maurice", Role.PARTENAIRE, D(2014, 9, 1))],
     "Né en 2014 dans deux villes voisines, le programme doit son succès à la confiance durable entre les "
     "acteurs. Une démarche d'animation territoriale veut le pérenniser et l'étendre à un territoire de "
     "treize communes, en s'appuyant sur des tiers-lieux mis en réseau.", []),
    ("tiers-lieu-pre-incubateur-universitaire", "Tiers-lieu et pré-incubateur d'un campus",
     "Un lieu ouvert du campus où étudiants, personnels et lycéens s'initient à l'innovation et à "
     "l'entrepreneuriat.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2016, 9, 1), ["commune:31555"],
     ["education", "entrepreneuriat", "numerique"], [4, 8, 9],
     [("le-catalyseur-universite-toulouse", Role.PORTEUR, None)],
     "Sensibiliser, former et accompagner ; accueillir les projets d'entreprendre pendant ou en dehors des "
     "études ; croiser les regards d'experts variés. Le lieu relie l'université à son écosystème local, "
     "régional et national.", []),
    ("filieres-de-terroir-province-marocaine", "Filières de terroir d'une province rurale marocaine",
     "Passer de petits projets dispersés à une stratégie de territoire autour de filières d'excellence.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2016, 1, 1), [],
     ["economie", "agriculture", "alimentation", "emploi"], [1, 2, 5, 8, 17],
     [("agence-francaise-de-developpement", Role.FINANCEUR, None), ("blue-storm", Role.CATALYSEUR, None)],
     "Aux portes de Marrakech, une province riche en ressources reste pauvre. Un petit noyau associatif a "
     "mobilisé autorités, associations et entreprises ; une centaine de personnes sont désormais impliquées, "
     "avec un financeur public attentif à l'égalité femmes-hommes.\n\n## Comment\n\nÉcouter d'abord, puis "
     "prototyper autour d'intérêts communs, sans gouvernance figée au départ. Des filières (volaille et ovins "
     "de qualité) se sont structurées en coopératives, avec un incubateur d'initiatives et des espaces de "
     "catalyse territoriale.", []),
    ("incubateur-comite-territorial", "Implanter un incubateur avec un comité territorial",
     "Une dizaine d'acteurs se réunissent chaque mois pendant six mois avant l'ouverture d'un incubateur.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(2017, 1, 1), ["region:84"],
     ["entrepreneuriat", "economie"], [8, 17],
     [("ronalpia", Role.PORTEUR, None), ("region-auvergne-rhone-alpes", Role.FINANCEUR, D(2018, 1, 1))],
     "Le temps passé en amont permet à chacun de s'approprier la démarche et d'en devenir prescripteur. La "
     "Région a accepté comme indicateur la méthode de coopération locale elle-même.", []),
    ("envie-d-alliances", "Envie d'Alliances en pays d'Aix",
     "Faire coopérer associations, collectivités et entreprises d'un même bassin de vie.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2016, 1, 1), ["commune:13001", "departement:13"],
     ["cohesion-sociale", "gouvernance"], [17],
     [("pays-d-aix-associations", Role.PORTEUR, D(2016, 1, 1))],
     "Une maison de la vie associative met en relation un millier d'associations avec les collectivités et "
     "les entreprises, et siège dans un comité opérationnel d'attractivité de la ville.", []),
    ("observatoire-des-partenariats", "Observatoire des partenariats",
     "Qualifier les relations entre associations, entreprises et collectivités et repérer les pratiques.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(2008, 1, 1), [],
     ["gouvernance"], [17],
     [("le-rameau", Role.PORTEUR, D(2008, 1, 1)), ("banque-des-territoires", Role.PARTENAIRE, D(2008, 1, 1)),
      ("medef", Role.PARTENAIRE, None), ("le-mouvement-associatif", Role.PARTENAIRE, D(2008, 1, 1))],
     "Un programme d'études créé en 2008 pour suivre les alliances entre acteurs de natures différentes et "
     "mesurer leur progression.", []),
    ("fabrique-innovation-sociale", "Fabrique de l'innovation sociale",
     "Essaimer des projets d'innovation sociale éprouvés, avec méthode.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(2016, 1, 1), [],
     ["cohesion-sociale", "sante"], [3, 10],
     [("malakoff-humanis", Role.PORTEUR, None)],
     "Un groupe de protection sociale accompagne des projets qui ont fait leurs preuves pour qu'ils se "
     "développent sur d'autres territoires.", []),
    ("communaute-emergence", "Communauté Émergence",
     "Une communauté de structures qui accompagnent l'émergence et l'essaimage de projets d'utilité sociale.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2015, 1, 1), [],
     ["entrepreneuriat", "economie"], [8, 17],
     [("avise", Role.PORTEUR, None)],
     "Partager les outils et les pratiques de l'amorçage de projets ; recenser les partenaires impliqués "
     "ponctuellement ou dans la durée pour préparer des indicateurs d'impact qualitatifs.", []),
    ("outil-capabilites", "Un outil d'analyse par les capabilités",
     "Évaluer ce qu'une innovation sociale change dans les possibilités réelles des personnes.",
     Stage.EXPERIMENTATION, Status.ACTIVE, Visibility.MEMBERS, D(2018, 1, 1), ["region:32"],
     ["cohesion-sociale"], [1, 10],
     [("institut-godin", Role.PORTEUR, None)],
     "Un centre de transfert en pratiques solidaires propose aux porteurs de projets une grille pour observer "
     "les effets de leur action au-delà des chiffres d'activité.", []),
    ("pole-cooperation-jura", "Pôle de coopération économique du Jura",
     "Faire émerger des activités d'économie sociale dans un territoire rural.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2014, 1, 1), ["departement:39"],
     ["economie", "emploi", "entrepreneuriat"], [8, 9],
     [("clus-ter-jura", Role.PORTEUR, None)],
     "Entreprises, associations et collectivités repèrent ensemble des besoins non couverts et incubent les "
     "activités qui y répondent.", []),
    ("mooc-developpement-local", "Une formation en ligne au développement local",
     "Former agents, élus et associations aux méthodes du développement local.",
     Stage.ESSAIMAGE, Status.ACTIVE, Visibility.PUBLIC, D(2017, 1, 1), [],
     ["education", "gouvernance"], [4, 16],
     [("cnfpt", Role.PORTEUR, None), ("unadel", Role.PARTENAIRE, None)],
     "Une communauté en ligne et un cours ouvert rendent accessibles à tous les méthodes de coopération "
     "territoriale.", []),
    ("plateforme-dialogue-quartiers", "Plateforme de dialogue pour les quartiers et les villes moyennes",
     "Un centre de ressources où élus, professionnels, chercheurs et habitants croisent leurs savoirs.",
     Stage.MULTI_SITES, Status.ACTIVE, Visibility.PUBLIC, D(2007, 1, 1), ["region:24"],
     ["cohesion-sociale", "logement"], [10, 11],
     [("villes-au-carre", Role.PORTEUR, D(2007, 1, 1)), ("cget", Role.FINANCEUR, None)],
     "Rencontres, études et accompagnement pour les quartiers prioritaires, les petites villes et les "
     "territoires en perte de vitalité.", []),
]

# Generated initiatives: fictitious, on the fictitious organisations of the actors demo.
GENERATED_TITLES = [
    ("Jardins nourriciers partagés", ["alimentation", "environnement"], [2, 11, 15]),
    ("Navette solidaire vers l'emploi", ["mobilite", "emploi"], [8, 10]),
    ("Atelier numérique pour tous", ["numerique", "education"], [4, 10]),
    ("Habitat partagé entre générations", ["logement", "cohesion-sociale"], [10, 11]),
    ("Recyclerie et réemploi", ["transition-ecologique", "emploi"], [8, 12]),
    ("Maison de santé participative", ["sante"], [3]),
    ("Festival des savoir-faire", ["culture", "economie"], [8, 11]),
    ("Coopérative d'énergie citoyenne", ["transition-ecologique", "environnement"], [7, 13]),
]
FICTITIOUS_ORGS = [
    "tiers-lieu-maroni-fictif", "maison-des-alliances-cayenne-fictif", "jardins-partages-pointe-a-pitre-fictif",
    "fablab-fort-de-france-fictif", "universite-populaire-saint-pierre-fictif", "incubateur-mamoudzou-fictif",
    "communaute-de-communes-du-bocage-fictif", "cooperative-des-savoirs-corse-fictif",
    "laboratoire-cooperations-nantes-fictif", "entreprise-solidaire-du-limousin-fictif",
    "maison-de-l-ess-de-reims-fictif",
]


def _organisations(slugs: set[str]) -> dict[str, Organisation]:
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    for slug in slugs - set(found):
        if slug not in EXTRA_ORGANISATIONS:
            continue  # an organisation of the actors demo that is not loaded: the partnership is skipped
        name, profile, scope, office, text = EXTRA_ORGANISATIONS[slug]
        found[slug] = organisation_create(
            slug=slug, name=name, profile=profile, scope=scope, description=text, status=PUBLISHED,
            head_office=territory_from_key(office) if office else None, source=Source.MANUAL)
    return found


def _create(slug, title, summary, stage, status, visibility, start, places, themes, sdgs, partners, recit,
            sheets, orgs, *, fictitious=False) -> None:
    territories = [t for t in map(territory_from_key, places) if t is not None]
    initiative = initiative_create(
        slug=slug, title=title, summary=summary, recit=recit, stage=stage, status=status, visibility=visibility,
        start_date=start, publication=PUBLISHED, is_fictitious=fictitious, territories=territories,
        themes=Theme.objects.filter(code__in=themes), sdgs=sdgs,
        partners=[{"organisation": orgs[o], "role": role, "joined_on": joined}
                  for o, role, joined in partners if o in orgs],
    )
    for sheet in sheets:
        sheet_create(initiative=initiative, **sheet | {"territory": territory_from_key(sheet.get("territory", ""))})


def load() -> str:
    wanted = {p[0] for row in INITIATIVES for p in row[10]} | set(FICTITIOUS_ORGS)
    orgs = _organisations(wanted)
    existing = set(Initiative.objects.values_list("slug", flat=True))
    created = 0
    for row in INITIATIVES:
        if row[0] not in existing:
            _create(*row, orgs)
            created += 1
    rng = random.Random(5)  # the same generated initiatives on every machine
    fictitious = [orgs[s] for s in FICTITIOUS_ORGS if s in orgs]
    for i, (title, themes, sdgs) in enumerate(GENERATED_TITLES):
        slug = f"initiative-fictive-{i + 1}"
        if slug in existing or len(fictitious) < 2:
            continue
        carrier, partner = rng.sample(fictitious, 2)
        places = [t.key for t in carrier.territories.all()[:1]]
        _create(slug, f"{title} (fictif)", f"Initiative fictive de démonstration : {title.lower()}.",
                rng.choice(Stage.values), rng.choice([Status.ACTIVE, Status.ACTIVE, Status.PAUSED, Status.ENDED]),
                rng.choice([Visibility.PUBLIC, Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PARTNERS]),
                D(2020 + i % 5, 1 + i, 1), places, themes, sdgs,
                [(carrier.slug, Role.PORTEUR, None), (partner.slug, rng.choice(Role.values), None)],
                "Initiative **fictive**, générée pour la démonstration.", [], {o.slug: o for o in fictitious},
                fictitious=True)
        created += 1
    return f"{len(INITIATIVES) + len(GENERATED_TITLES)} initiatives ({created} créées) ; {demo_accounts.load()}"
