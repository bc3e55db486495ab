"""Derived data the observatory keeps (similarity tables, national reference, choropleth charts) follows imports:
bulk writes send no signal, so these tests fail if an import forgets to move the values' version."""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun
from catalyse.observatory import queries
from catalyse.observatory.blocks import map_block
from catalyse.observatory.models import IndicatorValue
from catalyse.territories.models import Level, Territory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _import(tmp_path, csv: str, code: str, level: str = Level.COMMUNE) -> None:
    path = tmp_path / "data.csv"
    path.write_text(csv, encoding="utf-8")
    run = ImportRun.objects.create(kind="indicators", format="csv", file_name="data.csv",
                                   options={"indicator": code, "level": level})
    assert import_run(run, path).errors == 0


def _commune(code: str) -> Territory:
    return Territory.objects.get(level=Level.COMMUNE, code=code)


def test_a_new_import_changes_the_similar_territories(tmp_path):
    IndicatorFactory(code="a"), IndicatorFactory(code="b")
    _import(tmp_path, "codgeo;an;v\n62528;2022;20\n62510;2022;20,5\n62041;2022;5\n", "a")
    _import(tmp_path, "codgeo;an;v\n62528;2022;8\n62510;2022;8,1\n62041;2022;1\n", "b")
    loos = _commune("62528")
    assert queries.similar_territories(loos, count=1)[0].territory.code == "62510"  # the table is built
    # Arras becomes Loos's twin, Liévin drifts away: same rows, values updated in place.
    _import(tmp_path, "codgeo;an;v\n62510;2022;2\n62041;2022;20\n", "a")
    _import(tmp_path, "codgeo;an;v\n62510;2022;0,5\n62041;2022;8\n", "b")
    assert queries.similar_territories(loos, count=1)[0].territory.code == "62041"


def test_a_new_import_changes_the_choropleth_and_the_national_reference(tmp_path, rf):
    IndicatorFactory(code="a")
    _import(tmp_path, "codgeo;an;v\n62528;2022;20\n62510;2022;10\n", "a")
    request = rf.get("/", {"indicateur": "a"})
    request.user = AnonymousUser()
    pas_de_calais = Territory.objects.get(level=Level.DEPARTEMENT, code="62")

    def loos_cell() -> str:
        chart = map_block(request, pas_de_calais)["chart"]
        return next(row[1] for row in chart.rows if row[0].startswith("Loos-en-Gohelle"))

    before, national_before = loos_cell(), queries._reference()[1]
    assert "20" in before
    _import(tmp_path, "codgeo;an;v\n62528;2022;31,5\n", "a")
    assert "31" in loos_cell() and loos_cell() != before
    assert queries._reference()[1] != national_before


def test_an_import_that_changes_nothing_keeps_the_cached_state(tmp_path):
    IndicatorFactory(code="a")
    csv = "codgeo;an;v\n62528;2022;20\n62510;2022;10\n"
    _import(tmp_path, csv, "a")
    state = queries.values_state()
    _import(tmp_path, csv, "a")
    assert queries.values_state() == state
    # A value saved one by one (admin, shell) moves it through the signal.
    IndicatorValue.objects.filter(territory__code="62528").first().save()
    assert queries.values_state() != state
