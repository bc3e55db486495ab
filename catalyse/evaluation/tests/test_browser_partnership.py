"""Through a real browser: a partner records a maturity wave with two respondents who disagree and sees the
radar with its spread; the pages hold at 390 px without horizontal overflow."""

import re

import pytest
from playwright.sync_api import expect

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import services_partnership as s
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXES = ["Connaissance mutuelle", "Langage commun", "Confiance", "Gouvernance partagée",
        "Mise en commun des ressources", "Apprentissage collectif"]


def sign_in(context, base_url: str, user) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def alliance(territories):
    initiative = InitiativeFactory(title="Alliance des quartiers", slug="alliance-quartiers")
    a, b = OrganisationFactory(name="Centre social"), OrganisationFactory(name="Bailleur social")
    PartnershipFactory(initiative=initiative, organisation=a, role=Role.PORTEUR)
    PartnershipFactory(initiative=initiative, organisation=b)
    return {"initiative": initiative, "partner": MembershipFactory(organisation=a).user}


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def answer(section, partner: str, respondent: str, trust: int) -> None:
    section.get_by_label(re.compile(r"^Partenaire")).select_option(label=partner)
    section.get_by_label("Fonction du répondant ou de la répondante").fill(respondent)
    for axis in AXES:
        level = trust if axis == "Confiance" else 2
        section.get_by_role("group", name=axis, exact=True).get_by_label(f"{level} — ").check()
    section.get_by_role("button", name="Enregistrer la réponse").click()


def test_a_wave_with_two_respondents_who_disagree_shows_the_spread(page, alliance, axe):
    sign_in(page.context, page.base_url, alliance["partner"])
    url = page.base_url + "/initiatives/alliance-quartiers/evaluation/maturite/"
    page.goto(url)
    page.get_by_label("Intitulé de la vague").fill("Vague de printemps")
    page.get_by_label(re.compile(r"^Date")).fill("2025-04-01")
    page.get_by_role("button", name="Ouvrir la vague").click()

    section = page.locator("section.maturity-wave")
    expect(section.get_by_role("heading", level=2)).to_contain_text("Vague de printemps")
    answer(section, "Centre social", "directrice", trust=1)
    expect(page.locator(".message-success")).to_contain_text("Réponse enregistrée")
    answer(page.locator("section.maturity-wave"), "Bailleur social", "chargé de mission", trust=4)

    section = page.locator("section.maturity-wave")
    expect(section).to_contain_text("2 réponses")
    radar = section.locator("svg.chart-radar").first
    expect(radar.locator("path.chart-band")).to_have_count(1)
    expect(radar.locator("line.chart-whisker")).to_have_count(6)
    trust_row = section.locator("table.maturity-stats tr", has_text="Confiance")
    expect(trust_row).to_contain_text("2,50")  # mean
    expect(trust_row).to_contain_text("1,50")  # population standard deviation
    expect(trust_row).to_contain_text("non : désaccord")
    section.locator("details.chart-data summary").first.click()
    expect(section.locator("table.chart-table").first).to_contain_text("2,5 (1–4)")
    assert no_overflow(page)
    axe(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("svg.chart-radar path.chart-band").first).to_be_visible()
    assert no_overflow(page)


def test_the_mobilisation_page_at_1280_and_390_px(page, alliance, axe):
    initiative, partner = alliance["initiative"], alliance["partner"]
    bailleur = initiative.partnerships.get(organisation__name="Bailleur social").organisation
    s.mobilisation_event_create(initiative=initiative, organisation=bailleur, kind="joined", happened_on="2023-01-10")
    s.mobilisation_event_create(initiative=initiative, organisation=bailleur, kind="left", happened_on="2024-05-01",
                                reason="Réorganisation interne")
    s.mobilisation_event_create(initiative=initiative, organisation=bailleur, kind="returned",
                                happened_on="2025-02-01", reason="Nouvelle convention")
    s.engagement_level_set(initiative=initiative, organisation=bailleur, period_start="2023-01-01",
                           period_end="2023-12-31", level=3)
    sign_in(page.context, page.base_url, partner)
    url = page.base_url + "/initiatives/alliance-quartiers/evaluation/mobilisation/"
    page.goto(url)
    expect(page.locator("svg.chart-lanes")).to_be_visible()
    expect(page.get_by_role("table", name="Départs d'organisations et de personnes qui les représentaient")
           ).to_contain_text("Réorganisation interne")
    form = page.locator("form", has=page.locator("input[name=form][value=event]"))
    form.get_by_role("combobox", name=re.compile(r"^Partenaire")).select_option(label="Centre social")
    form.get_by_role("combobox", name=re.compile(r"^Événement")).select_option(label="Départ")
    form.get_by_label(re.compile(r"^Date")).fill("2025-06-30")
    form.get_by_role("button", name="Enregistrer l'événement").click()
    expect(page.locator(".errorlist").first).to_contain_text("motif")
    assert no_overflow(page)
    axe(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("svg.chart-lanes")).to_be_visible()
    assert no_overflow(page)
    axe(page)
