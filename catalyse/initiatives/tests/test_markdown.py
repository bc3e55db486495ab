from django.test import Client

from catalyse.initiatives import services

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '<a href="https://exemple.fr" onclick="alert(1)">lien</a>',
    "<iframe src='https://exemple.fr'></iframe>",
]


def test_script_injection_in_the_recit_stays_inert(carried, owner):
    services.initiative_update(carried, author=owner, recit="## Le besoin\n\n" + "\n\n".join(ATTACKS))
    body = Client().get(f"/initiatives/{carried.slug}/").content.decode()
    story = body[body.index('id="recit"'):body.index('id="partenaires"')]
    assert "<h2>Le besoin</h2>" in story
    for needle in ("<script", "onerror", "javascript:", "onclick", "<iframe"):
        assert needle not in story


def test_preview_renders_markdown_through_the_sanitiser_without_saving(carried, owner):
    client = Client()
    client.force_login(owner)
    response = client.post(f"/initiatives/{carried.slug}/modifier/", {
        "title": carried.title, "summary": carried.summary, "recit": "**gras** <script>alert(1)</script>",
        "stage": carried.stage, "status": carried.status, "visibility": carried.visibility,
        "version": carried.version, "preview": "1",
    })
    body = response.content.decode()
    assert response.status_code == 200 and "<strong>gras</strong>" in body
    assert "<script>alert(1)</script>" not in body
    carried.refresh_from_db()
    assert carried.recit == ""


def test_sheet_description_is_sanitised_too(carried, owner):
    sheet = services.sheet_create(initiative=carried, author=owner, title="Fiche", objective="o",
                                  description="<script>alert(1)</script>*ok*")
    body = Client().get(sheet.get_absolute_url()).content.decode()
    assert "<em>ok</em>" in body and "<script>alert(1)" not in body
