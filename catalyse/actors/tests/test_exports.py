import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from catalyse.actors.exports import ORGANISATIONS
from catalyse.actors.models import Competence, Trade
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.core.exports import REGISTRY

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx", "json", "geojson", "jsonld", "gogocarto"]
COLUMNS = [c.name for c in ORGANISATIONS.columns]


def download(client, fmt: str, query: str = "") -> bytes:
    response = client.get(f"/organisations/export.{fmt}{query}")
    assert response.status_code == 200, fmt
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(client, query: str = "") -> list[dict]:
    text = download(client, "csv", query).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def secret(directory):
    """Every organisation has a contact email: none may leak into any export."""
    for i, org in enumerate(directory):
        org.email = f"contact-secret-{i}@exemple.fr"
        org.save()
    return directory


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_ever_contains_the_contact_email(client, secret, fmt):
    body = download(client, fmt)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        body = json.dumps([list(row) for row in sheet.iter_rows(values_only=True)]).encode()
    assert b"contact-secret" not in body and b"exemple.fr" not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_never_contain_unpublished_organisations_for_the_public(client, directory, pending_org, fmt):
    assert pending_org.slug.encode() not in download(client, fmt)


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson", "jsonld", "gogocarto"])
def test_exports_are_streamed(client, directory, fmt):
    assert isinstance(client.get(f"/organisations/export.{fmt}"), StreamingHttpResponse)


def test_csv_has_one_documented_column_per_field_and_follows_the_filters(client, directory):
    rows = csv_rows(client, "?profil=interet_general")
    assert list(rows[0]) == COLUMNS
    assert sorted(r["nom"] for r in rows) == ["Bêta Solidarités", "Épsilon Tiers-lieu"]
    epsilon = next(r for r in rows if r["nom"] == "Épsilon Tiers-lieu")
    assert epsilon["metiers"] == "Accompagnement | Gestion d'un lieu"
    assert epsilon["siege_code_insee"] == "59350" and epsilon["region"] == "32" and epsilon["catalyseur"] == "oui"
    assert epsilon["url"] == f"http://testserver/organisations/{directory[4].slug}/"
    assert len(csv_rows(client)) == len(directory)


def test_spreadsheet_formulas_are_neutralised(client, db):
    OrganisationFactory(name="=HYPERLINK(\"http://mal.example\")", legal_form="@SUM(A1)")
    row = csv_rows(client)[0]
    assert row["nom"].startswith("'=") and row["forme_juridique"] == "'@SUM(A1)"
    sheet = load_workbook(io.BytesIO(download(client, "xlsx"))).active
    name_cell = sheet.cell(row=2, column=COLUMNS.index("nom") + 1)
    assert name_cell.data_type == "s" and name_cell.value.startswith("'=")


def test_xlsx_holds_the_same_rows_as_the_csv(client, directory):
    sheet = load_workbook(io.BytesIO(download(client, "xlsx", "?region=11")), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert sorted(r[COLUMNS.index("nom")] for r in rows[1:]) == ["Bêta Solidarités", "Zêta Réseau"]


def test_json_is_an_array_of_records_with_lists(client, directory):
    directory[1].competences.set(Competence.objects.filter(code="coworking"))
    data = json.loads(download(client, "json", "?q=beta"))
    assert len(data) == 1 and list(data[0]) == COLUMNS
    assert data[0]["metiers"] == ["Dialogue territorial", "Accompagnement"]
    assert data[0]["competences"] == ["Gérer un espace de coworking"]
    assert data[0]["latitude"] == pytest.approx(48.86, abs=0.1)


def test_geojson_has_a_point_per_located_organisation(client, directory):
    OrganisationFactory(name="Sans adresse", head_office=None)
    data = json.loads(download(client, "geojson"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(directory)  # the organisation without a position is left out
    loos = next(f for f in data["features"] if f["properties"]["nom"] == "Alliance de Loos")
    longitude, latitude = loos["geometry"]["coordinates"]
    assert loos["geometry"]["type"] == "Point" and 50 < latitude < 51 and 2 < longitude < 3


def test_json_ld_is_a_schema_org_item_list_of_organizations(client, directory):
    data = json.loads(download(client, "jsonld", "?tri=nom"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "ItemList"
    items = data["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(directory) + 1))
    assert items[0]["item"]["@type"] == "Organization" and items[0]["item"]["name"] == "Alliance de Loos"
    assert items[0]["item"]["knowsAbout"] == ["Dialogue territorial"]


def test_gogocarto_elements_have_name_position_address_and_categories(client, directory):
    data = json.loads(download(client, "gogocarto", "?q=loos"))
    assert data["ontology"] == "gogofull" and "etalab" in data["licence"]
    element = data["data"][0]
    assert element["id"] == directory[0].slug and element["name"] == "Alliance de Loos"
    assert set(element["geo"]) == {"latitude", "longitude"}
    assert element["address"]["addressLocality"] == "Loos-en-Gohelle" and element["address"]["addressCountry"] == "FR"
    assert element["categories"] == ["Acteur public (collectivité, institution)", "Dialogue territorial"]


def test_unknown_export_format_is_a_404(client, db):
    assert client.get("/organisations/export.pdf").status_code == 404


def test_export_queries_do_not_grow_with_the_number_of_rows(client, db, django_assert_max_num_queries):
    trades = list(Trade.objects.all())
    for i in range(30):
        OrganisationFactory(name=f"Organisation {i}").trades.set(trades[: i % 4])
    with django_assert_max_num_queries(12):
        assert len(json.loads(download(client, "json"))) == 30


def test_open_data_page_documents_every_field_format_and_the_licence(client, db):
    html = client.get("/donnees/").content.decode()
    assert "Licence Ouverte / Etalab 2.0" in html
    for export in REGISTRY.values():
        for column in export.columns:
            assert f"<code>{column.name}</code>" in html, column.name
    for fmt in FORMATS:
        assert f'href="/organisations/export.{fmt}"' in html
    assert "courriel de contact des organisations n&#x27;est jamais exporté" in html


def test_descriptions_are_exported_as_plain_text(client, db):
    OrganisationFactory(name="Texte", description="Les **habitants** & les *élus* <b>ensemble</b>\n\n- un lieu")
    OrganisationFactory(name="Prose", description="Une phrase sans mise en forme, à Loos-en-Gohelle.")
    rows = {r["nom"]: r["description"] for r in csv_rows(client)}
    assert rows["Texte"].split() == ["Les", "habitants", "&", "les", "élus", "ensemble", "un", "lieu"]
    assert rows["Prose"] == "Une phrase sans mise en forme, à Loos-en-Gohelle."
