import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalyse.actors.models import PublicationStatus
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives.models import Initiative, Partnership, Role, Theme
from catalyse.resources.models import Resource


@pytest.fixture
def signed_in(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.mark.usefixtures("browse_path")  # SQL and search-index paths
def test_list_and_detail_pages_render(carried, client):
    assert carried.title in client.get("/initiatives/").content.decode()
    body = client.get(f"/initiatives/{carried.slug}/").content.decode()
    assert "Porteur" in body and "Alliance d&#x27;essai" in body


def test_visitor_is_sent_to_sign_in_before_creating(client, db):
    assert client.get("/initiatives/nouvelle/").status_code == 302


def test_member_creates_an_initiative_with_two_partners_and_it_waits_for_moderation(signed_in, org):
    other = OrganisationFactory(name="Communauté d'agglomération")
    response = signed_in.post("/initiatives/nouvelle/", {
        "title": "Alliance pour le dépistage visuel", "summary": "Dépister tôt les troubles de la vue des enfants.",
        "recit": "## Le besoin\nDes enfants mal dépistés.", "stage": "experimentation", "status": "active",
        "visibility": "public", "territories": ["commune:62528", "departement:62"],
        "themes": [Theme.objects.get(code="sante").pk], "sdgs": ["3", "10"],
        "partner_org": [org.pk, other.pk], "partner_role": ["porteur", "financeur"],
        "partner_joined": ["2022-01-10", ""],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get(title="Alliance pour le dépistage visuel")
    assert initiative.publication == PublicationStatus.PENDING
    assert sorted(initiative.partnerships.values_list("role", flat=True)) == ["financeur", "porteur"]
    assert initiative.territories.count() == 2 and initiative.revisions.count() == 1


def test_invalid_create_form_keeps_the_chosen_partners(signed_in, org):
    response = signed_in.post("/initiatives/nouvelle/", {"title": "", "partner_org": [org.pk],
                                                         "partner_role": ["porteur"], "partner_joined": [""]})
    assert response.status_code == 200
    assert f'name="partner_org" value="{org.pk}"' in response.content.decode()


def test_unknown_partner_or_territory_is_a_form_error_not_a_crash(signed_in):
    response = signed_in.post("/initiatives/nouvelle/", {
        "title": "T", "summary": "S", "stage": "emergence", "status": "active", "visibility": "public",
        "territories": ["commune:00000"], "partner_org": ["999999"], "partner_role": ["porteur"],
        "partner_joined": [""]})
    body = response.content.decode()
    assert response.status_code == 200 and "Territoire inconnu" in body and "Organisation introuvable" in body


def test_partners_page_adds_ends_and_refuses_overlap(signed_in, carried):
    other = OrganisationFactory(name="Fondation d'entreprise")
    url = f"/initiatives/{carried.slug}/partenaires/"
    row = {"partner_org": [other.pk], "partner_role": ["financeur"], "partner_joined": ["2020-01-01"]}
    assert signed_in.post(url, row).status_code == 302
    partnership = Partnership.objects.get(organisation=other)
    signed_in.post(f"{url}{partnership.pk}/fin/", {"left_on": "2021-01-01"})
    partnership.refresh_from_db()
    assert str(partnership.left_on) == "2021-01-01"
    response = signed_in.post(url, row | {"partner_joined": ["2020-06-01"]})
    assert response.status_code == 200 and "chevauche" in response.content.decode()
    assert signed_in.post(url, row | {"partner_joined": ["2021-01-01"]}).status_code == 302  # comes back


def test_only_editors_reach_the_partners_page(carried, member, outsider):
    for user in (member, outsider):
        client = Client()
        client.force_login(user)
        assert client.get(f"/initiatives/{carried.slug}/partenaires/").status_code == 403


def test_link_and_document_resources(signed_in, carried, client):
    """The initiative's "Ajouter une ressource" leads to the library's form with the initiative as owner."""
    page = signed_in.get(f"/initiatives/{carried.slug}/").content.decode()
    url = f"/ressources/ajouter/?initiative={carried.slug}"
    assert url in page
    owner = {"owner": f"initiative:{carried.pk}", "visibility": "public"}
    assert signed_in.post(url, {**owner, "resource_type": "video", "title": "Reportage",
                                "url": "https://video.exemple.fr/1"}).status_code == 302
    pdf = SimpleUploadedFile("bilan.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert signed_in.post(url, {**owner, "resource_type": "publication", "title": "Bilan", "file": pdf}
                          ).status_code == 302
    fake = SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = signed_in.post(url, {**owner, "resource_type": "publication", "title": "Faux", "file": fake})
    assert response.status_code == 200 and not Resource.objects.filter(title="Faux").exists()
    assert signed_in.post(url, {**owner, "resource_type": "guide", "title": "Sans adresse"}).status_code == 200
    body = client.get("/ressources/").content.decode()
    assert "Reportage" in body and "Bilan" in body
    assert "Reportage" in client.get(f"/initiatives/{carried.slug}/").content.decode()


def test_practice_sheet_create_show_and_edit(signed_in, carried):
    response = signed_in.post(f"/initiatives/{carried.slug}/fiches/nouvelle/", {
        "title": "Cadre logique et démarche pas à pas", "territory": ["epci:200033579"],
        "objective": "Suivre l'accès à l'emploi", "actors_involved": "Collectivité, entreprises",
        "description": "Deux outils combinés.", "next_step": "Essaimer", "tools_used": "Cadre logique"})
    assert response.status_code == 302
    sheet = carried.sheets.get()
    assert sheet.territory.code == "200033579"
    assert "Suivre l&#x27;accès à l&#x27;emploi" in Client().get(sheet.get_absolute_url()).content.decode()


def test_a_sheet_has_one_territory(signed_in, carried):
    response = signed_in.post(f"/initiatives/{carried.slug}/fiches/nouvelle/", {
        "title": "F", "objective": "O", "territory": ["commune:62528", "departement:62"]})
    assert response.status_code == 200 and "un seul territoire" in response.content.decode()


@pytest.fixture
def search_index(settings, tmp_path):
    from catalyse.search.backends.tantivy_backend import _indexes
    from catalyse.search.outbox import index_rebuild

    settings.CATALYSE_SEARCH_BACKEND = "tantivy"
    settings.CATALYSE_SEARCH_INDEX_DIR = tmp_path / "index"
    _indexes.clear()
    yield index_rebuild
    _indexes.clear()


def test_the_page_and_the_api_list_the_same_similar_initiatives(carried, client, search_index):
    import re

    from .factories import InitiativeFactory

    emploi = Theme.objects.get(code="emploi")
    carried.themes.set([emploi])
    for title in ("Cousine", "Voisine", "Lointaine"):
        InitiativeFactory(title=title).themes.set([emploi] if title != "Lointaine" else [])
    search_index()
    body = client.get(f"/initiatives/{carried.slug}/").content.decode()
    similar = body[body.index('id="similaires"'):]
    on_page = re.findall(r'<li><a href="([^"]+)">', similar[:similar.index("</ul>")])
    api = client.get(f"/api/v1/search/similar/initiative/{carried.pk}").json()
    assert on_page and on_page == [hit["url"] for hit in api]
    assert "thèmes communs : Emploi" in similar


def test_organisation_initiatives_include_lists_visible_ones(carried, partners_only, org, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("initiatives/_organisation_initiatives.html", {"organisation": org}, request=request)
    assert carried.title in html and partners_only.title not in html


def test_editor_role_comes_from_carrying_the_initiative(carried, owner, org):
    from catalyse.core import permissions

    assert permissions.can_edit(owner, carried)
    carried.partnerships.update(role=Role.PARTENAIRE)
    assert not permissions.can_edit(owner, carried)


def test_an_initiative_called_nouvelle_does_not_hide_the_creation_form(animator, client):
    from catalyse.initiatives import services

    initiative = services.initiative_create(created_by=animator, title="Nouvelle", summary="s")
    assert initiative.slug != "nouvelle"
    assert client.get(initiative.get_absolute_url()).status_code == 200


def test_an_initiative_page_runs_as_many_queries_however_many_initiatives_resemble_it(carried, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import InitiativeFactory

    emploi = Theme.objects.get(code="emploi")
    carried.themes.set([emploi])

    def queries_of_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(carried.get_absolute_url()).status_code == 200
        return len(captured)

    InitiativeFactory().themes.set([emploi])
    few = queries_of_the_page()
    for _ in range(30):
        InitiativeFactory().themes.set([emploi])
    assert queries_of_the_page() == few
