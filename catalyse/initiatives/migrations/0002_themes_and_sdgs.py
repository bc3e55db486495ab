from django.db import migrations

THEMES = [
    # (code, name, is_fragility): the six fragility themes of the territory indicators first.
    ("economie", "Économie", True),
    ("emploi", "Emploi", True),
    ("mobilite", "Mobilité", True),
    ("education", "Éducation", True),
    ("environnement", "Environnement", True),
    ("sante", "Santé", True),
    ("culture", "Culture", False),
    ("alimentation", "Alimentation", False),
    ("numerique", "Numérique", False),
    ("logement", "Logement", False),
    ("cohesion-sociale", "Cohésion sociale", False),
    ("transition-ecologique", "Transition écologique", False),
    ("agriculture", "Agriculture", False),
    ("jeunesse", "Jeunesse", False),
    ("entrepreneuriat", "Entrepreneuriat", False),
    ("gouvernance", "Gouvernance et coopération", False),
]

# Official French short names and colours of the 17 Sustainable Development Goals (ODD).
SDGS = [
    (1, "Pas de pauvreté", "#E5243B"),
    (2, "Faim « zéro »", "#DDA63A"),
    (3, "Bonne santé et bien-être", "#4C9F38"),
    (4, "Éducation de qualité", "#C5192D"),
    (5, "Égalité entre les sexes", "#FF3A21"),
    (6, "Eau propre et assainissement", "#26BDE2"),
    (7, "Énergie propre et d'un coût abordable", "#FCC30B"),
    (8, "Travail décent et croissance économique", "#A21942"),
    (9, "Industrie, innovation et infrastructure", "#FD6925"),
    (10, "Inégalités réduites", "#DD1367"),
    (11, "Villes et communautés durables", "#FD9D24"),
    (12, "Consommation et production responsables", "#BF8B2E"),
    (13, "Mesures relatives à la lutte contre les changements climatiques", "#3F7E44"),
    (14, "Vie aquatique", "#0A97D9"),
    (15, "Vie terrestre", "#56C02B"),
    (16, "Paix, justice et institutions efficaces", "#00689D"),
    (17, "Partenariats pour la réalisation des objectifs", "#19486A"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("initiatives", "Theme")
    Sdg = apps.get_model("initiatives", "Sdg")
    for position, (code, name, fragility) in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"name": name, "is_fragility": fragility,
                                                            "position": position})
    for number, name, colour in SDGS:
        Sdg.objects.update_or_create(number=number, defaults={"name": name, "colour": colour})


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
