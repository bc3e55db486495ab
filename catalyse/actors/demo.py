"""Demo organisations: public organisations named in the report of the network's 2019 annual meeting
(facts only, described in our own words, no people), and fictitious ones — marked `is_fictitious` and
"(fictif)" in their name — to cover overseas France and every profile and trade.

Head offices are given as INSEE commune codes; the point on the map comes from the commune (see
`services.organisation_locate`). `load()` is idempotent: organisations are matched by slug.
"""

import datetime

from catalyse.territories.keys import territory_from_key

from .models import Competence, Organisation, Profile, PublicationStatus, Scope, Source, Trade
from .services import organisation_create, organisation_update

P, R = Profile, Scope
DT, EX, AC, LI = "dialogue-territorial", "experimentations-collectives", "accompagnement", "gestion-lieu"

# slug, name, profile, scope, head office (INSEE), trades, competences, territories of action, joined (year,
# month) or None for actors known to the network that are not members, description.
ORGANISATIONS: list[tuple] = [
    ("ville-de-loos-en-gohelle", "Ville de Loos-en-Gohelle", P.PUBLIC_ACTOR, R.LOCAL, "62528", [DT, EX],
     ["mobiliser-co-construire", "piloter-experimentations", "essaimage"], ["commune:62528"], (2015, 6),
     "Ancienne cité minière du bassin du Pas-de-Calais devenue un démonstrateur de la transition écologique. "
     "La commune associe ses habitants aux projets en partageant avec eux la décision et la mise en œuvre."),
    ("ville-de-grande-synthe", "Ville de Grande-Synthe", P.PUBLIC_ACTOR, R.LOCAL, "59271", [DT, EX],
     ["piloter-experimentations"], ["commune:59271"], (2018, 3),
     "Commune du littoral du Nord engagée, avec d'autres villes, dans une démarche de transition menée avec "
     "ses habitants et ses agents."),
    ("commune-du-mene", "Commune du Mené", P.PUBLIC_ACTOR, R.LOCAL, "22046", [EX], ["piloter-experimentations"],
     ["commune:22046"], (2018, 3),
     "Commune nouvelle rurale des Côtes-d'Armor connue pour ses projets d'énergie renouvelable portés localement."),
    ("ville-de-malaunay", "Ville de Malaunay", P.PUBLIC_ACTOR, R.LOCAL, "76402", [EX, DT],
     ["piloter-experimentations", "organiser-rencontres"], ["commune:76402"], (2018, 3),
     "Commune de l'agglomération rouennaise engagée dans la transition énergétique et citoyenne."),
    ("region-auvergne-rhone-alpes", "Région Auvergne-Rhône-Alpes", P.PUBLIC_ACTOR, R.LOCAL, "69123", [AC],
     ["accompagner-partenariats"], ["region:84"], None,
     "Collectivité régionale ; elle a retenu un indicateur de coopération locale proposé par un incubateur "
     "d'entreprises sociales de son territoire."),
    ("banque-des-territoires", "Banque des Territoires (Caisse des Dépôts)", P.PUBLIC_ACTOR, R.NATIONAL, "75056",
     [AC, DT], ["accompagner-partenariats", "connaitre-enjeux"], [], (2015, 6),
     "Direction de la Caisse des Dépôts créée en 2018 pour rassembler ses offres aux territoires : prêts, "
     "investissements et ingénierie, notamment pour les villes moyennes (programme « Action cœur de ville »). "
     "Elle peut jouer un rôle de tiers de confiance dans les projets territoriaux."),
    ("cget", "Commissariat général à l'égalité des territoires (CGET)", P.PUBLIC_ACTOR, R.NATIONAL, "75056",
     [DT], ["connaitre-enjeux"], [], None,
     "Administration de l'État chargée de l'égalité des territoires et de la politique de la ville ; elle "
     "soutenait les coopérations entre territoires. Ses missions ont rejoint l'Agence nationale de la cohésion "
     "des territoires au 1er janvier 2020."),
    ("cnfpt", "Centre national de la fonction publique territoriale (CNFPT)", P.PUBLIC_ACTOR, R.NATIONAL, "75056",
     [AC], ["former-pratiques"], [], (2017, 1),
     "Établissement public de formation des agents des collectivités ; il anime une communauté en ligne et un "
     "MOOC consacrés au développement local."),
    ("agence-francaise-de-developpement", "Agence française de développement (AFD)", P.PUBLIC_ACTOR, R.NATIONAL,
     "75056", [AC], ["accompagner-partenariats"], [], None,
     "Établissement public qui finance des projets de développement à l'international, dont une démarche de "
     "co-construction multi-acteurs au Maroc présentée lors de la rencontre de 2019."),
    ("le-rameau", "Le RAMEAU", P.SUPPORT, R.NATIONAL, "75056", [EX, AC],
     ["evaluer-experimentations", "essaimage", "sensibiliser-alliances"], [], (2015, 6),
     "Laboratoire de recherche empirique sur les alliances entre acteurs d'intérêt général, organisé en "
     "association. Il anime le réseau des pionniers des alliances en territoire et a créé en 2008, avec la "
     "Caisse des Dépôts, l'Observatoire des partenariats. Il publie un référentiel sur l'évaluation partenariale."),
    ("avise", "Avise", P.SUPPORT, R.NATIONAL, "75056", [AC],
     ["emergence-incubation", "essaimage", "former-pratiques"], [], (2016, 1),
     "Agence d'ingénierie qui aide à développer l'économie sociale et solidaire ; elle a publié un référentiel "
     "de la mesure d'impact social et anime une communauté dédiée à l'essaimage."),
    ("unadel", "Union nationale des acteurs du développement local (Unadel)", P.NATIONAL_NETWORK, R.NATIONAL,
     "75056", [DT, AC], ["organiser-rencontres", "mettre-en-relation"], [], (2016, 1),
     "Réseau national qui relie les acteurs du développement local : élus, techniciens, associations."),
    ("bleu-blanc-zebre", "Bleu Blanc Zèbre", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [DT, AC],
     ["mettre-en-relation", "essaimage"], [], (2017, 9),
     "Réseau d'acteurs de terrain (associations, entreprises, élus) qui partagent des solutions concrètes à "
     "des problèmes sociaux."),
    ("le-mouvement-associatif", "Le Mouvement associatif", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [DT],
     ["sensibiliser-alliances", "mettre-en-relation"], [], (2015, 6),
     "Porte-voix national des associations ; associé depuis 2008 à l'Observatoire des partenariats pour suivre "
     "les alliances entre associations et entreprises."),
    ("comite-21", "Comité 21", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [DT, AC],
     ["sensibiliser-alliances", "former-pratiques"], [], (2016, 6),
     "Premier réseau multi-acteurs français du développement durable, fondé en 1995 ; il suit l'appropriation "
     "des objectifs de développement durable par les acteurs non étatiques."),
    ("federation-nationale-des-caisses-depargne", "Fédération nationale des Caisses d'Épargne", P.COMPANY,
     R.NATIONAL, "75056", [AC], ["accompagner-partenariats"], [], (2017, 6),
     "Organe de représentation des Caisses d'Épargne, banques coopératives qui se présentent comme acteurs "
     "du microcrédit ; elle a accueilli la rencontre annuelle de 2019."),
    ("medef", "Mouvement des entreprises de France (MEDEF)", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [DT],
     ["sensibiliser-alliances"], [], None,
     "Organisation patronale, partenaire de l'Observatoire des partenariats."),
    ("villes-au-carre", "Villes au Carré", P.SUPPORT, R.LOCAL, "37261", [DT, AC],
     ["connaitre-enjeux", "mettre-en-relation", "accompagner-partenariats"], ["region:24"], (2016, 1),
     "Association créée en 2007, centre de ressources sur les politiques urbaines : une plateforme de dialogue "
     "entre élus, professionnels, chercheurs et habitants pour les quartiers prioritaires, les villes petites "
     "et moyennes et les territoires en perte de vitalité."),
    ("pays-d-aix-associations", "Pays d'Aix Associations", P.GENERAL_INTEREST, R.LOCAL, "13001", [DT, AC, LI],
     ["organiser-rencontres", "mobiliser-co-construire", "lieu-echanges"], ["departement:13"], (2017, 1),
     "Maison de la vie associative du pays d'Aix, au service d'un millier d'associations ; elle porte depuis "
     "2016 le projet « Envie d'Alliances » de coopérations entre associations, collectivités et entreprises."),
    ("le-catalyseur-universite-toulouse", "Le Catalyseur — Université Toulouse III Paul Sabatier", P.ACADEMIC,
     R.LOCAL, "31555", [LI, AC], ["coworking", "fablab", "emergence-incubation", "lieu-echanges"],
     ["commune:31555"], (2018, 9),
     "Tiers-lieu et pré-incubateur du campus de Rangueil : innovation ouverte, entrepreneuriat étudiant et "
     "échanges avec l'écosystème local."),
    ("ptce-les-mureaux", "PTCE des Mureaux", P.GENERAL_INTEREST, R.LOCAL, "78440", [EX, DT],
     ["piloter-experimentations", "evaluer-experimentations", "mobiliser-co-construire"], ["commune:78440"],
     (2017, 6),
     "Pôle territorial de coopération économique qui réunit entreprises, associations, habitants, collectivités "
     "et chercheurs pour changer le regard sur la ville et y ramener de l'emploi."),
    ("ronalpia", "Ronalpia", P.SUPPORT, R.LOCAL, "69123", [AC], ["emergence-incubation", "accompagner-partenariats"],
     ["region:84"], (2017, 1),
     "Incubateur d'entrepreneurs sociaux en Auvergne-Rhône-Alpes."),
    ("institut-godin", "Institut Godin", P.ACADEMIC, R.LOCAL, "80021", [EX],
     ["evaluer-experimentations"], ["region:32"], (2018, 1),
     "Centre de transfert en pratiques solidaires et innovation sociale, auteur d'un outil d'analyse des "
     "capabilités."),
    ("la-fonda", "La Fonda", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [EX, DT], ["sensibiliser-alliances"], [],
     (2018, 6),
     "Laboratoire d'idées du monde associatif ; il anime des communautés d'action."),
    ("convergences", "Convergences", P.SUPPORT, R.NATIONAL, "75056", [EX, AC], ["evaluer-experimentations"], [],
     (2019, 1),
     "Plateforme de réflexion sur les solidarités ; elle propose aux financeurs un guide et une boussole pour "
     "mesurer l'impact social."),
    ("face-paris", "FACE Paris", P.GENERAL_INTEREST, R.LOCAL, "75056", [DT, AC], ["mettre-en-relation"],
     ["departement:75"], (2018, 6),
     "Club d'entreprises de la Fondation Agir Contre l'Exclusion à Paris."),
    ("fondation-rte", "Fondation RTE", P.COMPANY, R.NATIONAL, "92062", [AC], ["accompagner-partenariats"], [],
     (2019, 6),
     "Fondation d'entreprise du gestionnaire du réseau de transport d'électricité ; elle soutient des projets "
     "de territoires ruraux."),
    ("admical", "Admical", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [AC], ["sensibiliser-alliances"], [], None,
     "Association qui promeut le mécénat d'entreprise."),
    ("le-labo-de-l-ess", "Le Labo de l'ESS", P.SUPPORT, R.NATIONAL, "75056", [EX], ["evaluer-experimentations"],
     [], (2019, 6),
     "Laboratoire d'idées de l'économie sociale et solidaire."),
    ("iae-paris", "IAE Paris", P.ACADEMIC, R.LOCAL, "75056", [AC], ["former-pratiques"], ["region:11"], None,
     "École universitaire de management."),
    ("croix-rouge-francaise", "Croix-Rouge française", P.NATIONAL_NETWORK, R.NATIONAL, "75056", [DT],
     ["identifier-besoins"], [], (2019, 6),
     "Association humanitaire présente sur tout le territoire, outre-mer compris."),
    ("cfsi", "Comité français pour la solidarité internationale (CFSI)", P.NATIONAL_NETWORK, R.NATIONAL, "75056",
     [AC], ["accompagner-partenariats"], [], (2019, 6),
     "Collectif d'organisations engagées pour la solidarité internationale."),
    ("clus-ter-jura", "Clus'Ter Jura", P.GENERAL_INTEREST, R.LOCAL, "39300", [EX, AC, DT],
     ["piloter-experimentations", "emergence-incubation"], ["departement:39"], (2016, 6),
     "Pôle territorial de coopération économique du Jura qui fait émerger des activités d'économie sociale."),
    ("veolia", "Veolia", P.COMPANY, R.NATIONAL, "93001", [EX], ["evaluer-experimentations"], [], None,
     "Groupe de services à l'environnement ; il a évalué l'impact des projets entrepreneuriaux qu'il "
     "accompagne avec des incubateurs."),
    ("malakoff-humanis", "Malakoff Humanis", P.COMPANY, R.NATIONAL, "75056", [AC], ["essaimage"], [], None,
     "Groupe de protection sociale ; il a porté une fabrique de l'innovation sociale pour essaimer des projets."),
    # Fictitious organisations: overseas France and the profiles and trades the list above covers thinly.
    ("tiers-lieu-maroni-fictif", "Tiers-lieu du Maroni (fictif)", P.GENERAL_INTEREST, R.LOCAL, "97311", [LI, DT],
     ["lieu-echanges", "coworking", "organiser-rencontres"], ["commune:97311"], (2020, 3),
     "Organisation fictive : un tiers-lieu associatif qui réunit habitants, associations et services publics."),
    ("maison-des-alliances-cayenne-fictif", "Maison des alliances de Cayenne (fictif)", P.SUPPORT, R.LOCAL,
     "97302", [AC, DT], ["accompagner-partenariats", "mettre-en-relation"], ["departement:973"], (2021, 1),
     "Organisation fictive : un centre de ressources pour les partenariats entre acteurs guyanais."),
    ("jardins-partages-pointe-a-pitre-fictif", "Jardins partagés de Pointe-à-Pitre (fictif)", P.GENERAL_INTEREST,
     R.LOCAL, "97120", [EX, LI], ["piloter-experimentations", "lieu-echanges"], ["commune:97120"], (2021, 6),
     "Organisation fictive : une association de jardins partagés et d'alimentation locale."),
    ("fablab-fort-de-france-fictif", "Fablab de Fort-de-France (fictif)", P.COMPANY, R.LOCAL, "97209", [LI],
     ["fablab", "showroom"], ["commune:97209"], (2022, 1),
     "Organisation fictive : une coopérative qui met un fablab et une vitrine des savoir-faire à disposition."),
    ("universite-populaire-saint-pierre-fictif", "Université populaire de Saint-Pierre (fictif)", P.ACADEMIC,
     R.LOCAL, "97416", [AC, EX], ["former-pratiques", "evaluer-experimentations"], ["region:04"], (2022, 6),
     "Organisation fictive : formations ouvertes et recherche-action avec les acteurs réunionnais."),
    ("incubateur-mamoudzou-fictif", "Incubateur de Mamoudzou (fictif)", P.SUPPORT, R.LOCAL, "97611", [AC],
     ["emergence-incubation", "essaimage"], ["departement:976"], (2023, 1),
     "Organisation fictive : un incubateur de projets d'utilité sociale."),
    ("communaute-de-communes-du-bocage-fictif", "Communauté de communes du Bocage (fictif)", P.PUBLIC_ACTOR,
     R.LOCAL, "53130", [DT, EX], ["connaitre-enjeux", "identifier-besoins", "piloter-experimentations"],
     ["departement:53"], (2020, 9),
     "Organisation fictive : une intercommunalité rurale qui anime un diagnostic partagé de son territoire."),
    ("cooperative-des-savoirs-corse-fictif", "Coopérative des savoirs de Corse (fictif)", P.COMPANY, R.LOCAL,
     "2A004", [LI, AC], ["coworking", "showroom", "former-pratiques"], ["region:94"], (2023, 6),
     "Organisation fictive : une société coopérative d'intérêt collectif qui gère un espace de travail partagé."),
    ("reseau-des-lieux-intermediaires-fictif", "Réseau des lieux intermédiaires (fictif)", P.NATIONAL_NETWORK,
     R.NATIONAL, "67482", [LI, AC], ["lieu-echanges", "essaimage"], [], (2024, 1),
     "Organisation fictive : une tête de réseau des tiers-lieux."),
    ("laboratoire-cooperations-nantes-fictif", "Laboratoire des coopérations de Nantes (fictif)", P.ACADEMIC,
     R.LOCAL, "44109", [EX, DT], ["evaluer-experimentations", "connaitre-enjeux"], ["region:52"], (2024, 6),
     "Organisation fictive : une équipe universitaire qui observe les alliances territoriales."),
    ("entreprise-solidaire-du-limousin-fictif", "Entreprise solidaire du Limousin (fictif)", P.COMPANY, R.LOCAL,
     "87085", [DT, EX], ["mobiliser-co-construire"], ["departement:87"], (2025, 1),
     "Organisation fictive : une entreprise d'insertion engagée dans une alliance locale pour l'emploi."),
    ("maison-de-l-ess-de-reims-fictif", "Maison de l'ESS de Reims (fictif)", P.GENERAL_INTEREST, R.LOCAL, "51454",
     [LI, DT, AC], ["lieu-echanges", "organiser-rencontres", "emergence-incubation"], ["departement:51"], None,
     "Organisation fictive : un lieu d'accueil des porteurs de projets de l'économie sociale et solidaire."),
]

