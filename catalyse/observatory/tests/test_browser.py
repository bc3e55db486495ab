"""Through a real browser: the issue's path on a département page (switch the mapped indicator, follow a similar
territory, reach an initiative of the territory), the région profile cards (on screen and printed) and the
indicator import's preview and column mapping; each page passes axe-core at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from catalyse.accounts.models import Role
from catalyse.accounts.tests.factories import UserFactory
from catalyse.core.tests.main_pages import sign_in
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.observatory import demo
from catalyse.observatory.models import IndicatorValue
from catalyse.territories.models import Kind, Level, Territory

from .factories import IndicatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 390)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width


def test_departement_page_switch_the_mapped_indicator_follow_a_similar_territory_reach_an_initiative(page, axe):
    demo.load()
    initiative = InitiativeFactory(title="Garage solidaire du bassin minier")
    initiative.territories.add(Territory.objects.get(level=Level.COMMUNE, code="62528", kind=Kind.CURRENT))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # The first visit reads the outlines and builds the similarity table: slow on a loaded machine.
        page.goto(page.base_url + "/territoires/departement/62/", timeout=60_000)
        expect(page.get_by_role("heading", name="Profil de fragilité")).to_be_visible()
        expect(page.get_by_text("Valeurs FICTIVES de démonstration").first).to_be_visible()
        _fits(page, width)
        axe(page)
    page.get_by_role("link", name="Garage solidaire du bassin minier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Garage solidaire du bassin minier")
    page.go_back()
    page.get_by_label("Indicateur", exact=True).select_option("taux-pauvrete")
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(page.base_url + "/territoires/departement/62/?indicateur=taux-pauvrete#observatory-map")
    expect(page.locator("#observatory-map figcaption")).to_contain_text("Taux de pauvreté")
    similar = page.locator("section[aria-labelledby=observatory-similar-title] tbody a").first
    name = similar.inner_text()
    with page.expect_navigation(timeout=60_000):
        similar.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_region_cards_on_screen_and_printed_one_per_page(page, axe):
    demo.load()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/observatoire/regions/", timeout=60_000)
        expect(page.get_by_role("heading", level=1, name="Fiches des régions")).to_be_visible()
        expect(page.locator("article.region-card")).to_have_count(
            Territory.objects.filter(level=Level.REGION, kind=Kind.CURRENT).count())
        _fits(page, width)
        axe(page)
    page.get_by_role("link", name="Hauts-de-France", exact=True).click()
    card = page.locator("#region-32")
    card.get_by_role("link", name="Fiche seule, à imprimer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hauts-de-France")
    expect(page.get_by_text("Valeurs FICTIVES de démonstration").first).to_be_visible()
    expect(page.get_by_role("heading", name="Principales fragilités")).to_be_visible()
    axe(page)

    page.goto(page.base_url + "/observatoire/regions/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".breadcrumb")).to_be_hidden()
    expect(page.locator(".region-card-index")).to_be_hidden()
    expect(page.locator("#region-32 .region-card-demo")).to_be_visible()  # the label is printed on each card
    breaks = page.eval_on_selector_all("article.region-card", "cards => cards.map(c => getComputedStyle(c).breakAfter)")
    assert breaks[:-1] == ["page"] * (len(breaks) - 1) and breaks[-1] == "auto"


def test_an_animator_previews_a_file_changes_the_mapping_and_imports(page, axe, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page.context, page.base_url, UserFactory(role=Role.ANIMATOR))
    IndicatorFactory(code="chomage", name="Taux de chômage")
    IndicatorFactory(code="demandeurs", name="Demandeurs d'emploi")
    path = tmp_path / "emploi.csv"
    path.write_bytes("CODGEO;LIBGEO;an;taux;demandeurs\n62528;Loos-en-Gohelle;2021;12,5;830\n"
                     "62510;Liévin;2021;14,1;2100\n99999;Inconnue;2021;3;4\n".encode("cp1252"))
    page.goto(page.base_url + "/observatoire/import/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _fits(page, width)
        axe(page)
    page.get_by_label("Indicateur", exact=True).select_option("chomage")
    page.get_by_label("Fichier", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de emploi.csv")
    expect(page.locator(".import-preview-facts")).to_contain_text("point-virgule")
    expect(page.locator(".import-preview-facts")).to_contain_text("à préciser")
    expect(page.get_by_role("cell", name="Liévin")).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _fits(page, width)
        axe(page)
    values = page.get_by_role("group", name="Colonne(s) de valeurs de l'indicateur")
    page.get_by_label("Dans une colonne « année »").check()
    values.get_by_label("taux").check()
    values.get_by_label("demandeurs").check()
    page.get_by_role("button", name="Confirmer et lancer l'import").click()  # two value columns for one year
    expect(page.get_by_role("alert")).to_contain_text("corrigez la correspondance")
    expect(page.get_by_text("choisissez une seule colonne de valeurs")).to_be_visible()
    axe(page)
    page.get_by_label("Indicateur", exact=True).select_option("demandeurs")
    page.get_by_label("Colonne de l'année").select_option("an")
    values.get_by_label("taux").uncheck()
    page.get_by_role("button", name="Confirmer et lancer l'import").click()
    expect(page.get_by_role("status").first).to_contain_text("Import terminé")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-count=errors]")).to_have_text("1")
    axe(page)
    assert sorted(IndicatorValue.objects.filter(indicator__code="demandeurs", level="commune")
                  .values_list("value", flat=True)) == [830.0, 2100.0]
