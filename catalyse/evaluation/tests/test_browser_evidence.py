"""Through a real browser: a partner adds a photo to the evidence library, is told why it cannot be published
without the image rights, fixes it, and a visitor sees it — at 1280 px and at 390 px without overflow."""

import io

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import services
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import make_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.fixture
def partner(territories, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org = OrganisationFactory(name="Régie de quartier")
    initiative = InitiativeFactory(title="Jardins du quartier", slug="jardins-du-quartier")
    PartnershipFactory(initiative=initiative, organisation=org, role=Role.PORTEUR)
    make_indicator(initiative, name="Parcelles cultivées", is_public=True)
    services.evidence_create(initiative=initiative, kind="verbatim", title="Parole de jardinière",
                             text="Ici on se parle.", speaker_role="habitante", consent=True, is_public=True,
                             tags="lien social")
    return MembershipFactory(organisation=org).user


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_partner_adds_a_photo_and_publishes_it_once_the_image_rights_are_ticked(page, partner, tmp_path):
    photo = tmp_path / "atelier.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    sign_in(page.context, page.base_url, partner)
    page.goto(page.base_url + "/initiatives/jardins-du-quartier/evaluation/preuves/")
    page.get_by_role("link", name="Ajouter une preuve").click()
    page.get_by_label("Photo", exact=True).check()
    page.get_by_label("Titre").fill("Atelier de semis")
    page.get_by_label("Fichier").set_input_files(str(photo))
    page.get_by_label("Parcelles cultivées").check()
    page.get_by_label("Publié").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator(".field-error")).to_contain_text("ne peut pas être publiée sans le droit à l'image")
    expect(page.get_by_label("Titre")).to_have_value("Atelier de semis")
    page.get_by_label("Fichier").set_input_files(str(photo))  # browsers never keep a chosen file
    page.get_by_label("Droit à l'image accordé").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Atelier de semis")).to_be_visible()

    visitor = page.context.browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    small = visitor.new_page()
    small.goto(page.base_url + "/initiatives/jardins-du-quartier/evaluation/preuves/?type=photo")
    expect(small.get_by_role("heading", name="Atelier de semis")).to_be_visible()
    expect(small.get_by_role("img", name="Atelier de semis")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.goto(page.base_url + "/initiatives/jardins-du-quartier/evaluation/preuves/")
    expect(small.get_by_text("Ici on se parle.")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.close()
    assert no_overflow(page)
