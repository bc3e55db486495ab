"""GET /api/v1/initiatives/{slug}/iati.xml and GET /api/v1/evaluation/iati.xml: schema-valid documents of what the
caller may see, 404 (never an invalid empty document) when they may see nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from catalyse.evaluation import services
from catalyse.evaluation.models import EvidenceKind
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory

from . import test_iati
from .conftest import approved, make_indicator
from .test_iati import assert_valid

schema = test_iati.schema  # the official schema's fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def xml(response) -> etree._Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(b"".join(response.streaming_content))


@pytest.fixture
def evaluated(initiative):
    public = make_indicator(initiative, name="Indicateur publié", is_public=True, sdg_target="11.3")
    make_indicator(initiative, name="Indicateur interne")
    approved(public, dt.date(2024, 1, 5), value=4)
    document = services.evidence_create(
        initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Compte rendu", is_public=True,
        file=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 compte rendu"), indicators=[public])
    return document


def test_an_initiatives_iati_document_is_valid_and_holds_what_the_caller_sees(client, schema, initiative, evaluated,
                                                                             member):
    document = xml(_as(client, None).get(f"/api/v1/initiatives/{initiative.slug}/iati.xml"))
    assert_valid(schema, document)
    titles = {t.text for t in document.iterfind(".//indicator/title/narrative")}
    assert titles == {"Indicateur publié"}
    link = document.find(".//indicator/document-link")
    assert link.get("url") == "http://testserver" + evaluated.file.url  # the permission-checked download
    assert _as(client, None).get(evaluated.file.url).status_code == 200
    document = xml(_as(client, member).get(f"/api/v1/initiatives/{initiative.slug}/iati.xml"))
    assert_valid(schema, document)
    assert {t.text for t in document.iterfind(".//indicator/title/narrative")} == {"Indicateur publié",
                                                                                    "Indicateur interne"}


def test_an_invisible_initiative_is_404(client, initiative, outsider):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    assert _as(client, outsider).get(f"/api/v1/initiatives/{initiative.slug}/iati.xml").status_code == 404
    assert _as(client, None).get("/api/v1/initiatives/nulle-part/iati.xml").status_code == 404


def test_a_selection_writes_the_visible_initiatives_only(client, schema, initiative, evaluated, outsider):
    hidden = InitiativeFactory(slug="cachee", visibility=Visibility.PARTNERS)
    make_indicator(hidden, name="Indicateur caché", is_public=True)
    other = InitiativeFactory(slug="autre")
    make_indicator(other, name="Autre indicateur", is_public=True)
    response = _as(client, outsider).get(f"/api/v1/evaluation/iati.xml?initiatives={initiative.slug},cachee,autre")
    document = xml(response)
    assert_valid(schema, document)
    identifiers = [a.findtext("iati-identifier") for a in document.iterfind("iati-activity")]
    assert identifiers == ["CATALYSE-alliance-evaluee", "CATALYSE-autre"]
    # Without a selection: the visible initiatives with visible indicators.
    document = xml(client.get("/api/v1/evaluation/iati.xml"))
    assert_valid(schema, document)
    assert len(document.findall("iati-activity")) == 2
    assert client.get("/api/v1/evaluation/iati.xml?initiatives=cachee").status_code == 404
