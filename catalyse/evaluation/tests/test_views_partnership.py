"""The mobilisation and maturity pages: who sees and writes, forms that keep what was typed, publication buttons."""

import pytest

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.evaluation import publication
from catalyse.evaluation import services_partnership as s
from catalyse.evaluation.models import EngagementLevel, MaturityResponse, MaturityWave, MobilisationEvent
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
MOB = "/initiatives/alliance-evaluee/evaluation/mobilisation/"
MAT = "/initiatives/alliance-evaluee/evaluation/maturite/"


@pytest.fixture
def partner_b(initiative):
    org = OrganisationFactory(name="Partenaire B")
    PartnershipFactory(initiative=initiative, organisation=org)
    return org


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", [MOB, MAT])
def test_pages_show_to_whoever_sees_the_initiative_and_forms_only_to_partners(client, initiative, member,
                                                                              outsider, url):
    page = _as(client, None).get(url)
    assert page.status_code == 200 and b'name="form"' not in page.content
    assert b'name="form"' not in _as(client, outsider).get(url).content
    assert b'name="form"' in _as(client, member).get(url).content


@pytest.mark.parametrize("url", [MOB, MAT])
def test_a_partners_only_initiative_is_unknown_to_others(client, initiative, outsider, url):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    assert _as(client, None).get(url).status_code == 404
    assert _as(client, outsider).get(url).status_code == 404


def test_an_outsider_cannot_post(client, initiative, outsider, partner_b):
    response = _as(client, outsider).post(MOB, {"form": "event", "event-organisation": partner_b.pk,
                                                "event-kind": "joined", "event-happened_on": "2024-01-01",
                                                "event-subject": "organisation"})
    assert response.status_code == 403 and not MobilisationEvent.objects.exists()


def test_a_partner_logs_an_event_and_a_level(client, initiative, member, partner_b):
    response = _as(client, member).post(MOB, {
        "form": "event", "event-organisation": partner_b.pk, "event-kind": "joined",
        "event-happened_on": "2023-02-01", "event-subject": "organisation"})
    assert response.status_code == 302 and MobilisationEvent.objects.get().concerns == partner_b
    response = client.post(MOB, {"form": "level", "level-organisation": partner_b.pk,
                                 "level-period_start": "2023-01-01", "level-period_end": "2023-12-31",
                                 "level-level": "4", "level-people": "2"})
    assert response.status_code == 302 and EngagementLevel.objects.get().level == 4
    page = client.get(MOB).content.decode()
    assert "Partenaire B" in page and "chart-lanes" in page and "Demander la publication" in page


def test_a_departure_without_reason_shows_a_french_error_and_keeps_the_input(client, initiative, member, partner_b):
    response = _as(client, member).post(MOB, {
        "form": "event", "event-organisation": partner_b.pk, "event-kind": "left",
        "event-happened_on": "2024-06-30", "event-subject": "person", "event-person_function": "trésorière"})
    assert response.status_code == 200 and not MobilisationEvent.objects.exists()
    page = response.content.decode()
    assert "Donnez le motif de ce changement." in page and 'value="trésorière"' in page


def test_publication_buttons_follow_co_validation(client, initiative, member, partner_b, animator):
    event = s.mobilisation_event_create(initiative=initiative, organisation=partner_b, kind="joined",
                                        happened_on="2023-02-01")
    url = f"/initiatives/alliance-evaluee/evaluation/publication/evenement/{event.pk}/"
    _as(client, member).post(url, {"action": "request"})
    event.refresh_from_db()
    assert publication.status(event).state == "requested"
    page = client.get(MOB).content.decode()
    assert "accord de : Partenaire B" in page
    assert _as(client, member).post(url, {"action": "approve"}).status_code == 403

    _as(client, animator).post(url, {"action": "approve"})  # no reason: refused with a message
    event.refresh_from_db()
    assert not event.is_public
    b_person = MembershipFactory(organisation=partner_b).user
    assert "Approuver la publication" in _as(client, b_person).get(MOB).content.decode()
    client.post(url, {"action": "approve"})
    event.refresh_from_db()
    assert event.is_public and "Arrivée" in _as(client, None).get(MOB).content.decode()


