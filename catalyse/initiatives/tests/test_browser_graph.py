"""The graph page in a real browser: cytoscape draws the visible network under the strict CSP, and the
accessible table gives the same organisations with their measures."""

import pytest
from playwright.sync_api import expect

from catalyse.initiatives.models import Visibility
from catalyse.territories.models import Territory

from .graph_data import alliance, organisations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(territories):
    a, b, c, secret = organisations("Alpha", "Beta", "Gamma", "Secrète")
    alliance("Premier lien", a, b)
    lens = Territory.objects.get(level="commune", code="62498", kind="current")
    alliance("Second lien", b, c, territories=[lens])
    alliance("Confidentielle", c, secret, visibility=Visibility.PARTNERS)


def csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_graph_page_draws_the_visible_network(page, network):
    errors = csp_errors(page)
    page.goto(page.base_url + "/graphe/")
    canvas = page.locator("#graph-page")
    expect(canvas).to_have_attribute("data-graph-rendered", "3")
    expect(canvas.locator("canvas").first).to_be_attached()
    expect(page.locator("[data-graph-count]")).to_have_text("3 organisations, 2 liens")
    expect(page.get_by_role("list", name="Légende : couleur des profils")).to_contain_text("Entreprise")
    assert errors == [], errors


def test_graph_page_has_an_accessible_table_of_nodes_with_measures(page, network, axe):
    page.goto(page.base_url + "/graphe/")
    axe(page)
    table = page.get_by_role("table", name="Organisations du graphe et leurs mesures")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Beta")  # the bridge between Alpha and Gamma comes first
    expect(rows.first).to_contain_text("point d'articulation")
    expect(table).not_to_contain_text("Secrète")


def test_filter_form_narrows_the_graph(page, network):
    page.goto(page.base_url + "/graphe/")
    page.get_by_label("Territoire").select_option(label="62 Pas-de-Calais")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(page.base_url + "/graphe/?theme=&territoire=departement%3A62&depuis=&jusqua=")
    expect(page.locator("#graph-page")).to_have_attribute("data-graph-rendered", "2")
    expect(page.locator("[data-graph-count]")).to_have_text("2 organisations, 1 lien")


def test_organisation_page_draws_its_partner_network_from_the_api(page, network):
    errors = csp_errors(page)
    page.goto(page.base_url + "/organisations/gamma/")
    embed = page.locator(".graph-embed .graph-canvas")
    expect(embed).to_have_attribute("data-graph-rendered", "2")  # Gamma and Beta; the secret partner stays hidden
    expect(page.locator(".graph-embed [data-graph-count]")).to_have_text("2 organisations, 1 lien")
    assert errors == [], errors


def test_territory_page_draws_the_territory_graph(page, network):
    page.goto(page.base_url + "/territoires/departement/62/")
    expect(page.locator(".graph-embed .graph-canvas")).to_have_attribute("data-graph-rendered", "2")


# Fifteen organisations with long names, as in the demo: a hub, a few pairs and a chain.
DEMO_NAMES = ("Communauté d'agglomération de Lens-Liévin", "Association des tiers-lieux du bassin minier",
              "Chambre de commerce et d'industrie Artois", "Université d'Artois — laboratoire territoires",
              "Coopérative d'activités et d'emploi Nord", "Fondation pour la transition énergétique",
              "Mairie de Loos-en-Gohelle", "Réseau national des catalyseurs", "Entreprise d'insertion Le Relais",
              "Pôle territorial de coopération économique", "Centre social du quartier des Provinces",
              "Syndicat mixte des transports Artois-Gohelle", "Agence d'urbanisme de l'Artois",
              "Maison de l'emploi du Pays de Lens", "Collectif des habitants de la cité 12")


def label_boxes(page, selector: str) -> list[dict]:
    return page.evaluate("""selector => {
        const cy = document.querySelector(selector)._cyreg.cy;
        return cy.nodes().map(n => n.boundingBox({includeLabels: true}));
    }""", selector)


def test_labels_of_a_demo_like_graph_never_overlap(page, territories):
    orgs = organisations(*DEMO_NAMES)
    hub = orgs[0]
    for i, other in enumerate(orgs[1:8]):
        alliance(f"Projet du pôle {i}", hub, other)
    for i in range(8, 14):
        alliance(f"Projet en chaîne {i}", orgs[i - 1], orgs[i])
    alliance("Projet à trois", orgs[2], orgs[3], orgs[14])
    page.goto(page.base_url + "/graphe/")
    expect(page.locator("#graph-page")).to_have_attribute("data-graph-rendered", "15")
    boxes = label_boxes(page, "#graph-page")
    assert len(boxes) == 15
    overlapping = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j
                   and min(a["x2"] - b["x1"], b["x2"] - a["x1"]) > 0 and min(a["y2"] - b["y1"], b["y2"] - a["y1"]) > 0]
    assert overlapping == []
    # The boxes include the labels (a bare node is 14 to 40 px wide); few labels wait for hover or selection.
    assert sum(b["w"] > 60 for b in boxes) >= 12


def test_a_graph_of_one_pair_gets_a_compact_box_and_a_table(page, territories, axe):
    a, b = organisations("Seule A", "Seule B")
    alliance("Un seul lien", a, b)
    page.goto(page.base_url + a.get_absolute_url())
    embed = page.locator(".graph-embed .graph-canvas")
    expect(embed).to_have_attribute("data-graph-rendered", "2")
    assert embed.bounding_box()["height"] < 200
    page.get_by_text("Tableau des organisations du graphe").click()
    table = page.get_by_role("table", name="Organisations du graphe")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Seule B")
    axe(page)
