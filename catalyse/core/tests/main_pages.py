"""The site's main pages, as walked by the accessibility, phone-layout and screenshot-gallery tests.

Adding a page is one line: (name, address, who looks at it). `who` is None for a visitor, or one of the
demo people of `demo_site` ("member", "animator")."""

import io

from django.core.management import call_command

# The elements sticking out on the right, to say what to fix when the page scrolls sideways.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !e.closest(".leaflet-container, .visually-hidden, .skip-link"))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
        (e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\\s+/g, ".") : "") +
        " (" + Math.round(e.getBoundingClientRect().right) + " px)")"""

MAIN_PAGES: list[tuple[str, str, str | None]] = [
    ("accueil", "/", None),
    ("annuaire", "/organisations/", None),
    ("organisation", "/organisations/ville-de-loos-en-gohelle/", None),
    ("carte", "/carte/", None),
    ("reseau", "/reseau/", None),
    ("initiatives", "/initiatives/", None),
    ("initiative", "/initiatives/transition-de-la-cite-miniere/", None),
    ("graphe", "/graphe/", None),
    ("territoire", "/territoires/departement/62/", None),
    ("observatoire-regions", "/observatoire/regions/", None),
    ("observatoire-region", "/observatoire/regions/32/", None),
    ("observatoire-import", "/observatoire/import/", "animator"),
    ("recherche", "/recherche/?q=transition", None),
    ("ressources", "/ressources/", None),
    ("ressources-collection", "/ressources/collections/evaluation-partenariale/", None),
    ("ressources-collection-nouvelle", "/ressources/collections/ajouter/", "animator"),
    ("ressources-collection-modifier", "/ressources/collections/evaluation-partenariale/modifier/", "animator"),
    ("boite-a-outils", "/ressources/boite-a-outils/", None),
    ("boite-a-outils-service", "/ressources/boite-a-outils/localtis/", None),
    ("boite-a-outils-service-nouveau", "/ressources/boite-a-outils/ajouter/", "animator"),
    ("boite-a-outils-service-modifier", "/ressources/boite-a-outils/localtis/modifier/", "animator"),
    ("boite-a-outils-service-supprimer", "/ressources/boite-a-outils/localtis/supprimer/", "animator"),
    ("ressource-nouvelle", "/ressources/ajouter/", "member"),
    ("evenements", "/evenements/", None),
    ("evenement", "/evenements/rencontre-annuelle-2019-ensemble-valorisons-les-territoires/", None),
    ("evenement-organisateur", "/evenements/rencontre-annuelle-2019-ensemble-valorisons-les-territoires/",
     "animator"),
    ("evenement-inscription", "/evenements/atelier-evaluation-partenariale-premiers-pas/", None),
    ("evenement-nouveau", "/evenements/ajouter/", "animator"),
    ("evenement-modifier", "/evenements/rencontre-annuelle-2019-ensemble-valorisons-les-territoires/modifier/",
     "animator"),
    ("evenement-groupes", "/evenements/rencontre-annuelle-2019-ensemble-valorisons-les-territoires/groupes/",
     "animator"),
    ("donnees", "/donnees/", None),
    ("connexion", "/compte/connexion/", None),
    ("inscription", "/compte/inscription/", None),
    ("compte", "/compte/", "member"),
    ("organisation-modifier", "/organisations/ville-de-loos-en-gohelle/modifier/", "member"),
    ("initiative-nouvelle", "/initiatives/nouvelle/", "member"),
    ("moderation", "/moderation/", "animator"),
    ("evaluation", "/initiatives/transition-de-la-cite-miniere/evaluation/", None),
    ("evaluation-partenaire", "/initiatives/transition-de-la-cite-miniere/evaluation/", "member"),
    ("evaluation-indicateur-nouveau", "/initiatives/transition-de-la-cite-miniere/evaluation/indicateurs/nouveau/",
     "member"),
    ("evaluation-relecture", "/initiatives/transition-de-la-cite-miniere/evaluation/relecture/", "animator"),
    ("evaluation-tableau-de-bord", "/initiatives/transition-de-la-cite-miniere/evaluation/tableau-de-bord/", None),
    ("evaluation-preuves", "/initiatives/transition-de-la-cite-miniere/evaluation/preuves/", None),
    ("evaluation-import", "/initiatives/transition-de-la-cite-miniere/evaluation/import/", "member"),
    ("evaluation-mobilisation", "/initiatives/pole-territorial-emploi-mureaux/evaluation/mobilisation/", None),
    ("evaluation-maturite", "/initiatives/pole-territorial-emploi-mureaux/evaluation/maturite/", None),
    ("evaluation-chemins", "/initiatives/pole-territorial-emploi-mureaux/evaluation/chemins/", None),
    ("evaluation-craintes", "/initiatives/pole-territorial-emploi-mureaux/evaluation/craintes/", None),
    ("evaluation-seances", "/initiatives/pole-territorial-emploi-mureaux/evaluation/seances/", None),
    ("evaluation-sroi", "/initiatives/pole-territorial-emploi-mureaux/evaluation/sroi/", None),
    ("evaluation-bilan", "/initiatives/pole-territorial-emploi-mureaux/evaluation/bilan/", None),
    ("atelier-rejoindre", "/rejoindre/", None),
    ("atelier-tableau", "/ateliers/AQ3X6H/", None),
    ("atelier-tableau-animation", "/ateliers/AQ3X6H/", "animator"),
    ("atelier-nouveau", "/ateliers/nouveau/?evenement=rencontre-annuelle-2019-ensemble-valorisons-les-territoires",
     "animator"),
    ("atelier-reglages", "/ateliers/AQ3X6H/reglages/", "animator"),
    ("ateliers-synthese", "/evenements/rencontre-annuelle-2019-ensemble-valorisons-les-territoires/synthese/", None),
]


def demo_site(settings, tmp_path) -> dict:
    """Loads the demo data (search index in `tmp_path`) and returns the demo people by name."""
    from catalyse.accounts.models import Role
    from catalyse.accounts.tests.factories import UserFactory
    from catalyse.actors.models import MembershipRole, Organisation
    from catalyse.actors.tests.factories import MembershipFactory
    from catalyse.search.backends.tantivy_backend import _indexes

    settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
    _indexes.clear()
    call_command("load_demo", stdout=io.StringIO())
    member = MembershipFactory(organisation=Organisation.objects.get(slug="ville-de-loos-en-gohelle"),
                               role=MembershipRole.EDITOR).user
    return {"member": member, "animator": UserFactory(role=Role.ANIMATOR)}


def sign_in(context, base_url: str, user) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
