"""Fears, attractions and temptations turned into precautions, objectives or rules; sense-making sessions whose
disagreements stay their own records; and co-validation of the part-2 items that concern a partner."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalyse.actors.tests.factories import MembershipFactory, OrganisationFactory
from catalyse.core import permissions
from catalyse.evaluation import publication, queries_change, services, services_change
from catalyse.evaluation.models import Becomes, JournalEntry, ReasonCategory
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import make_indicator

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def partner_b(initiative):
    organisation = OrganisationFactory(name="Partenaire B")
    PartnershipFactory(initiative=initiative, organisation=organisation)
    return organisation


@pytest.fixture
def b_person(partner_b):
    return MembershipFactory(organisation=partner_b).user


def test_a_fear_becomes_a_precaution_with_a_link_to_it(initiative, org, member):
    fear = services_change.fat_item_create(initiative=initiative, organisation=org, kind="fear",
                                           text="Que la plus grosse structure décide seule.", created_by=member)
    services_change.fat_item_transform(fear, becomes=Becomes.PRECAUTION,
                                       rule_text="Chaque décision engageante passe en comité à l'unanimité.")
    fear.refresh_from_db()
    assert fear.becomes == "precaution" and fear.rule.kind == "precaution"
    assert list(fear.rule.fat_items.all()) == [fear]


def test_an_attraction_becomes_an_objective_of_the_same_initiative_only(initiative, org):
    attraction = services_change.fat_item_create(initiative=initiative, organisation=org, kind="attraction",
                                                 text="Apprendre des autres communes.")
    objective = services.objective_create(initiative=initiative, title="Partager les pratiques")
    services_change.fat_item_transform(attraction, becomes=Becomes.OBJECTIVE, objective=objective)
    assert attraction.objective == objective
    elsewhere = services.objective_create(initiative=InitiativeFactory(), title="Ailleurs")
    with pytest.raises(ValidationError):
        services_change.fat_item_transform(attraction, becomes=Becomes.OBJECTIVE, objective=elsewhere)


def test_in_the_mirror_an_item_speaks_for_another_partner_and_concerns_both(initiative, org, partner_b):
    mirror = services_change.fat_item_create(initiative=initiative, organisation=org, about=partner_b,
                                             kind="temptation", text="Garder les contacts des entreprises pour soi.")
    assert set(mirror.concerned_organisations()) == {org, partner_b}
    with pytest.raises(ValidationError) as error:
        services_change.fat_item_create(initiative=initiative, organisation=org, about=org, kind="fear", text="x")
    assert "about" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services_change.fat_item_create(initiative=initiative, organisation=OrganisationFactory(), kind="fear",
                                        text="x")
    assert "organisation" in error.value.message_dict


def test_a_session_keeps_its_disagreement_apart_and_links_the_versions_it_caused(initiative, org, partner_b):
    indicator = make_indicator(initiative)
    services.indicator_update(indicator, targets=[{"date": "2024-01-31", "value": 40}],
                              reason_category=ReasonCategory.ADAPTIVE, reason_text="Décidé en séance.")
    version = indicator.versions.get(number=2)
    session = services_change.session_create(
        initiative=initiative, held_on=D(2024, 2, 1), title="Revue annuelle", participants=[org, partner_b],
        indicators=[indicator], summary="Les parcours avancent moins vite que prévu.",
        disagreements=[{"subject": "Faut-il compter les contrats courts ?",
                        "positions": "Porteur : oui, ils comptent.\nPartenaire B : non, seuls les durables.",
                        "organisations": [org, partner_b]}],
        decisions=[{"text": "Ramener la cible à 40.", "follow_up": "Revoir en juin.", "indicator_versions": [version]}])
    disagreement = session.disagreements.get()
    assert "contrats courts" not in session.summary  # never merged into the consensus
    assert set(disagreement.organisations.all()) == {org, partner_b}
    assert list(version.decisions.all()) == [session.decisions.get()]
    assert set(session.concerned_organisations()) == {org, partner_b}
    with pytest.raises(ValidationError):
        services_change.session_create(initiative=initiative, held_on=D(2024, 2, 1), title="Revue",
                                       participants=[OrganisationFactory()])


def test_a_decision_from_another_initiatives_version_is_refused(initiative):
    other = make_indicator(InitiativeFactory())
    session = services_change.session_create(initiative=initiative, held_on=D(2024, 2, 1), title="Revue")
    with pytest.raises(ValidationError):
        services_change.decision_add(session=session, text="x", indicator_versions=[other.versions.get()])


def test_a_journal_entry_about_partner_b_stays_unpublished_until_b_approves(initiative, member, partner_b,
                                                                             b_person, outsider):
    path = services_change.change_path_create(initiative=initiative, organisation=partner_b,
                                              outcome_challenge="B accueille des stagiaires du quartier.",
                                              markers=[("expect", "B reçoit un premier stagiaire")])
    entry = services_change.journal_entry_create(path=path, marker=path.markers.get(), observed_on=D(2024, 5, 1),
                                                 status="fully", observed_change="Un premier stagiaire reçu.")
    assert path.concerns == partner_b and entry.concerns == partner_b
    publication.publication_request(member, path)
    publication.publication_request(member, entry)

    def seen() -> bool:
        return permissions.visible_queryset(outsider, JournalEntry.objects.filter(pk=entry.pk)).exists()

    assert not seen()
    publication.publication_approve(b_person, path)
    assert not seen()  # the path is published, the entry still waits for B
    publication.publication_approve(b_person, entry)
    assert seen()
    assert [p.pk for p in queries_change.change_paths_visible(outsider, initiative)] == [path.pk]


def test_a_decisions_follow_up_is_done_after_its_session(initiative):
    session = services_change.session_create(initiative=initiative, held_on=D(2024, 2, 1), title="Revue",
                                             decisions=[{"text": "Revoir la cible.", "due_on": D(2024, 6, 30)}])
    decision = session.decisions.get()
    with pytest.raises(ValidationError):
        services_change.decision_done(decision, done_on=D(2024, 1, 15))
    assert services_change.decision_done(decision, done_on=D(2024, 5, 2)).done_on == D(2024, 5, 2)
