"""The framework (approach, tiers, leads) and the objectives tree."""

import pytest
from django.core.exceptions import ValidationError

from catalyse.accounts.models import AuditEntry
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.evaluation import services
from catalyse.evaluation.models import Approach
from catalyse.evaluation.permissions import can_review

pytestmark = pytest.mark.django_db


def test_the_framework_keeps_its_approach_tier_names_and_leads(initiative, member, outsider):
    framework = services.framework_set(initiative=initiative, approach=Approach.SMALL_STEPS,
                                       tier_names=["Chemin parcouru", "Pas suivant"], leads=[member])
    assert (framework.approach, framework.tier_names) == ("petits_pas", ["Chemin parcouru", "Pas suivant"])
    assert can_review(member, initiative) and not can_review(outsider, initiative)
    assert AuditEntry.objects.filter(object_id=str(framework.pk), action="update").exists()
    for wrong in ({"approach": "intuition"}, {"tier_names": []}, {"tier_names": ["Finalité", " "]}):
        with pytest.raises(ValidationError):
            services.framework_set(initiative=initiative, **wrong)


def test_an_objective_sits_on_an_existing_tier(initiative):
    services.framework_set(initiative=initiative, tier_names=["Finalité", "Action"])
    assert services.objective_create(initiative=initiative, title="Agir", tier=1).tier == 1
    with pytest.raises(ValidationError):
        services.objective_create(initiative=initiative, title="Trop bas", tier=2)


def test_an_objective_belongs_to_the_collective_or_to_a_partner_only(initiative, org):
    assert services.objective_create(initiative=initiative, title="Commun").is_collective
    assert services.objective_create(initiative=initiative, title="Le nôtre", owner=org).owner == org
    with pytest.raises(ValidationError):
        services.objective_create(initiative=initiative, title="D'un inconnu", owner=OrganisationFactory())


def test_a_contribution_goes_from_a_partner_objective_to_a_collective_one_with_its_narrative(initiative, org):
    collective = services.objective_create(initiative=initiative, title="Commun")
    own = services.objective_create(initiative=initiative, title="Le nôtre", owner=org, contributes_to=collective,
                                    contribution="Nos ateliers y mènent.")
    assert list(collective.contributions.all()) == [own]
    with pytest.raises(ValidationError):
        services.objective_create(initiative=initiative, title="Sans récit", owner=org, contributes_to=collective)
    with pytest.raises(ValidationError):
        services.objective_update(collective, contributes_to=collective, contribution="Boucle.")


def test_an_objective_cannot_descend_from_itself(initiative):
    top = services.objective_create(initiative=initiative, title="Finalité")
    child = services.objective_create(initiative=initiative, title="Objectif", parent=top, tier=1)
    with pytest.raises(ValidationError):
        services.objective_update(top, parent=child)
    assert services.objective_update(child, title="Objectif précisé").title == "Objectif précisé"


def test_a_definition_change_is_audited_with_its_versions(initiative):
    from .conftest import make_indicator

    indicator = make_indicator(initiative)
    services.indicator_update(indicator, direction="decrease", reason_category="other", reason_text="Erreur de sens.")
    entry = AuditEntry.objects.filter(object_id=str(indicator.pk), action="update").get()
    assert entry.changes["version"] == [1, 2] and entry.changes["definition_changed"] == ["direction"]


def test_late_collections_are_reminded_to_the_owners_people_and_the_collectives_to_the_leads(
        initiative, org, member, owner, lead, mailoutbox):
    import datetime as dt

    from .conftest import make_indicator

    make_indicator(initiative, name="Repas du partenaire", owner=org)
    make_indicator(initiative, name="Indicateur collectif")
    assert services.late_collections_remind(on=dt.date(2024, 1, 2)) == 0  # nothing due yet
    # the organisation's three people (member, owner, lead) for its indicator; the lead for the collective one
    assert services.late_collections_remind(on=dt.date(2024, 6, 1)) == 4
    bodies = {}
    for mail in mailoutbox:
        bodies.setdefault(mail.to[0], []).append(mail.body)
    assert sorted(bodies) == sorted([member.email, owner.email, lead.email])
    assert ["Repas du partenaire" in body for body in bodies[member.email]] == [True]
    assert sorted("Indicateur collectif" in body for body in bodies[lead.email]) == [False, True]
    assert "attendue depuis le 1 avril 2024" in bodies[member.email][0]


def test_the_reminder_command_queues_its_task(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("send_collection_reminders", stdout=out)
    assert out.getvalue().startswith("tâche ")
