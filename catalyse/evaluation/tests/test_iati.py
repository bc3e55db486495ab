import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from lxml import etree

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import iati
from catalyse.evaluation.models import Disaggregation, Evidence, EvidenceKind, Measure, MeasurementStatus
from catalyse.initiatives.models import Initiative, Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .factories import IndicatorFactory, IndicatorVersionFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


SCHEMA_DIR = Path(iati.__file__).parent / "iati_schema"  # the official schema, shipped with the code


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def export(user, initiatives) -> etree._Element:
    return etree.fromstring(b"".join(iati.iati_export(user, initiatives, base_url="https://catalyse.example")))


def assert_valid(schema, document: etree._Element) -> None:
    assert schema.validate(document), schema.error_log.filter_from_errors()


def framework(initiative: Initiative, *, public: bool = True) -> dict:
    """An objective with a counted indicator (SDG target, evidence) and a scale indicator, each with measurements."""
    goal = ObjectiveFactory(initiative=initiative, tier=0, title="Des habitants acteurs du territoire",
                            is_public=public)
    counted = IndicatorFactory(initiative=initiative, objective=goal, name="Habitants impliqués", sdg_target="11.3",
                               is_public=public)
    version = IndicatorVersionFactory(indicator=counted, targets=[{"date": "2024-06-30", "value": "40"},
                                                                  {"date": "2025-12-31", "value": "100"}])
    approved = MeasurementFactory(version=version, value=25, status=MeasurementStatus.APPROVED)
    Disaggregation.objects.create(measurement=approved, dimension="genre", category="femmes", value=15)
    Disaggregation.objects.create(measurement=approved, dimension="genre", category="hommes", value=10)
    submitted = MeasurementFactory(version=version, value=999, status=MeasurementStatus.SUBMITTED,
                                   period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30))
    evidence = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.LINK, title="Compte rendu",
                                       url="https://exemple.org/compte-rendu", is_public=public)
    evidence.indicators.add(counted)
    scale = IndicatorFactory(initiative=initiative, name="Confiance entre partenaires", is_public=public)
    scale_version = IndicatorVersionFactory(indicator=scale, measure=Measure.SCALE,
                                            scale_levels=["Faible", "Moyenne", "Forte"], baseline_value=1,
                                            targets=[{"date": "2025-12-31", "value": "3"}])
    MeasurementFactory(version=scale_version, value=None, level=2, status=MeasurementStatus.APPROVED)
    return {"counted": counted, "submitted": submitted, "scale": scale}


def test_one_initiative_is_a_valid_iati_activity_with_its_results(schema, animator):
    initiative = InitiativeFactory(slug="jardins-partages", title="Jardins partagés")
    PartnershipFactory(initiative=initiative, role=Role.PORTEUR, organisation__name="Association des jardins")
    framework(initiative)

    document = export(animator, Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, document)
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier") == "CATALYSE-jardins-partages"
    assert activity.find("participating-org").get("role") == "2"
    result = activity.find("result")
    assert (result.get("type"), result.findtext("title/narrative")) == ("3", "Des habitants acteurs du territoire")
    indicator = result.find("indicator")
    assert (indicator.get("measure"), indicator.get("ascending")) == ("1", "true")
    assert indicator.find("reference").attrib == {"vocabulary": "9", "code": "11.3"}
    assert indicator.find("document-link").get("url") == "https://exemple.org/compte-rendu"
    assert indicator.find("baseline").attrib == {"year": "2024", "iso-date": "2024-01-01", "value": "0"}
    periods = [(p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"),
                [t.get("value") for t in p.findall("target")]) for p in indicator.findall("period")]
    assert periods == [("2024-01-01", "2024-03-31", []), ("2024-04-01", "2024-06-30", ["40"]),
                       ("2024-07-01", "2025-12-31", ["100"])]
    scale = activity.find("result[@type='9']/indicator")
    assert scale.get("measure") == "4"
    assert scale.find("period/actual").get("value") == "2"
    assert scale.findtext("period/actual/comment/narrative") == "Niveau 2 : Moyenne"


def test_only_approved_measurements_become_actuals(schema, animator):
    initiative = InitiativeFactory()
    made = framework(initiative)

    document = export(animator, Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, document)
    values = [a.get("value") for a in document.iterfind(".//indicator/period/actual")]
    assert "25" in values
    assert "999" not in values
    assert made["submitted"].status == MeasurementStatus.SUBMITTED


