"""Through a real browser: a partner fills the SROI calculator and reads the ratio labelled as an estimate; every
part-2 page fits 1280 px and 390 px wide screens without horizontal scrolling and passes axe-core (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import services_change
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = ["chemins", "sroi", "craintes", "seances", "bilan"]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def partner(territories):
    organisation = OrganisationFactory(name="Régie de quartier")
    initiative = InitiativeFactory(title="Alliance du quartier", slug="alliance-du-quartier")
    PartnershipFactory(initiative=initiative, organisation=organisation, role=Role.PORTEUR)
    user = MembershipFactory(organisation=organisation).user
    path = services_change.change_path_create(
        initiative=initiative, actor_name="Le bailleur social du quartier, ses gardiens et ses chargés de gestion",
        outcome_challenge="Le bailleur associe les habitants à la gestion.",
        markers=[("expect", "Le bailleur vient aux réunions"), ("like", "Il ouvre un local"),
                 ("love", "Il co-finance la conciergerie")])
    services_change.journal_entry_create(path=path, marker=path.markers.first(), observed_on=dt.date(2024, 4, 2),
                                         status="partly", observed_change="Venu une fois sur deux.")
    services_change.sroi_estimate_create(
        initiative=initiative, title="Estimation 2024", discount_rate="0.035", investment=20000,
        outcomes=[{"name": "Retour à l'emploi", "quantity": 12, "proxy": 3000, "proxy_source": "Étude régionale",
                   "deadweight": "0.3", "attribution": "0.2", "drop_off": "0.3", "duration": 3}])
    return user


def test_a_partner_fills_the_sroi_calculator_and_reads_an_estimate(page, partner):
    sign_in(page.context, page.base_url, partner)
    page.goto(page.base_url + "/initiatives/alliance-du-quartier/evaluation/sroi/")
    page.get_by_label(re.compile(r"^Intitulé")).fill("Estimation de test")
    page.get_by_label("Investissement (€)").fill("4000")
    page.get_by_label("Taux d'actualisation (%)").fill("25")
    effect = page.locator("fieldset", has_text="Effet 1")
    effect.get_by_label(re.compile(r"^Effet\W*$")).fill("Retour à l'emploi")
    effect.get_by_label("Quantité").fill("10")
    effect.get_by_label("Valeur financière unitaire (€ par an)").fill("1000")
    effect.get_by_label("Source de la valeur financière").fill("Étude régionale 2023")
    effect.get_by_label("Effet d'aubaine (%)").fill("20")
    effect.get_by_label("Attribution à d'autres (%)").fill("25")
    effect.get_by_label("Déplacement (%)").fill("10")
    effect.get_by_label("Érosion annuelle (%)").fill("50")
    effect.get_by_label("Durée (années)").fill("3")
    page.get_by_role("button", name="Calculer", exact=True).click()

    result = page.locator("#calcul-title").locator("xpath=..")
    expect(result.locator(".notice")).to_contain_text("Estimation")
    expect(result.locator(".sroi-ratio")).to_have_text("1,68")
    expect(result.get_by_role("table", name="Sensibilité")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_part_2_page_fits_the_screen_and_passes_axe(page, partner, width, axe):
    sign_in(page.context, page.base_url, partner)
    page.set_viewport_size({"width": width, "height": 900})
    for name in PAGES:
        page.goto(f"{page.base_url}/initiatives/alliance-du-quartier/evaluation/{name}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        axe(page)
