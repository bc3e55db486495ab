"""Demo data of part 2: three years of mobilisation with a departure and a return, two maturity waves with a
visible disagreement, co-validation shown both done and pending; idempotent."""

from catalyse.actors import demo as actors_demo
from catalyse.evaluation import demo_partnership as demo
from catalyse.evaluation import publication
from catalyse.evaluation import queries_partnership as q
from catalyse.evaluation import services_partnership as s
from catalyse.evaluation.models import (
    EngagementLevel,
    EventKind,
    EventSubject,
    MaturityResponse,
    MaturityWave,
    MobilisationEvent,
)
from catalyse.initiatives import demo as initiatives_demo
from catalyse.initiatives.models import Initiative


def test_demo_partnership_logs_load_idempotently_and_tell_the_story(db):
    actors_demo.load()
    initiatives_demo.load()
    demo.load()
    counts = [m.objects.count() for m in (MobilisationEvent, EngagementLevel, MaturityWave, MaturityResponse)]
    demo.load()
    assert [m.objects.count() for m in (MobilisationEvent, EngagementLevel, MaturityWave, MaturityResponse)] == counts

    initiatives = Initiative.objects.filter(maturity_waves__isnull=False).distinct()
    assert initiatives.count() >= 3
    for initiative in initiatives:
        events = MobilisationEvent.objects.filter(initiative=initiative).select_related("concerns")
        years = {e.happened_on.year for e in events}
        assert {2023, 2024, 2025} <= years
        assert events.filter(kind=EventKind.LEFT, subject=EventSubject.ORGANISATION).exists()
        assert events.filter(kind=EventKind.RETURNED).exists()
        for org in {e.concerns for e in events}:  # every history is a possible one
            s.mobilisation_sequence_check(list(events.filter(concerns=org, subject=EventSubject.ORGANISATION)
                                               .order_by("happened_on", "pk").values_list("kind", flat=True)))
        waves = list(MaturityWave.objects.filter(initiative=initiative).order_by("held_on"))
        assert len(waves) == 2
        first = q.wave_results(waves[0], waves[0].responses.select_related("organisation"))
        assert any(stats.consensus is False for stats in first.alliance)
        assert waves[0].is_public and publication.status(waves[1]).state == publication.State.REQUESTED

    # no names of people: functions only
    assert set(MaturityResponse.objects.values_list("respondent", flat=True)) == set(demo.RESPONDENTS)
    assert set(MobilisationEvent.objects.exclude(person_function="").values_list("person_function", flat=True)) \
        == {"coordinatrice", "coordinateur"}
