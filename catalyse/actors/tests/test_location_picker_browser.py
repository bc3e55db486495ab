"""The organisation form sets the location on a map (no latitude/longitude typed): clicking the map places the
point, which is saved; "Revenir au centre de la commune" gives the head office's centre back."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.actors.models import MembershipRole, Organisation
from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory, commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_location_is_chosen_on_the_map_and_saved(page, axe):
    org = OrganisationFactory(name="Fabrique de Loos", head_office=commune("62528"))
    editor = MembershipFactory(organisation=org, role=MembershipRole.EDITOR).user
    client = Client()
    client.force_login(editor)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    page.goto(page.base_url + org.get_absolute_url() + "modifier/")
    expect(page.get_by_label("Latitude")).to_have_count(0)  # not typed as numbers
    picker = page.get_by_role("region", name="Emplacement sur la carte")
    expect(picker).to_have_attribute("data-ready", "")
    axe(page)
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2 + 60, "y": box["height"] / 2 - 40})
    expect(page.locator("#location-status")).to_contain_text("Point choisi")
    lat, lon = float(page.locator("#id_latitude").input_value()), float(page.locator("#id_longitude").input_value())
    office = commune("62528")
    assert (lat, lon) != (office.latitude, office.longitude) and abs(lat - office.latitude) < 0.5
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fabrique de Loos")
    org = Organisation.objects.get(pk=org.pk)
    assert (round(org.latitude, 5), round(org.longitude, 5)) == (lat, lon)

    page.goto(page.base_url + org.get_absolute_url() + "modifier/")
    page.get_by_role("button", name="Revenir au centre de la commune").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fabrique de Loos")
    org = Organisation.objects.get(pk=org.pk)
    assert (org.latitude, org.longitude) == (office.latitude, office.longitude)
