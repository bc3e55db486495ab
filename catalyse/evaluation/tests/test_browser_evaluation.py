"""Through a real browser: a partner defines an objective, an indicator and two measurements through the forms and
submits them; the evaluation lead approves one; the indicator sheet shows the progress chart. Then the pages at
390 px wide, without horizontal scrolling."""

import os
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.models import MembershipRole
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Indicator, MeasurementStatus
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("CATALYSE_SCREENSHOTS")  # a directory: keep screenshots of the pages for a look


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def alliance(territories):
    org = OrganisationFactory(name="Tiers-lieu des Coteaux")
    initiative = InitiativeFactory(title="Alliance des Coteaux", slug="alliance-des-coteaux")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    partner = MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user
    lead = MembershipFactory(organisation=org).user
    services.framework_set(initiative=initiative, leads=[lead])
    return initiative, partner, lead


def _measure(page, start: str, end: str, value: str, women: str, axe) -> None:
    page.get_by_role("link", name="Ajouter une mesure").click()
    expect(page.get_by_label("Début de la période")).to_be_visible()  # the form's page, not the one it left
    axe(page)
    page.get_by_label("Début de la période").fill(start)
    page.get_by_label("Fin de la période").fill(end)
    page.get_by_label("Valeur (personnes)").fill(value)
    page.get_by_label("Dimension de la ventilation 1").fill("genre")
    page.get_by_label("Catégorie de la ventilation 1").fill("femmes")
    page.get_by_label("Valeur de la ventilation 1").fill(women)
    page.get_by_label("Valeur de la ventilation 1").press("Enter")  # saves: Enter does not add a row
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personnes accueillies")


def test_a_partner_defines_and_measures_an_indicator_and_the_lead_approves(page, browser, alliance, axe):
    initiative, partner, lead = alliance
    sign_in(page.context, page.base_url, partner)
    page.goto(page.base_url + initiative.get_absolute_url())
    page.get_by_role("link", name="Objectifs, indicateurs et résultats de l'alliance").click()

    page.get_by_role("link", name="Ajouter un objectif").click()
    page.get_by_label("Intitulé").fill("Rompre l'isolement des habitants")
    page.get_by_label("Hypothèses").fill("Le tiers-lieu reste ouvert le samedi.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".objective-tree")).to_contain_text("Rompre l'isolement des habitants")

    axe(page)
    page.get_by_role("link", name="Ajouter un indicateur").click()
    axe(page)
    page.get_by_label(re.compile("^Nom")).fill("Personnes accueillies")
    page.get_by_label("Unité").fill("personnes")
    page.get_by_label("Objectif suivi").select_option(label="Rompre l'isolement des habitants")
    page.get_by_label("Indicateur clé").check()
    page.get_by_label("Publier cet indicateur").check()
    page.get_by_label(re.compile("^Définition")).fill("Personnes différentes accueillies au tiers-lieu.")
    page.get_by_label("Mode de calcul").fill("Compter les noms distincts du registre d'accueil.")
    page.get_by_label(re.compile("^Valeur de référence")).fill("N/A")
    page.get_by_label("Date de la valeur de référence").fill("2024-01-01")
    page.get_by_label("Date de la cible 1").fill("2024-12-31")
    page.get_by_label("Valeur de la cible 1").fill("100")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« N/A » n'est pas un nombre")).to_be_visible()
    axe(page)
    expect(page.get_by_label("Mode de calcul")).to_have_value("Compter les noms distincts du registre d'accueil.")
    page.get_by_label(re.compile("^Valeur de référence")).fill("0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personnes accueillies")

    _measure(page, "2024-01-01", "2024-03-31", "30", "18", axe)
    _measure(page, "2024-04-01", "2024-06-30", "55", "31", axe)
    rows = page.locator("#mesures ~ .table-scroll tbody tr, #mesures + .table-scroll tbody tr")
    expect(rows).to_have_count(2)
    for _ in range(2):
        page.get_by_role("button", name="Soumettre").first.click()
        expect(page.locator(".message-success")).to_contain_text("Mesure soumise")
    indicator = Indicator.objects.get(name="Personnes accueillies")
    assert set(indicator.measurements.values_list("status", flat=True)) == {MeasurementStatus.SUBMITTED}

    reviewer = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    review = reviewer.new_page()
    sign_in(reviewer, page.base_url, lead)
    review.goto(f"{page.base_url}/initiatives/{initiative.slug}/evaluation/")
    review.get_by_role("link", name="Relecture des mesures").click()
    review.get_by_role("button", name="Valider").first.click()
    expect(review.locator(".message-success")).to_contain_text("Mesure validée")
    axe(review)
    shot(review, "review")
    review.get_by_role("link", name="Personnes accueillies").click()
    expect(review.locator("svg.chart")).to_be_visible()
    expect(review.locator("#mesures ~ .table-scroll")).to_contain_text("Validée")
    shot(review, "indicator")
    axe(review)
    reviewer.close()
    assert list(indicator.measurements.values_list("status", flat=True)) == [
        MeasurementStatus.APPROVED, MeasurementStatus.SUBMITTED]


def test_the_evaluation_pages_fit_a_phone(page, alliance, axe):
    initiative, partner, _lead = alliance
    objective = services.objective_create(initiative=initiative, title="Rompre l'isolement des habitants et "
                                          "des habitantes des hameaux les plus éloignés", is_public=True)
    indicator = services.indicator_create(
        initiative=initiative, name="Personnes accueillies au tiers-lieu chaque trimestre", objective=objective,
        definition="Personnes différentes.", computation="Registre.", baseline_value=0,
        baseline_date="2024-01-01", targets=[{"date": "2024-12-31", "value": 100}], is_public=True, key=True)
    measurement = services.measurement_create(indicator=indicator, period_start="2024-01-01",
                                              period_end="2024-03-31", value=30,
                                              disaggregations=[{"dimension": "genre", "category": "femmes",
                                                                "value": 18}])
    services.measurement_submit(measurement)
    sign_in(page.context, page.base_url, partner)
    page.set_viewport_size({"width": 390, "height": 844})
    base = f"{page.base_url}/initiatives/{initiative.slug}/evaluation/"
    for name, path in (("overview", ""), ("indicator", f"indicateurs/{indicator.pk}/"),
                       ("indicator_form", f"indicateurs/{indicator.pk}/modifier/"),
                       ("measurement_form", f"indicateurs/{indicator.pk}/mesures/nouvelle/"),
                       ("objective_form", "objectifs/nouveau/")):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shot(page, f"390-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: {width}px wide"
        axe(page)
