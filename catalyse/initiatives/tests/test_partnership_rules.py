import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalyse.accounts.models import AuditEntry
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.initiatives import services
from catalyse.initiatives.models import Partnership, Role

D = datetime.date


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Régie de quartier")


def add(initiative, org, role=Role.PARTENAIRE, joined=None, left=None):
    return services.partnership_add(initiative=initiative, organisation=org, role=role, joined_on=joined,
                                    left_on=left)


def test_leaving_before_joining_is_refused(carried, partner):
    with pytest.raises(ValidationError, match="départ"):
        add(carried, partner, joined=D(2022, 5, 1), left=D(2022, 4, 1))


def test_leaving_the_day_of_joining_is_allowed(carried, partner):
    assert add(carried, partner, joined=D(2022, 5, 1), left=D(2022, 5, 1)).pk


def test_overlapping_periods_with_the_same_role_are_refused(carried, partner):
    add(carried, partner, joined=D(2020, 1, 1), left=D(2021, 1, 1))
    with pytest.raises(ValidationError, match="chevauche"):
        add(carried, partner, joined=D(2020, 6, 1), left=D(2020, 9, 1))


def test_an_open_period_overlaps_everything_after_its_start(carried, partner):
    add(carried, partner, joined=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        add(carried, partner, joined=D(2030, 1, 1))


def test_a_period_without_start_overlaps_everything_before_its_end(carried, partner):
    add(carried, partner, left=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        add(carried, partner, joined=D(2019, 1, 1), left=D(2019, 6, 1))


def test_the_same_organisation_may_hold_two_roles_at_once(carried, partner):
    add(carried, partner, role=Role.FINANCEUR, joined=D(2020, 1, 1))
    assert add(carried, partner, role=Role.EVALUATEUR, joined=D(2020, 1, 1)).pk


def test_a_partnership_can_end_and_restart_as_a_new_row(carried, partner):
    first = add(carried, partner, joined=D(2019, 1, 1))
    services.partnership_end(first, left_on=D(2020, 1, 1))
    again = add(carried, partner, joined=D(2020, 1, 1))
    assert again.pk != first.pk
    assert Partnership.objects.filter(initiative=carried, organisation=partner).count() == 2


def test_ending_a_period_cannot_make_it_overlap_the_next_one(carried, partner):
    first = add(carried, partner, joined=D(2019, 1, 1), left=D(2019, 12, 31))
    add(carried, partner, joined=D(2020, 6, 1))
    with pytest.raises(ValidationError):
        services.partnership_end(first, left_on=D(2020, 12, 31))


def test_ending_before_joining_is_refused(carried, partner):
    p = add(carried, partner, joined=D(2021, 1, 1))
    with pytest.raises(ValidationError):
        services.partnership_end(p, left_on=D(2020, 1, 1))


def test_the_database_refuses_a_reversed_period_too(carried, partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(initiative=carried, organisation=partner, joined_on=D(2021, 1, 1),
                                   left_on=D(2020, 1, 1))


def test_partners_added_together_are_all_added_or_none(client, carried, owner, partner):
    """The partners page posts several rows at once: one refused row leaves none of the others behind."""
    client.force_login(owner)
    response = client.post(reverse("initiatives:partners", args=[carried.slug]), {
        "partner_org": [partner.pk, partner.pk], "partner_role": [Role.FINANCEUR, Role.FINANCEUR],
        "partner_joined": ["2020-01-01", "2021-01-01"]})
    assert response.status_code == 200 and "chevauche" in response.content.decode()
    assert not Partnership.objects.filter(organisation=partner).exists()


def test_partnership_changes_are_audited(carried, partner, owner):
    partnership = add(carried, partner, joined=D(2020, 1, 1))
    services.partnership_end(partnership, left_on=D(2021, 1, 1))
    entries = AuditEntry.objects.filter(object_id=str(partnership.pk)).order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].changes["organisation"] == "Régie de quartier"
    assert entries[1].changes == {"left_on": [None, "2021-01-01"]}
