import pytest
from django.core.management import call_command

from catalyse.actors.models import Competence, Trade
from catalyse.initiatives.models import Sdg, Theme


@pytest.mark.django_db(transaction=True)
def test_trades_themes_and_sdgs_come_back_after_a_flush(territories):
    call_command("flush", interactive=False, verbosity=0)
    assert Trade.objects.count() == 4 and Competence.objects.count() == 16
    assert Sdg.objects.count() == 17
    assert Theme.objects.filter(code="emploi").exists()