def test_a_partner_opens_a_wave_and_records_answers(client, initiative, member, org):
    _as(client, member).post(MAT, {"form": "wave", "title": "Vague 2024", "held_on": "2024-03-01"})
    wave = MaturityWave.objects.get()
    data = {"form": f"response-{wave.pk}", f"vague{wave.pk}-organisation": org.pk,
            f"vague{wave.pk}-respondent": "directrice"}
    data |= {f"vague{wave.pk}-axis_{axis['code']}": "2" for axis in wave.axes}
    assert client.post(MAT, data).status_code == 302
    data[f"vague{wave.pk}-axis_confiance"] = "4"
    client.post(MAT, data)
    assert MaturityResponse.objects.count() == 2
    page = client.get(MAT).content.decode()
    assert "chart-band" in page and "non : désaccord" in page


def test_a_response_missing_an_axis_keeps_the_others(client, initiative, member, org):
    wave = s.maturity_wave_open(initiative=initiative, title="Vague", held_on="2024-03-01")
    data = {"form": f"response-{wave.pk}", f"vague{wave.pk}-organisation": org.pk,
            f"vague{wave.pk}-respondent": "animateur", f"vague{wave.pk}-axis_confiance": "3"}
    response = _as(client, member).post(MAT, data)
    assert response.status_code == 200 and not MaturityResponse.objects.exists()
    assert 'value="animateur"' in response.content.decode()
    assert "Ce champ est obligatoire." in response.content.decode()


def test_a_partner_attaches_evidence_from_the_library(client, initiative, member, partner_b):
    from catalyse.evaluation.models import Evidence

    minutes = Evidence.objects.create(initiative=initiative, kind="document", title="Compte rendu du comité")
    assert "Compte rendu du comité" in _as(client, member).get(MOB).content.decode()  # offered in the form
    client.post(MOB, {"form": "event", "event-organisation": partner_b.pk, "event-kind": "joined",
                      "event-happened_on": "2023-02-01", "event-subject": "organisation",
                      "event-evidence": [minutes.pk]})
    assert list(MobilisationEvent.objects.get().evidence.all()) == [minutes]
    assert "Preuves : Compte rendu du comité" in client.get(MOB).content.decode()


QUESTIONNAIRE = "/initiatives/alliance-evaluee/evaluation/maturite/questionnaire/"


def test_partners_adapt_the_questionnaire_for_the_next_waves(client, initiative, member):
    from catalyse.evaluation import queries_partnership as q

    wave = s.maturity_wave_open(initiative=initiative, title="Vague", held_on="2024-03-01")
    page = _as(client, member).get(QUESTIONNAIRE).content.decode()
    assert "Connaissance mutuelle\n- Nous connaissons à peine" in page
    text = ("Confiance\n- On se méfie\n- On se parle\n- On se fie\n\nÉcoute\r\n- Rare\r\n- Fréquente\n\n"
            "Projets communs\n- Aucun\n- Quelques-uns\n- Beaucoup")
    assert client.post(QUESTIONNAIRE, {"text": text}).status_code == 302
    axes = q.questionnaire_axes(initiative)
    assert [(a["code"], a["label"], len(a["levels"])) for a in axes] == [
        ("confiance", "Confiance", 3), ("ecoute", "Écoute", 2), ("projets-communs", "Projets communs", 3)]
    assert axes[0]["levels"][0] == "On se méfie"
    wave.refresh_from_db()
    assert len(wave.axes) == 6  # a wave keeps the questions it was asked


def test_a_questionnaire_too_short_is_refused_and_the_text_kept(client, initiative, member):
    response = _as(client, member).post(QUESTIONNAIRE, {"text": "Confiance\n- Peu\n- Beaucoup"})
    assert response.status_code == 200 and "Entre 3 et 12 axes." in response.content.decode()
    assert "Confiance\n- Peu" in response.content.decode()


def test_only_partners_adapt_the_questionnaire(client, initiative, outsider):
    assert _as(client, None).get(QUESTIONNAIRE).status_code == 302
    assert _as(client, outsider).get(QUESTIONNAIRE).status_code == 403