def test_disaggregations_are_actuals_with_their_dimension(schema, animator):
    initiative = InitiativeFactory()
    framework(initiative)

    document = export(animator, Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, document)
    parts = {(a.find("dimension").get("name"), a.find("dimension").get("value")): a.get("value")
             for a in document.iterfind(".//period/actual[dimension]")}
    assert parts == {("genre", "femmes"): "15", ("genre", "hommes"): "10"}


def test_a_selection_is_one_valid_document_read_in_chunks(schema, animator, monkeypatch):
    monkeypatch.setattr(iati, "CHUNK", 2)
    initiatives = [InitiativeFactory() for _ in range(5)]
    for initiative in initiatives[:3]:
        framework(initiative)

    chunks = list(iati.iati_export(animator, Initiative.objects.filter(pk__in=[i.pk for i in initiatives])))
    document = etree.fromstring(b"".join(chunks))

    assert_valid(schema, document)
    identifiers = [a.findtext("iati-identifier") for a in document.iterfind("iati-activity")]
    assert identifiers == [iati.iati_identifier(i) for i in sorted(initiatives, key=lambda i: i.pk)]
    assert len(chunks) > 3  # written as it goes, not as one block at the end


def test_visitor_does_not_see_a_private_indicator_nor_its_measurements(schema):
    initiative = InitiativeFactory()
    made = framework(initiative)
    made["counted"].is_public = False
    made["counted"].save()

    document = export(AnonymousUser(), Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, document)
    titles = [t.text for t in document.iterfind(".//indicator/title/narrative")]
    assert titles == ["Confiance entre partenaires"]
    assert not document.findall(".//actual[dimension]")
    assert "11.3" not in etree.tostring(document).decode()


def test_partner_sees_the_private_indicators_of_their_initiative(schema):
    initiative = InitiativeFactory()
    partner = PartnershipFactory(initiative=initiative)
    framework(initiative, public=False)
    user = MembershipFactory(organisation=partner.organisation).user

    partner_view = export(user, Initiative.objects.filter(pk=initiative.pk))
    visitor_view = export(AnonymousUser(), Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, partner_view)
    assert_valid(schema, visitor_view)
    assert len(partner_view.findall(".//indicator")) == 2
    assert visitor_view.findall(".//indicator") == []


def test_visitor_gets_no_activity_for_a_private_initiative():
    initiative = InitiativeFactory(visibility="partners")
    framework(initiative)

    document = export(AnonymousUser(), Initiative.objects.filter(pk=initiative.pk))

    assert document.findall("iati-activity") == []


def test_the_demo_frameworks_export_as_valid_iati(schema, animator):
    from catalyse.actors import demo as actors_demo
    from catalyse.evaluation import demo
    from catalyse.initiatives import demo as initiatives_demo

    actors_demo.load()
    initiatives_demo.load()
    demo.load()

    document = export(animator, Initiative.objects.filter(slug__in=demo.FRAMEWORKS))

    assert_valid(schema, document)
    assert len(document.findall("iati-activity")) == len(demo.FRAMEWORKS)
    assert document.findall(".//indicator[@ascending='false']")


def test_the_response_streams_the_document_with_absolute_evidence_links(schema, rf, animator):
    initiative = InitiativeFactory()
    made = framework(initiative)
    evidence = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Bilan",
                                       file="evaluation/2024/05/bilan.pdf", is_public=True)
    evidence.indicators.add(made["counted"])
    request = rf.get("/api/v1/initiatives/x/iati.xml")
    request.user = animator

    response = iati.iati_response(request, Initiative.objects.filter(pk=initiative.pk), filename="x.xml")

    document = etree.fromstring(b"".join(response.streaming_content))
    assert_valid(schema, document)
    assert response["Content-Type"].startswith("application/xml")
    link = document.find(".//document-link[@format='application/pdf']")
    assert link.get("url") == f"http://testserver{settings.MEDIA_URL}evaluation/2024/05/bilan.pdf"


def test_published_evidence_of_a_private_indicator_is_linked_from_the_activity_for_a_visitor(schema):
    initiative = InitiativeFactory()
    made = framework(initiative)
    made["counted"].is_public = False
    made["counted"].save()

    visitor_view = export(AnonymousUser(), Initiative.objects.filter(pk=initiative.pk))

    assert_valid(schema, visitor_view)
    assert [link.get("url") for link in visitor_view.iterfind("iati-activity/document-link")] == [
        "https://exemple.org/compte-rendu"]
    assert not visitor_view.findall(".//indicator/document-link")
