"""Through a real browser: the dashboards read at desktop width and on a 390 px phone without sideways scrolling."""

import datetime as dt

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Direction, ReasonCategory
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def partner(territories):
    org = OrganisationFactory(name="Alliance d'essai")
    initiative = InitiativeFactory(title="Alliance des jardins partagés", slug="jardins")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    indicator = services.indicator_create(
        initiative=initiative, name="Familles jardinières", definition="Familles inscrites.", is_public=True,
        computation="Registre des inscriptions.", key=True, baseline_value=10, baseline_date=D(2022, 1, 1),
        targets=[{"date": "2023-01-01", "value": 40}, {"date": "2025-01-01", "value": 100}])
    services.indicator_create(
        initiative=initiative, name="Déchets verts compostés", definition="Tonnes compostées.", is_public=True,
        computation="Pesées.", direction=Direction.DECREASE, baseline_value=50, baseline_date=D(2022, 1, 1),
        targets=[{"date": "2025-01-01", "value": 20}])
    for month in range(1, 13):
        end = D(2022 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        m = services.measurement_create(indicator=indicator, period_start=end.replace(day=1), period_end=end,
                                        value=10 + 3 * month, disaggregations=[
                                            {"dimension": "genre", "category": "femmes", "value": 5 + month},
                                            {"dimension": "genre", "category": "hommes", "value": 5 + 2 * month}])
        services.measurement_submit(m)
        services.measurement_approve(m)
    services.indicator_update(indicator, targets=[{"date": "2023-01-01", "value": 40},
                                                  {"date": "2025-01-01", "value": 80}],
                              reason_category=ReasonCategory.BUDGET, reason_text="Moins de parcelles.",
                              decided_on=D(2022, 7, 1))
    return MembershipFactory(organisation=org).user


@pytest.mark.parametrize("width", [1280, 390])
def test_a_partner_reads_the_initiative_dashboard(page, partner, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page.context, page.base_url, partner)
    page.goto(page.base_url + "/initiatives/jardins/evaluation/tableau-de-bord/?au=2023-06-30")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord de l'évaluation")
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows.first).to_contain_text("Familles jardinières")  # the key indicator first
    expect(page.locator("svg.chart-time").first).to_be_visible()
    expect(page.locator("svg.chart-time > title").first).to_have_text("Familles jardinières")
    expect(page.locator("svg").filter(has_text="v2 : Budget").first).to_be_attached()
    expect(page.get_by_text("Sens souhaité : à la baisse ↓", exact=True)).to_be_visible()
    trend = page.locator("section[id^=indicator-]").first
    trend.get_by_text("Données du graphique").first.click()
    expect(trend.get_by_role("row", name="31/12/2022").first).to_contain_text("46")  # 10 + 3 × 12
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_visitor_reads_the_network_dashboard(page, partner, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/evaluation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les résultats publiés des alliances")
    expect(page.locator("#network-indicators")).to_have_text("2")
    expect(page.locator("svg.chart-stacked > title").first).to_have_text(
        "Indicateurs publiés par famille d'impact, selon leur trajectoire")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
