"""The mobilisation log: its rules, and the timeline computations against hand-computed cases.

The story (log origin 2023-01-01): A joins on day one, leaves on 2024-06-30 and comes back on 2025-03-01; B is
invited, joins on 2023-02-01, and its coordinator (a person, not the organisation) leaves on 2024-01-31; C was
in from the start and leaves on 2023-09-30; D only has engagement levels."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalyse.actors.models import Profile
from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.evaluation import queries_partnership as q
from catalyse.evaluation import services_partnership as s
from catalyse.evaluation.models import EngagementLevel, EventKind, MobilisationEvent
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def partners(initiative):
    orgs = {
        "A": OrganisationFactory(name="A", profile=Profile.GENERAL_INTEREST),
        "B": OrganisationFactory(name="B", profile=Profile.COMPANY),
        "C": OrganisationFactory(name="C", profile=Profile.PUBLIC_ACTOR),
        "D": OrganisationFactory(name="D", profile=Profile.GENERAL_INTEREST),
    }
    for org in orgs.values():
        PartnershipFactory(initiative=initiative, organisation=org)
    return orgs


def _event(initiative, org, kind, day, **fields):
    return s.mobilisation_event_create(initiative=initiative, organisation=org, kind=kind, happened_on=day,
                                       **fields)


@pytest.fixture
def story(initiative, partners):
    a, b, c = partners["A"], partners["B"], partners["C"]
    _event(initiative, a, EventKind.JOINED, D(2023, 1, 1))
    _event(initiative, a, EventKind.LEFT, D(2024, 6, 30), reason="Fin de son financement")
    _event(initiative, a, EventKind.RETURNED, D(2025, 3, 1), reason="Nouveau projet commun")
    _event(initiative, b, EventKind.INVITED, D(2023, 1, 15))
    _event(initiative, b, EventKind.JOINED, D(2023, 2, 1), role=Role.PARTENAIRE)
    _event(initiative, b, EventKind.LEFT, D(2024, 1, 31), subject="person", person_function="coordinatrice",
           reason="Départ en retraite")
    _event(initiative, c, EventKind.LEFT, D(2023, 9, 30), reason="Changement de direction")
    return _lanes(initiative)


def _lanes(initiative):
    events = MobilisationEvent.objects.filter(initiative=initiative).select_related("concerns")
    levels = EngagementLevel.objects.filter(initiative=initiative).select_related("concerns")
    return q.mobilisation_lanes(events, levels, origin=D(2023, 1, 1))


def test_lanes_have_one_row_per_partner_with_its_intervals(story):
    assert [lane.name for lane in story] == ["A", "B", "C"]
    a, b, c = story
    assert a.intervals == [(D(2023, 1, 1), D(2024, 6, 30)), (D(2025, 3, 1), None)]
    assert b.intervals == [(D(2023, 2, 1), None)]  # the person leaving does not take the organisation away
    assert c.intervals == [(D(2023, 1, 1), D(2023, 9, 30))]  # in from the start of the log
    assert [e.kind for e in b.events] == ["invited", "joined", "left"]


def test_presence_excludes_the_day_of_leaving(story):
    a = story[0]
    assert a.present_on(D(2024, 6, 29)) and not a.present_on(D(2024, 6, 30))
    assert not a.present_on(D(2025, 2, 28)) and a.present_on(D(2025, 3, 1))


def test_turnover_per_year_by_hand(story):
    t2023, t2024, t2025 = q.turnover_by_year(story, [2023, 2024, 2025])
    # 2023: A and C on 1 Jan, A and B on 31 Dec; C left; A and B joined → 1 / 2
    assert (t2023.present_at_start, t2023.present_at_end, t2023.arrivals, t2023.departures) == (2, 2, 2, 1)
    assert t2023.rate == 0.5
    # 2024: A and B, then only B; A left → 1 / 1.5
    assert (t2024.present_at_start, t2024.present_at_end, t2024.arrivals, t2024.departures) == (2, 1, 0, 1)
    assert t2024.rate == pytest.approx(2 / 3)
    # 2025: B, then A and B; A came back, nobody left
    assert (t2025.present_at_start, t2025.present_at_end, t2025.arrivals, t2025.departures, t2025.rate) == \
        (1, 2, 1, 0, 0.0)


def test_who_left_and_why_lists_organisations_and_people(story):
    rows = [(e.concerns.name, e.subject, e.reason) for e in q.departures(story)]
    assert rows == [("C", "organisation", "Changement de direction"),
                    ("B", "person", "Départ en retraite"),
                    ("A", "organisation", "Fin de son financement")]


def test_engaged_partners_per_period_by_profile(initiative, partners):
    year = {2023: (D(2023, 1, 1), D(2023, 12, 31)), 2024: (D(2024, 1, 1), D(2024, 12, 31))}
    for name, y, level in [("A", 2023, 5), ("B", 2023, 3), ("C", 2023, 2), ("A", 2024, 4), ("B", 2024, 4),
                           ("D", 2024, 3)]:
        s.engagement_level_set(initiative=initiative, organisation=partners[name], period_start=year[y][0],
                               period_end=year[y][1], level=level)
    profiles = {org.pk: org.profile for org in partners.values()}
    p2023, p2024 = q.engagement_by_period(EngagementLevel.objects.filter(initiative=initiative), profiles)

    assert (p2023.partners, p2023.engaged, p2023.profiles) == (3, 2, 2)
    assert p2023.by_level == {1: 0, 2: 1, 3: 1, 4: 0, 5: 1}
    assert p2023.engaged_by_profile == {"entreprise": 1, "interet_general": 1}
    assert p2023.diversity == pytest.approx(0.5)  # 1 − (½² + ½²)
    assert p2024.engaged_by_profile == {"entreprise": 1, "interet_general": 2}
    assert p2024.diversity == pytest.approx(4 / 9)  # 1 − ((2/3)² + (1/3)²)


def test_same_period_replaces_and_overlap_is_refused(initiative, partners):
    a = partners["A"]
    s.engagement_level_set(initiative=initiative, organisation=a, period_start="2023-01-01",
                           period_end="2023-12-31", level=2)
    s.engagement_level_set(initiative=initiative, organisation=a, period_start="2023-01-01",
                           period_end="2023-12-31", level=4)
    assert list(EngagementLevel.objects.values_list("level", flat=True)) == [4]
    with pytest.raises(ValidationError, match="chevauche"):
        s.engagement_level_set(initiative=initiative, organisation=a, period_start="2023-06-01",
                               period_end="2024-03-31", level=3)
    for bad in (0, 6, "beaucoup"):
        with pytest.raises(ValidationError):
            s.engagement_level_set(initiative=initiative, organisation=a, period_start="2024-01-01",
                                   period_end="2024-12-31", level=bad)


@pytest.mark.parametrize("kinds", [["joined", "joined"], ["returned"], ["joined", "returned"],
                                   ["left", "left"], ["joined", "invited"]])
def test_impossible_histories_are_refused(kinds):
    with pytest.raises(ValidationError):
        s.mobilisation_sequence_check(kinds)


@pytest.mark.parametrize("kinds", [["invited", "joined", "role_changed", "left", "returned"], ["left", "returned"],
                                   ["role_changed", "left"]])
def test_possible_histories_pass(kinds):
    s.mobilisation_sequence_check(kinds)


def test_an_event_dated_before_the_history_must_fit_it(initiative, partners):
    _event(initiative, partners["A"], EventKind.JOINED, D(2023, 1, 1))
    with pytest.raises(ValidationError, match="historique"):
        _event(initiative, partners["A"], EventKind.LEFT, D(2022, 12, 1), reason="Erreur de saisie")


def test_leaving_needs_a_reason_a_person_a_function_a_role_change_a_role(initiative, partners):
    a = partners["A"]
    with pytest.raises(ValidationError, match="motif"):
        _event(initiative, a, EventKind.LEFT, D(2023, 5, 1))
    with pytest.raises(ValidationError, match="fonction"):
        _event(initiative, a, EventKind.JOINED, D(2023, 5, 1), subject="person")
    with pytest.raises(ValidationError, match="rôle"):
        _event(initiative, a, EventKind.ROLE_CHANGED, D(2023, 5, 1), reason="Nouvelle convention")


def test_an_organisation_that_is_no_partner_is_refused(initiative):
    with pytest.raises(ValidationError, match="partenaire"):
        _event(initiative, OrganisationFactory(), EventKind.JOINED, D(2023, 5, 1))
