"""The revision snapshot, diff and restore read a model's fields: any model can keep revisions. Shown here on
organisations, which keep none today (choices, a date, a foreign key and a many-to-many relation)."""

import datetime

import pytest

from catalyse.actors.models import Organisation, Trade
from catalyse.actors.services import organisation_update
from catalyse.actors.tests.factories import commune
from catalyse.core.revisions import RevisedFields

pytestmark = pytest.mark.django_db

ORGANISATION = RevisedFields(Organisation, {"name": "Nom", "scope": "Périmètre", "joined_on": "Adhésion",
                                            "head_office": "Siège", "trades": "Métiers"})


def test_any_model_is_snapshotted_shown_compared_and_restored(org):
    trade = Trade.objects.first()
    organisation_update(org, scope="local", joined_on=datetime.date(2020, 1, 2), head_office=commune("62528"),
                        trades=[])
    before = ORGANISATION.snapshot(org)
    assert before["joined_on"] == "2020-01-02" and before["trades"] == []
    organisation_update(org, name="Nouveau nom", scope="national", joined_on=None, trades=[trade])
    after = ORGANISATION.snapshot(org)

    assert dict(ORGANISATION.display(before))["Siège"] == str(commune("62528"))
    changes = dict(ORGANISATION.diff(before, after))
    assert set(changes) == {"Nom", "Périmètre", "Adhésion", "Métiers"}
    assert "<ins>Réseau</ins>" in changes["Périmètre"] and f"<ins>{trade}</ins>" in changes["Métiers"]

    organisation_update(org, **ORGANISATION.fields_of(before))
    org.refresh_from_db()
    assert ORGANISATION.snapshot(org) == before