DISSOLVED = {"cget": datetime.date(2019, 12, 31)}

# Public websites of a few real organisations; fictitious ones get an address under example.org (reserved).
WEBSITES = {
    "ville-de-loos-en-gohelle": "https://www.loos-en-gohelle.fr/",
    "ville-de-grande-synthe": "https://www.ville-grande-synthe.fr/",
    "ville-de-malaunay": "https://www.malaunay.fr/",
    "region-auvergne-rhone-alpes": "https://www.auvergnerhonealpes.fr/",
    "banque-des-territoires": "https://www.banquedesterritoires.fr/",
}


def website(slug: str) -> str:
    if slug.endswith("-fictif"):
        return f"https://{slug.removesuffix('-fictif')}.example.org/"
    return WEBSITES.get(slug, "")


def load() -> str:
    trades = {t.code: t for t in Trade.objects.all()}
    competences = {c.code: c for c in Competence.objects.select_related("trade")}
    created = 0
    for slug, name, profile, scope, office, trade_codes, competence_codes, territory_keys, joined, text in \
            ORGANISATIONS:
        fields = {
            "name": name, "profile": profile, "scope": scope, "description": text, "website": website(slug),
            "head_office": territory_from_key(office), "is_catalyst": joined is not None,
            "joined_on": datetime.date(*joined, 1) if joined else None, "is_fictitious": "fictif" in slug,
            "status": PublicationStatus.PUBLISHED, "dissolved_on": DISSOLVED.get(slug),
            "source": Source.GENERATED if "fictif" in slug else Source.MANUAL,
            # A competence implies its trade: the page groups competences under the trades declared.
            "trades": list({trades[c] for c in trade_codes} | {competences[c].trade for c in competence_codes}),
            "competences": [competences[c] for c in competence_codes],
            "territories": [t for t in map(territory_from_key, territory_keys) if t is not None],
        }
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            organisation_create(slug=slug, **fields)
            created += 1
        else:
            organisation_update(org, **fields)
    return f"{len(ORGANISATIONS)} organisations ({created} créées)"
