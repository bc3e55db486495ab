"""The evaluation pages: who sees what, who reaches which form, and what the forms say about bad input.

Personas: a visitor (signed out), a member of the network who is no partner (`outsider`), a partner of another
initiative, a partner of this one (`member`), the editor of the carrying organisation (`owner`) and the
evaluation `lead`."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Framework, Indicator, Measurement, MeasurementStatus, Objective
from catalyse.initiatives.models import Visibility
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import approved, make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
SLUG = "alliance-evaluee"


def url(name, *args):
    return reverse(f"evaluation:{name}", args=[SLUG, *args])


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def other_partner(db):
    """Someone whose organisation is a partner of another initiative only."""
    membership = MembershipFactory()
    PartnershipFactory(initiative=InitiativeFactory(), organisation=membership.organisation)
    return membership.user


@pytest.fixture
def evaluation(initiative, org):
    """One published and one unpublished item of each kind; the published indicator has an approved and a
    draft measurement."""
    published_objective = services.objective_create(initiative=initiative, title="Objectif publié", is_public=True,
                                                    assumptions="Les communes restent mobilisées.")
    services.objective_create(initiative=initiative, title="Objectif interne", owner=org,
                              contributes_to=published_objective, contribution="Nos ateliers y contribuent.")
    published = make_indicator(initiative, name="Indicateur publié", is_public=True, objective=published_objective)
    make_indicator(initiative, name="Indicateur interne")
    approved(published, D(2024, 1, 21), value=27)
    services.measurement_create(indicator=published, period_start=D(2024, 1, 22), period_end=D(2024, 1, 25),
                                value="13.75")
    return published


def unpublished():
    return Indicator.objects.get(name="Indicateur interne")


# Who sees what --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["visitor", "outsider", "other_partner"])
def test_people_outside_the_alliance_see_only_published_items(request, evaluation, persona):
    user = None if persona == "visitor" else request.getfixturevalue(persona)
    page = client_for(user).get(url("overview")).content.decode()
    assert "Objectif publié" in page and "Indicateur publié" in page
    assert "Objectif interne" not in page and "Indicateur interne" not in page
    assert "Collectes en retard" not in page
    sheet = client_for(user).get(url("indicator", evaluation.pk)).content.decode()
    assert "27" in sheet and "13,75" not in sheet  # the approved measurement, not the draft
    assert client_for(user).get(url("indicator", unpublished().pk)).status_code == 404


def test_a_partner_sees_the_whole_evaluation_with_its_drafts(member, evaluation):
    page = client_for(member).get(url("overview")).content.decode()
    assert "Objectif interne" in page and "Indicateur interne" in page
    assert "Nos ateliers y contribuent." in page  # the partner's contribution narrative
    assert "Les communes restent mobilisées." in page
    assert "13,75" in client_for(member).get(url("indicator", evaluation.pk)).content.decode()


def test_the_unpublished_contribution_target_is_not_named_to_outsiders(initiative, org, outsider):
    hidden = services.objective_create(initiative=initiative, title="Cible confidentielle")
    services.objective_create(initiative=initiative, title="Objectif du partenaire", owner=org, is_public=True,
                              contributes_to=hidden, contribution="Récit.")
    page = client_for(outsider).get(url("overview")).content.decode()
    assert "Objectif du partenaire" in page and "Cible confidentielle" not in page


def test_an_initiative_for_partners_only_hides_its_evaluation(initiative, outsider, other_partner, member):
    initiative.visibility = Visibility.PARTNERS
    initiative.save()
    for user in (None, outsider, other_partner):
        assert client_for(user).get(url("overview")).status_code == 404
    assert client_for(member).get(url("overview")).status_code == 200


def test_the_initiative_page_links_to_its_evaluation(initiative):
    page = client_for().get(initiative.get_absolute_url()).content.decode()
    assert url("overview") in page


# Who reaches the forms ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["objective_create", "indicator_create"])
def test_only_partners_reach_the_forms_to_add(name, initiative, outsider, other_partner, member):
    assert client_for().get(url(name)).status_code == 302  # sign in first
    for user in (outsider, other_partner):
        assert client_for(user).get(url(name)).status_code == 403
    assert client_for(member).get(url(name)).status_code == 200


def test_edit_pages_answer_404_for_unpublished_items_and_403_for_published_ones(evaluation, outsider, other_partner,
                                                                               member):
    hidden_objective = Objective.objects.get(title="Objectif interne")
    draft = Measurement.objects.get(status=MeasurementStatus.DRAFT)
    for user in (outsider, other_partner):
        assert client_for(user).get(url("indicator_edit", unpublished().pk)).status_code == 404
        assert client_for(user).get(url("objective_edit", hidden_objective.pk)).status_code == 404
        assert client_for(user).get(url("measurement_edit", draft.pk)).status_code == 404
        assert client_for(user).get(url("indicator_edit", evaluation.pk)).status_code == 403
        assert client_for(user).get(url("measurement_create", evaluation.pk)).status_code == 403
        assert client_for(user).post(url("measurement_submit", draft.pk)).status_code == 404
    for name, pk in (("indicator_edit", unpublished().pk), ("objective_edit", hidden_objective.pk),
                     ("measurement_edit", draft.pk), ("measurement_create", evaluation.pk)):
        assert client_for(member).get(url(name, pk)).status_code == 200


def test_the_framework_is_the_initiative_editors_decision(initiative, member, owner):
    assert client_for(member).get(url("framework")).status_code == 403
    response = client_for(owner).post(url("framework"), {
        "approach": "petits_pas", "tier_names": "Le chemin parcouru\nLes pas suivants", "leads": [member.pk]})
    assert response.status_code == 302
    framework = services.framework_of(initiative)
    assert framework.approach == "petits_pas" and framework.tier_names == ["Le chemin parcouru", "Les pas suivants"]
    assert list(framework.leads.all()) == [member]
    page = client_for(member).get(url("overview")).content.decode()
    assert "Le chemin parcouru" in page and "Relecture des mesures" in page


def test_reading_the_evaluation_writes_nothing(initiative):
    assert "pas encore choisi sa démarche" in client_for().get(url("overview")).content.decode()
    assert not Framework.objects.exists()


# Review and locking ---------------------------------------------------------------------------------------------

def test_only_the_evaluation_lead_reviews(initiative, member, lead, outsider):
    indicator = make_indicator(initiative)
    measurement = services.measurement_submit(services.measurement_create(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 10), value=8))
    assert client_for(member).get(url("review")).status_code == 403
    assert client_for(outsider).get(url("review")).status_code == 403
    assert client_for(member).post(url("measurement_approve", measurement.pk)).status_code == 403
    queue = client_for(lead).get(url("review")).content.decode()
    assert "Valider" in queue and "Renvoyer avec la note" in queue
    client_for(lead).post(url("measurement_approve", measurement.pk), {"next": "queue"})
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.APPROVED and measurement.reviewed_by == lead


def test_returning_needs_a_note_which_the_author_then_reads(initiative, member, lead):
    indicator = make_indicator(initiative)
    measurement = services.measurement_submit(services.measurement_create(
        indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 10), value=8))
    response = client_for(lead).post(url("measurement_return", measurement.pk), {"note": " "}, follow=True)
    assert "Dites ce qui doit être revu." in response.content.decode()
    client_for(lead).post(url("measurement_return", measurement.pk), {"note": "Le chiffre de janvier manque."})
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.RETURNED
    page = client_for(member).get(url("measurement_edit", measurement.pk)).content.decode()
    assert "Le chiffre de janvier manque." in page


def test_a_locked_period_refuses_new_measurements_with_a_clear_message(initiative, member, lead):
    indicator = make_indicator(initiative)
    client_for(lead).post(url("review"), {"until": "2024-03-31"})
    assert services.framework_of(initiative).locked_until == D(2024, 3, 31)
    response = client_for(member).post(url("measurement_create", indicator.pk), {
        "period_start": "2024-01-01", "period_end": "2024-01-31", "value": "12"})
    assert response.status_code == 200
    assert "sont verrouillées" in response.content.decode()
    assert not indicator.measurements.exists()


# Forms: bad input is explained, nothing typed is lost -----------------------------------------------------------

INDICATOR = {
    "name": "Communes accompagnées", "unit": "communes", "impact_family": "performance", "dimension": "social",
    "frequency": "quarterly", "active": "on", "definition": "Communes signataires.",
    "computation": "Compter les conventions signées.", "measure": "number", "direction": "increase",
    "cumulation": "cumulative_latest", "baseline_value": "0", "baseline_date": "2024-01-01",
    "targets_date": ["2025-12-31", "2024-12-31", ""], "targets_value": ["40", "12,5", ""],
}


def test_a_partner_creates_an_indicator_with_its_dated_targets(initiative, member):
    response = client_for(member).post(url("indicator_create"), INDICATOR)
    indicator = Indicator.objects.get(name="Communes accompagnées")
    assert response.status_code == 302 and response["Location"] == url("indicator", indicator.pk)
    version = services.current_version(indicator)
    assert version.targets == [{"date": "2024-12-31", "value": "12.5"}, {"date": "2025-12-31", "value": "40"}]
    assert version.cumulation == "cumulative_latest"


def test_not_a_number_in_a_number_field_is_explained_and_nothing_is_lost(initiative, member):
    response = client_for(member).post(url("indicator_create"), INDICATOR | {
        "baseline_value": "N/A", "targets_value": ["40", "beaucoup", ""]})
    page = response.content.decode()
    assert response.status_code == 200 and not Indicator.objects.exists()
    assert "« N/A » n&#x27;est pas un nombre" in page
    assert "Cible 2 : « beaucoup » n&#x27;est pas un nombre" in page
    assert 'value="Communes accompagnées"' in page and 'value="beaucoup"' in page and 'value="2025-12-31"' in page


def test_a_scale_indicator_needs_its_levels(initiative, member):
    response = client_for(member).post(url("indicator_create"), INDICATOR | {
        "measure": "scale", "scale_levels": "faible", "baseline_value": "1", "targets_value": ["2", "2", ""]})
    assert "Une échelle a au moins deux niveaux" in response.content.decode()
    client_for(member).post(url("indicator_create"), INDICATOR | {
        "measure": "scale", "scale_levels": "faible\nmoyenne\nforte", "baseline_value": "1",
        "targets_value": ["3", "2", ""]})
    assert services.current_version(Indicator.objects.get()).scale_levels == ["faible", "moyenne", "forte"]


def test_adding_a_target_row_shows_the_form_again_without_errors(initiative, member):
    response = client_for(member).post(url("indicator_create"), {
        "name": "À moitié rempli", "targets_date": ["2025-01-01"], "targets_value": ["3"], "more_rows": "targets"})
    page = response.content.decode()
    assert page.count('name="targets_date"') == 3  # the filled row, the blank one, and the one asked for
    assert "Ce champ est obligatoire" not in page and 'value="À moitié rempli"' in page
    assert not Indicator.objects.exists()


def _edit_data(indicator, **changes):
    version = services.current_version(indicator)
    data = {"name": indicator.name, "unit": indicator.unit, "impact_family": indicator.impact_family,
            "dimension": indicator.dimension, "frequency": indicator.frequency, "active": "on",
            "definition": version.definition, "computation": version.computation, "measure": version.measure,
            "direction": version.direction, "cumulation": version.cumulation, "baseline_value": "0",
            "baseline_date": "2024-01-01", "targets_date": [t["date"] for t in version.targets],
            "targets_value": [t["value"] for t in version.targets]}
    return data | changes


def test_changing_the_definition_requires_the_reason_and_the_decision(initiative, member):
    indicator = make_indicator(initiative)
    data = _edit_data(indicator, computation="Compter les personnes distinctes.")
    response = client_for(member).post(url("indicator_edit", indicator.pk), data | {"reason_category": "context"})
    page = response.content.decode()
    assert response.status_code == 200 and "une nouvelle version sera créée" in page
    assert "Requis pour une nouvelle version." in page
    assert "Compter les personnes distinctes." in page  # what was typed is still there
    indicator.refresh_from_db()
    assert indicator.current_version == 1

    response = client_for(member).post(url("indicator_edit", indicator.pk), data | {
        "reason_category": "context", "reason_text": "Les doublons faussaient le total.",
        "decided_on": "2024-02-01", "participants": "Comité de pilotage du 1er février"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    version = services.current_version(indicator)
    assert (indicator.current_version, version.reason_category, version.decided_on, version.participants) == (
        2, "context", D(2024, 2, 1), "Comité de pilotage du 1er février")
    sheet = client_for(member).get(url("indicator", indicator.pk)).content.decode()
    assert "Les doublons faussaient le total." in sheet and "Changement de contexte" in sheet


def test_changing_the_sheet_only_needs_no_reason(initiative, member):
    indicator = make_indicator(initiative)
    response = client_for(member).post(url("indicator_edit", indicator.pk), _edit_data(indicator, name="Nouveau nom",
                                                                                       key="on"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.key, indicator.current_version) == ("Nouveau nom", True, 1)


def test_a_partner_records_a_measurement_with_its_disaggregations(initiative, member):
    indicator = make_indicator(initiative)
    response = client_for(member).post(url("measurement_create", indicator.pk), {
        "period_start": "2024-01-01", "period_end": "2024-01-31", "value": "12,5", "comment": "Janvier",
        "disaggregations_dimension": ["genre", "genre", ""], "disaggregations_category": ["femmes", "hommes", ""],
        "disaggregations_value": ["7", "5,5", ""]})
    assert response.status_code == 302
    measurement = indicator.measurements.get()
    assert (measurement.value, measurement.status, measurement.author) == (12.5, MeasurementStatus.DRAFT, member)
    assert [(d.category, d.value) for d in measurement.disaggregations.all()] == [("femmes", 7), ("hommes", 5.5)]
    client_for(member).post(url("measurement_submit", measurement.pk))
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.SUBMITTED


def test_not_a_number_in_a_measurement_is_explained(initiative, member):
    indicator = make_indicator(initiative)
    response = client_for(member).post(url("measurement_create", indicator.pk), {
        "period_start": "2024-01-01", "period_end": "2024-01-31", "value": "N/A",
        "disaggregations_dimension": ["genre"], "disaggregations_category": ["femmes"],
        "disaggregations_value": ["?"]})
    page = response.content.decode()
    assert "« N/A » n&#x27;est pas un nombre. Une donnée manquante ne se saisit pas" in page
    assert "Ventilation 1 : « ? » n&#x27;est pas un nombre" in page
    assert 'value="femmes"' in page and not indicator.measurements.exists()


def test_an_approved_measurement_can_no_longer_be_edited(initiative, member):
    measurement = approved(make_indicator(initiative), D(2024, 1, 21), value=27)
    response = client_for(member).post(url("measurement_edit", measurement.pk), {
        "period_start": "2024-01-01", "period_end": "2024-01-21", "value": "30"})
    assert "Seule une mesure en brouillon ou renvoyée peut être modifiée." in response.content.decode()
    measurement.refresh_from_db()
    assert measurement.value == 27


def test_an_objective_created_through_the_form_keeps_its_contribution(initiative, org, member):
    collective = services.objective_create(initiative=initiative, title="Revitaliser le centre-bourg")
    response = client_for(member).post(url("objective_create"), {
        "title": "Nos chantiers d'insertion", "tier": "1", "owner": org.pk, "contributes_to": collective.pk,
        "contribution": ""})
    assert response.status_code == 200 and "Racontez la contribution." in response.content.decode()
    client_for(member).post(url("objective_create"), {
        "title": "Nos chantiers d'insertion", "tier": "1", "owner": org.pk, "contributes_to": collective.pk,
        "contribution": "Trois chantiers rénovent des façades.", "parent": collective.pk})
    objective = Objective.objects.get(title="Nos chantiers d'insertion")
    assert (objective.owner, objective.contributes_to, objective.parent) == (org, collective, collective)


# Overview: warnings, late collections, exports ------------------------------------------------------------------

def test_more_than_five_active_indicators_show_a_warning_to_the_partners(initiative, member):
    for n in range(5):
        make_indicator(initiative, name=f"Indicateur {n}")
    assert "Trop d'indicateurs" not in client_for(member).get(url("overview")).content.decode()
    make_indicator(initiative, name="Le sixième", key=True)
    page = client_for(member).get(url("overview")).content.decode()
    assert "Trop d'indicateurs" in page and "6 indicateurs actifs" in page
    assert page.index("Le sixième") < page.index("Indicateur 0")  # key indicators first


def test_late_collections_are_listed_for_the_partners(initiative, member):
    make_indicator(initiative, name="Jamais mesuré", frequency="monthly")
    page = client_for(member).get(url("overview")).content.decode()
    assert "Collectes en retard" in page and "jamais mesuré" in page


def test_the_status_of_each_indicator_is_shown(initiative, member):
    indicator = make_indicator(initiative, is_public=True)
    approved(indicator, D(2024, 1, 21), value=27)
    page = client_for().get(url("overview")).content.decode()
    assert "54" in page and ("En retard" in page or "Dans les temps" in page or "En avance" in page)


def test_exports_hold_what_the_person_may_see(evaluation, member):
    visitor_csv = b"".join(client_for().get(url("export", "cadre", "csv")).streaming_content).decode()
    assert "Indicateur publié" in visitor_csv and "Indicateur interne" not in visitor_csv
    partner_csv = b"".join(client_for(member).get(url("export", "cadre", "csv")).streaming_content).decode()
    assert "Indicateur interne" in partner_csv
    assert client_for().get(url("export", "mesures", "xlsx")).status_code == 200
    assert client_for().get(url("export", "secret", "csv")).status_code == 404


def test_a_scale_indicator_is_measured_by_choosing_a_level(initiative, member):
    indicator = make_indicator(initiative, measure="scale", scale_levels=["faible", "moyenne", "forte"],
                               baseline_value=1, targets=[{"date": "2024-12-31", "value": 3}])
    form = client_for(member).get(url("measurement_create", indicator.pk)).content.decode()
    assert "2. moyenne" in form and 'name="value"' not in form
    client_for(member).post(url("measurement_create", indicator.pk), {
        "period_start": "2024-01-01", "period_end": "2024-03-31", "level": "2"})
    assert indicator.measurements.get().level == 2
    assert "2. moyenne" in client_for(member).get(url("indicator", indicator.pk)).content.decode()
