"""The Markdown editor: a toolbar and a live preview rendered (and sanitised) by the server."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from catalyse.accounts.tests.factories import UserFactory


def test_preview_renders_and_sanitises_markdown(client, db):
    response = client.post("/apercu-markdown/", {"text": "**gras** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<strong>gras</strong>" in response.text and "<script" not in response.text


def test_preview_refuses_get_csrf_less_posts_and_huge_texts(client, db):
    assert client.get("/apercu-markdown/").status_code == 405
    assert Client(enforce_csrf_checks=True).post("/apercu-markdown/", {"text": "x"}).status_code == 403
    response = client.post("/apercu-markdown/", {"text": "x" * 200_001})
    assert response.status_code == 400 and "trop long" in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_recit_editor_has_a_toolbar_and_a_live_preview(page, axe):
    client = Client()
    client.force_login(UserFactory(email_verified=True))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    page.goto(page.base_url + "/initiatives/nouvelle/")
    toolbar = page.get_by_role("toolbar", name="Mise en forme du texte")
    expect(toolbar.get_by_role("button", name="Gras")).to_be_visible()
    axe(page)
    page.get_by_role("textbox", name="Récit (Markdown)").focus()  # the editor's input carries the field's label
    page.keyboard.type("Un jardin ")
    toolbar.get_by_role("button", name="Gras").click()
    page.keyboard.type("partagé")
    toolbar.get_by_role("button", name="Aperçu en direct").click()
    preview = page.locator(".editor-preview-side")
    expect(preview.locator("strong")).to_have_text("partagé")
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" et *ouvert*")
    expect(preview.locator("em")).to_have_text("ouvert")
    assert page.locator("textarea#id_recit").input_value() == "Un jardin **partagé** et *ouvert*"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
