"""Demo data of part 2 (change paths, FAT, sense-making, SROI): at least three initiatives, idempotent, valid by
the services' own rules, with a disagreement recorded and co-validation pending on one journal entry."""

from catalyse.actors import demo as actors_demo
from catalyse.evaluation import demo as evaluation_demo
from catalyse.evaluation import demo_change as demo
from catalyse.evaluation import services_change, sroi
from catalyse.evaluation.models import (
    ChangePath,
    Disagreement,
    FatItem,
    JournalEntry,
    MarkerStatus,
    SenseMakingSession,
    SroiEstimate,
)
from catalyse.initiatives import demo as initiatives_demo


def test_demo_change_paths_sessions_and_sroi_load_idempotently(db):
    actors_demo.load()
    initiatives_demo.load()
    evaluation_demo.load()
    demo.load()
    models = (ChangePath, JournalEntry, FatItem, SenseMakingSession, Disagreement, SroiEstimate)
    counts = [m.objects.count() for m in models]
    demo.load()
    assert [m.objects.count() for m in models] == counts

    initiatives = {p.initiative_id for p in ChangePath.objects.all()}
    assert len(initiatives) >= 3
    for initiative_id in initiatives:
        assert JournalEntry.objects.filter(path__initiative_id=initiative_id).count() >= 2
        assert Disagreement.objects.filter(session__initiative_id=initiative_id).exists()
        estimate = SroiEstimate.objects.get(initiative_id=initiative_id)
        assert sroi.estimate(services_change.sroi_inputs(estimate)).ratio > 0
    for entry in JournalEntry.objects.select_related("marker"):
        assert (entry.marker is None) == (entry.status == "")
        assert entry.marker is None or entry.status in MarkerStatus.values
    # co-validation both done and pending
    assert JournalEntry.objects.filter(is_public=True).exists()
    assert JournalEntry.objects.filter(is_public=False, publication_requested_at__isnull=False).exists()
    assert FatItem.objects.exclude(rule=None).exists() and FatItem.objects.exclude(objective=None).exists()
