import pytest
from django.core.cache import cache

from catalyse.actors.models import Profile, PublicationStatus, Scope, Trade
from catalyse.actors.tests.factories import OrganisationFactory, commune


@pytest.fixture(autouse=True)
def empty_cache():
    """Visitors' facet counts and map grids are cached: each test starts from an empty cache."""
    cache.clear()


# name, profile, scope, head office (INSEE), trades, catalyst
DIRECTORY = [
    ("Alliance de Loos", Profile.PUBLIC_ACTOR, Scope.LOCAL, "62528", ["dialogue-territorial"], True),
    ("Bêta Solidarités", Profile.GENERAL_INTEREST, Scope.LOCAL, "75056", ["dialogue-territorial", "accompagnement"],
     True),
    ("Gamma Coopérative", Profile.COMPANY, Scope.NATIONAL, "69123", ["gestion-lieu"], False),
    ("Delta Université", Profile.ACADEMIC, Scope.LOCAL, "97411", ["experimentations-collectives"], True),
    ("Épsilon Tiers-lieu", Profile.GENERAL_INTEREST, Scope.LOCAL, "59350", ["accompagnement", "gestion-lieu"], True),
    ("Zêta Réseau", Profile.SUPPORT, Scope.NATIONAL, "75056", [], False),
]


@pytest.fixture
def directory(db):
    """Six published organisations of varied profiles, trades, scopes and régions (overseas included)."""
    trades = {t.code: t for t in Trade.objects.all()}
    orgs = []
    for name, profile, scope, office, trade_codes, catalyst in DIRECTORY:
        org = OrganisationFactory(name=name, profile=profile, scope=scope, head_office=commune(office),
                                  is_catalyst=catalyst)
        org.trades.set([trades[c] for c in trade_codes])
        orgs.append(org)
    return orgs


@pytest.fixture
def pending_org(db, outsider):
    """Proposed by someone else, waiting for moderation: nobody but its author and animators sees it."""
    from catalyse.accounts.tests.factories import UserFactory

    return OrganisationFactory(name="Organisation en attente", status=PublicationStatus.PENDING,
                               created_by=UserFactory(), email="secret@exemple.fr")
