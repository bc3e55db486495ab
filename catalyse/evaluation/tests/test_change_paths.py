"""Change paths: boundary partners, progress markers at three levels, the outcome journal and the marker status
rules (the latest entry wins; nothing observed is `not_yet`), and expected vs observed over time."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalyse.actors.tests.factories import OrganisationFactory
from catalyse.evaluation import queries_change, services_change
from catalyse.evaluation.models import Evidence, EvidenceKind
from catalyse.initiatives.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db
D = dt.date
MARKERS = [("expect", "Le bailleur participe aux réunions de quartier"),
           ("like", "Le bailleur ouvre un local commun"),
           ("love", "Le bailleur co-finance la conciergerie")]


@pytest.fixture
def path(initiative):
    return services_change.change_path_create(
        initiative=initiative, organisation=OrganisationFactory(name="Bailleur social du quartier"),
        outcome_challenge="Le bailleur fait des habitants des partenaires de la gestion du quartier.",
        markers=MARKERS)


def observe(path, marker, on, status, **fields):
    return services_change.journal_entry_create(path=path, marker=marker, observed_on=on, status=status,
                                                observed_change=fields.pop("change", "Observé."), **fields)


def test_a_path_names_an_organisation_or_a_free_text_actor(initiative, path):
    free = services_change.change_path_create(initiative=initiative, actor_name="Les commerçants du marché",
                                              outcome_challenge="Ils achètent aux producteurs du territoire.")
    assert path.actor == "Bailleur social du quartier" and free.actor == "Les commerçants du marché"
    assert [m.level for m in path.markers.all()] == ["expect", "like", "love"]
    with pytest.raises(ValidationError) as error:
        services_change.change_path_create(initiative=initiative, outcome_challenge="Sans acteur.")
    assert "organisation" in error.value.message_dict


def test_a_marker_without_journal_entry_is_not_yet_reached(path):
    assert set(queries_change.marker_statuses(path.markers.all(), []).values()) == {"not_yet"}


def test_a_markers_current_status_is_its_latest_entrys_even_when_it_says_less(path):
    expect = path.markers.get(level="expect")
    observe(path, expect, D(2024, 3, 1), "partly")
    observe(path, expect, D(2024, 9, 1), "fully")
    observe(path, expect, D(2025, 2, 1), "partly", change="Le bailleur ne vient plus qu'une fois sur deux.")
    # Recorded later but observed earlier: does not override the latest observation.
    observe(path, expect, D(2024, 6, 1), "not_yet")
    assert queries_change.marker_status(expect) == "partly"
    assert queries_change.marker_status(expect, on=D(2024, 12, 31)) == "fully"
    assert queries_change.marker_status(expect, on=D(2024, 7, 1)) == "not_yet"
    assert queries_change.marker_status(expect, on=D(2024, 1, 1)) == "not_yet"


def test_two_entries_of_the_same_day_the_one_recorded_last_wins(path):
    like = path.markers.get(level="like")
    observe(path, like, D(2024, 3, 1), "fully")
    observe(path, like, D(2024, 3, 1), "partly")
    assert queries_change.marker_status(like) == "partly"


def test_an_entry_needs_a_status_with_a_marker_and_none_without(path):
    expect = path.markers.get(level="expect")
    with pytest.raises(ValidationError) as error:
        observe(path, expect, D(2024, 3, 1), "")
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError):
        observe(path, None, D(2024, 3, 1), "fully")
    unexpected = observe(path, None, D(2024, 3, 1), "", change="Le bailleur recrute un médiateur.")
    assert unexpected.marker is None


def test_an_entry_refuses_the_future_another_paths_marker_and_foreign_evidence(initiative, path):
    other = services_change.change_path_create(initiative=initiative, actor_name="La mairie",
                                               outcome_challenge="Elle associe les habitants.",
                                               markers=[("expect", "Elle invite")])
    with pytest.raises(ValidationError) as error:
        observe(path, other.markers.get(), D(2024, 3, 1), "fully")
    assert "marker" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        observe(path, path.markers.first(), dt.date.today() + dt.timedelta(days=2), "fully")
    assert "observed_on" in error.value.message_dict
    foreign = Evidence.objects.create(initiative=InitiativeFactory(), kind=EvidenceKind.LINK, title="Ailleurs")
    with pytest.raises(ValidationError) as error:
        observe(path, path.markers.first(), D(2024, 3, 1), "fully", evidence=[foreign])
    assert "evidence" in error.value.message_dict


def test_an_entry_keeps_its_evidence_contribution_and_who_confirmed_it(initiative, path, org):
    proof = Evidence.objects.create(initiative=initiative, kind=EvidenceKind.DOCUMENT, title="Compte rendu")
    entry = observe(path, path.markers.first(), D(2024, 3, 1), "fully", evidence=[proof],
                    significance="Première présence en dix ans.", contribution="L'alliance a porté l'invitation.",
                    confirmed_by=org, confirmed_by_role="chargée de mission")
    assert list(entry.evidence.all()) == [proof]
    assert entry.confirmed_by == org and entry.confirmed_by_role == "chargée de mission"


def test_expected_vs_observed_gives_each_markers_status_at_the_end_of_each_year(path):
    expect, like, _love = path.markers.all()
    observe(path, expect, D(2023, 5, 1), "partly")
    observe(path, expect, D(2024, 5, 1), "fully")
    observe(path, like, D(2025, 1, 15), "partly")
    timeline = queries_change.path_timeline(path, D(2025, 6, 30))
    assert timeline.dates == [D(2023, 12, 31), D(2024, 12, 31), D(2025, 6, 30)]
    assert [row.statuses for row in timeline.rows] == [["partly", "fully", "fully"],
                                                       ["not_yet", "not_yet", "partly"],
                                                       ["not_yet", "not_yet", "not_yet"]]


def test_level_counts_say_how_many_markers_each_level_reached(path, member):
    expect, like, _love = path.markers.all()
    observe(path, expect, D(2024, 5, 1), "fully")
    observe(path, like, D(2024, 5, 1), "partly")
    paths = queries_change.change_paths_visible(member, path.initiative)
    counts = {c.level: (c.total, c.fully, c.partly, c.not_yet)
              for c in queries_change.level_counts(paths[0].markers_list, paths[0].status)}
    assert counts == {"expect": (1, 1, 0, 0), "like": (1, 0, 1, 0), "love": (1, 0, 0, 1)}
