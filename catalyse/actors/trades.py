"""The four trades of a catalyst and their competences, as the network describes them."""

TRADES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("dialogue-territorial", "Dialogue territorial", [
        ("connaitre-enjeux", "Connaître les enjeux et les acteurs du territoire"),
        ("identifier-besoins", "Identifier les besoins prioritaires"),
        ("organiser-rencontres", "Organiser des temps de rencontre et d'interconnaissance"),
        ("mobiliser-co-construire", "Mobiliser les acteurs pour co-construire des solutions"),
        ("sensibiliser-alliances", "Sensibiliser aux alliances territoriales"),
        ("mettre-en-relation", "Mettre en relation des acteurs complémentaires"),
    ]),
    ("experimentations-collectives", "Expérimentations collectives", [
        ("piloter-experimentations", "Concevoir et piloter des expérimentations"),
        ("evaluer-experimentations", "Évaluer les expérimentations et en tirer les enseignements"),
    ]),
    ("accompagnement", "Accompagnement", [
        ("emergence-incubation", "Assurer un service d'émergence et d'incubation"),
        ("former-pratiques", "Former aux nouvelles pratiques"),
        ("accompagner-partenariats", "Accompagner les partenariats"),
        ("essaimage", "Favoriser l'essaimage et le transfert de savoir-faire vers d'autres territoires"),
    ]),
    ("gestion-lieu", "Gestion d'un lieu", [
        ("lieu-echanges", "Proposer un lieu d'échanges convivial (café solidaire…)"),
        ("coworking", "Gérer un espace de coworking"),
        ("showroom", "Organiser un showroom"),
        ("fablab", "Mettre un fablab à disposition"),
    ]),
]
