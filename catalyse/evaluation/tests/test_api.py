"""The evaluation API: contract paths and fields, 422 for bad input, and who sees and does what.

People: `member` and `owner` belong to the carrying organisation (partners), `lead` leads the evaluation,
`outsider` is a network member who is no partner, `rival` is a partner of another initiative only."""

import datetime as dt

import pytest

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Indicator, MeasurementStatus
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import PartnershipFactory

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
NEW = {
    "name": "Repas servis", "definition": "Repas servis à l'épicerie solidaire.",
    "computation": "Somme des tickets de caisse du mois.", "unit": "repas", "cumulation": "cumulative",
    "baseline": {"date": "2024-01-01", "value": 0},
    "targets": [{"date": "2025-12-31", "value": 2400}, {"date": "2024-12-31", "value": 1000}], "key": True,
}


@pytest.fixture
def rival(db):
    membership = MembershipFactory()
    PartnershipFactory(organisation=membership.organisation)
    return membership.user


@pytest.fixture
def framework(initiative):
    """A published indicator with an approved and a draft measurement; a private indicator; a public objective."""
    public = make_indicator(initiative, name="Indicateur publié", is_public=True)
    private = make_indicator(initiative, name="Indicateur interne")
    services.objective_create(initiative=initiative, title="Objectif publié", is_public=True)
    services.objective_create(initiative=initiative, title="Objectif interne")
    return {
        "public": public, "private": private,
        "approved": approved(public, D(2024, 1, 5), value=4),
        "draft": services.measurement_create(indicator=public, period_start=D(2024, 1, 6), period_end=D(2024, 1, 9),
                                             value=9),
    }


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_partner_creates_an_indicator_with_the_contract_fields(client, initiative, member):
    response = _post(_as(client, member), "/api/v1/initiatives/alliance-evaluee/indicators", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["key"] is True and body["cumulation"] == "cumulative"
    assert body["baseline"] == {"date": "2024-01-01", "value": 0}
    assert body["targets"] == [{"date": "2024-12-31", "value": 1000}, {"date": "2025-12-31", "value": 2400}]


@pytest.mark.parametrize("change", [
    {"computation": ""},
    {"targets": []},
    {"targets": [{"date": "2024-12-31", "value": "N/A"}]},
    {"measure": "scale", "scale_levels": ["seul"]},
    {"baseline": {"date": "2024-01-01", "value": "N/A"}},
])
def test_bad_indicators_answer_422_with_a_message(client, initiative, member, change):
    response = _post(_as(client, member), "/api/v1/initiatives/alliance-evaluee/indicators", NEW | change)
    assert response.status_code == 422 and response.json()["detail"]


def test_a_definition_change_without_reason_answers_422_and_with_one_makes_version_two(client, initiative, member):
    indicator = make_indicator(initiative)
    url = f"/api/v1/evaluation/indicators/{indicator.pk}"
    _as(client, member)
    refused = client.patch(url, {"targets": [{"date": "2024-12-31", "value": 80}]}, content_type="application/json")
    assert refused.status_code == 422 and "motif" in refused.json()["detail"]
    accepted = client.patch(url, {"targets": [{"date": "2024-12-31", "value": 80}], "name": "Nouveau nom",
                                  "reason": {"category": "budget", "text": "Budget réduit de moitié."}},
                            content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["version"] == 2
    assert accepted.json()["name"] == "Nouveau nom"
    versions = client.get(url + "/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["reason"] == {"category": "budget", "text": "Budget réduit de moitié."}
    assert versions[1]["targets"] == [{"date": "2024-12-31", "value": 80}]


def test_a_sheet_change_needs_no_reason(client, initiative, member):
    indicator = make_indicator(initiative)
    response = _as(client, member).patch(f"/api/v1/evaluation/indicators/{indicator.pk}", {"key": True},
                                         content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 1


def test_measurements_are_drafted_submitted_and_reviewed_by_the_evaluation_lead(client, initiative, member, lead):
    indicator = make_indicator(initiative)
    _as(client, member)
    created = _post(client, f"/api/v1/evaluation/indicators/{indicator.pk}/measurements", {
        "period_start": "2024-01-01", "period_end": "2024-01-05", "value": 4.5, "comment": "Premier mois",
        "disaggregations": [{"dimension": "genre", "category": "femmes", "value": 3}]})
    assert created.status_code == 201, created.content
    measurement = created.json()
    assert (measurement["status"], measurement["value"], measurement["version"]) == ("draft", 4.5, 1)
    assert measurement["disaggregations"] == [{"dimension": "genre", "category": "femmes", "value": 3.0}]
    url = f"/api/v1/evaluation/measurements/{measurement['id']}"
    assert _post(client, url + "/submit").json()["status"] == "submitted"
    assert _post(client, url + "/approve").status_code == 403  # a partner, not the lead
    _as(client, lead)
    returned = _post(client, url + "/return", {"note": "Précisez la source."})
    assert returned.json()["status"] == "returned" and returned.json()["review_note"] == "Précisez la source."
    _as(client, member)
    corrected = client.patch(url, {"value": 5, "comment": "Source : émargement"}, content_type="application/json")
    assert corrected.status_code == 200 and corrected.json()["value"] == 5
    assert _post(client, url + "/submit").json()["status"] == "submitted"
    assert client.patch(url, {"value": 6}, content_type="application/json").status_code == 422  # under review
    assert _post(_as(client, lead), url + "/approve").json()["status"] == "approved"
    progress = client.get(f"/api/v1/evaluation/indicators/{indicator.pk}/progress?on=2024-01-06").json()
    # expected 5 (half way from 0 to 10); r = 5/5 = 1
    assert progress == {"baseline": 0, "actual": 5, "expected": 5, "final_target": 50, "progress": 0.1,
                        "status": "on_track"}


@pytest.mark.parametrize("body", [
    {"period_start": "2024-01-01", "period_end": "2024-01-05", "value": "N/A"},
    {"period_start": "2024-02-01", "period_end": "2024-01-05", "value": 1},
    {"period_start": "2024-01-01", "period_end": "2024-01-05", "level": 2},
    {"period_start": "2024-01-01", "period_end": "2024-01-05", "value": 1,
     "disaggregations": [{"dimension": "genre", "category": "femmes", "value": "N/A"}]},
])
def test_bad_measurements_answer_422(client, initiative, member, body):
    indicator = make_indicator(initiative)
    response = _post(_as(client, member), f"/api/v1/evaluation/indicators/{indicator.pk}/measurements", body)
    assert response.status_code == 422 and response.json()["detail"]


def test_a_locked_period_answers_422(client, initiative, member):
    indicator = make_indicator(initiative)
    services.framework_lock(initiative=initiative, until=D(2024, 3, 31))
    response = _post(_as(client, member), f"/api/v1/evaluation/indicators/{indicator.pk}/measurements",
                     {"period_start": "2024-01-01", "period_end": "2024-01-05", "value": 1})
    assert response.status_code == 422 and "verrouillées" in response.json()["detail"]


def test_progress_counts_only_approved_measurements(client, framework):
    progress = client.get(f"/api/v1/evaluation/indicators/{framework['public'].pk}/progress?on=2024-12-31").json()
    assert progress["actual"] == 4 and progress["status"] == "behind"


def test_progress_without_data_says_so(client, initiative):
    indicator = make_indicator(initiative, is_public=True)
    progress = client.get(f"/api/v1/evaluation/indicators/{indicator.pk}/progress?on=2024-01-06").json()
    assert progress["actual"] is None and progress["progress"] is None and progress["status"] == "no_data"


# Who sees what ------------------------------------------------------------------------------------------------------

def _names(client, path):
    body = client.get(f"/api/v1/initiatives/alliance-evaluee/{path}").json()
    items = body["items"] if isinstance(body, dict) else body
    return {item.get("name") or item.get("title") for item in items}


@pytest.mark.parametrize("person", ["anonymous", "outsider", "rival"])
def test_people_outside_the_initiative_see_only_what_is_published(client, framework, person, outsider, rival):
    _as(client, {"anonymous": None, "outsider": outsider, "rival": rival}[person])
    assert _names(client, "indicators") == {"Indicateur publié"}
    assert _names(client, "objectives") == {"Objectif publié"}
    assert client.get(f"/api/v1/evaluation/indicators/{framework['private'].pk}").status_code == 404
    assert client.get(f"/api/v1/evaluation/indicators/{framework['private'].pk}/versions").status_code == 404
    assert client.get(f"/api/v1/evaluation/indicators/{framework['private'].pk}/progress").status_code == 404
    assert client.get(f"/api/v1/evaluation/indicators/{framework['public'].pk}").status_code == 200
    measurements = client.get(f"/api/v1/evaluation/indicators/{framework['public'].pk}/measurements").json()
    assert [m["status"] for m in measurements] == ["approved"]
    # a draft of a published indicator is not published: its review is not theirs to find
    draft, done = framework["draft"].pk, framework["approved"].pk
    assert _post(client, f"/api/v1/evaluation/measurements/{draft}/submit").status_code in {401, 404}
    assert _post(client, f"/api/v1/evaluation/measurements/{done}/approve").status_code in {401, 403}


@pytest.mark.parametrize("person", ["outsider", "rival"])
def test_members_outside_the_initiative_may_not_write_its_evaluation(client, framework, person, outsider, rival):
    _as(client, {"outsider": outsider, "rival": rival}[person])
    assert _post(client, "/api/v1/initiatives/alliance-evaluee/indicators", NEW).status_code == 403
    assert _post(client, "/api/v1/initiatives/alliance-evaluee/objectives", {"title": "Intrus"}).status_code == 403
    public = framework["public"].pk
    assert client.patch(f"/api/v1/evaluation/indicators/{public}", {"key": True},
                        content_type="application/json").status_code == 403
    assert _post(client, f"/api/v1/evaluation/indicators/{public}/measurements",
                 {"period_start": "2024-01-01", "period_end": "2024-01-05", "value": 1}).status_code == 403
    assert Indicator.objects.count() == 2


def test_visitors_are_asked_to_sign_in_before_writing(client, framework):
    assert _post(client, "/api/v1/initiatives/alliance-evaluee/indicators", NEW).status_code == 401


def test_partners_see_everything_of_their_initiative(client, framework, member):
    _as(client, member)
    assert _names(client, "indicators") == {"Indicateur publié", "Indicateur interne"}
    assert _names(client, "objectives") == {"Objectif publié", "Objectif interne"}
    measurements = client.get(f"/api/v1/evaluation/indicators/{framework['public'].pk}/measurements").json()
    assert [m["status"] for m in measurements] == ["approved", "draft"]


def test_published_items_of_a_partners_only_initiative_stay_hidden_from_others(client, framework, initiative,
                                                                                outsider, member):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    _as(client, outsider)
    assert client.get("/api/v1/initiatives/alliance-evaluee/indicators").status_code == 404
    assert client.get(f"/api/v1/evaluation/indicators/{framework['public'].pk}").status_code == 404
    assert _as(client, member).get(f"/api/v1/evaluation/indicators/{framework['public'].pk}").status_code == 200


def test_key_indicators_come_first_and_a_warning_shows_above_five(client, initiative, member):
    for n in range(5):
        make_indicator(initiative, name=f"A{n}")
    make_indicator(initiative, name="Z clé", key=True)
    body = _as(client, member).get("/api/v1/initiatives/alliance-evaluee/indicators").json()
    assert body["items"][0]["name"] == "Z clé" and body["warning"]


def test_an_evaluation_lead_holds_the_role_on_the_initiative(initiative, lead, member):
    from catalyse.core import permissions

    assert permissions.EVALUATION_LEAD in permissions.roles_of(lead, initiative)
    assert permissions.EVALUATION_LEAD not in permissions.roles_of(member, initiative)


def test_a_partner_objective_contributes_to_a_collective_one(client, initiative, org, member):
    _as(client, member)
    url = "/api/v1/initiatives/alliance-evaluee/objectives"
    collective = _post(client, url, {"title": "Nourrir le quartier"}).json()
    own = _post(client, url, {"title": "Ouvrir le samedi", "owner": org.slug, "contributes_to": collective["id"],
                              "contribution": "Le samedi attire les familles."})
    assert own.status_code == 201 and own.json()["contributes_to"] == collective["id"]
    assert own.json()["owner"] == org.slug and collective["owner"] is None
    from_collective = _post(client, url, {"title": "Sans porteur", "contributes_to": collective["id"],
                                          "contribution": "?"})
    assert from_collective.status_code == 422
    to_partner = _post(client, url, {"title": "Vers un partenaire", "owner": org.slug,
                                     "contributes_to": own.json()["id"], "contribution": "?"})
    assert to_partner.status_code == 422


def test_a_measurement_of_a_public_indicator_is_public_only_once_approved(framework):
    from django.contrib.auth.models import AnonymousUser

    from catalyse.core import permissions
    from catalyse.evaluation.models import Measurement

    visible = permissions.visible_queryset(AnonymousUser(), Measurement.objects.all())
    assert list(visible.values_list("status", flat=True)) == [MeasurementStatus.APPROVED]
