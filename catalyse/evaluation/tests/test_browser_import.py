"""Through a real browser: a partner uploads a measurements file with one bad row and reads the result, at
1280 px and at 390 px wide."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.models import MembershipRole
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation.models import Measurement
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import make_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_partner_imports_measurements_and_reads_the_refused_rows(page, territories, tmp_path, width):
    organisation = OrganisationFactory(name="Ville pionnière")
    partner = MembershipFactory(organisation=organisation, role=MembershipRole.EDITOR).user
    initiative = InitiativeFactory(title="Alliance mesurée", slug="alliance-mesuree")
    PartnershipFactory(initiative=initiative, organisation=organisation, role=Role.PORTEUR)
    indicator = make_indicator(initiative)
    path = tmp_path / "mesures.csv"
    path.write_text(f"indicateur_id;debut;fin;valeur\n{indicator.pk};2024-01-01;2024-01-31;12\n"
                    f"{indicator.pk};2024-02-01;2024-02-29;N/A\n", encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page.context, page.base_url, partner)

    page.goto(page.base_url + "/initiatives/alliance-mesuree/evaluation/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des mesures")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("Fichier").set_input_files(str(path))
    page.get_by_role("button", name="Lancer l'import").click()

    expect(page.get_by_role("status")).to_contain_text("Import terminé")
    expect(page.locator("[data-count=created]")).to_have_text("1")
    expect(page.locator("[data-count=errors]")).to_have_text("1")
    expect(page.get_by_role("table", name="Lignes refusées et valeurs ignorées")).to_contain_text(
        "« N/A » n'est pas un nombre.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert Measurement.objects.get().author == partner
