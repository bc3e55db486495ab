import pytest
from django.core.management import call_command

from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus
from catalyse.observatory.importers import detect_layout, parse_value
from catalyse.observatory.models import Aggregation, IndicatorValue, ValueStatus
from catalyse.territories.models import Kind, Level, Territory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _run(tmp_path, content: str | bytes, encoding="utf-8", **options) -> ImportRun:
    path = tmp_path / "data.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    run = ImportRun.objects.create(kind="indicators", format="csv", file_name="data.csv", options=options)
    return import_run(run, path)


def _values(indicator, level=Level.COMMUNE):
    return {(t, y): (v, s) for t, y, v, s in IndicatorValue.objects.filter(indicator=indicator, level=level)
            .values_list("territory__code", "year", "value", "status")}


@pytest.fixture
def rate():
    return IndicatorFactory(code="chomage", kind=Aggregation.RATE)


def test_year_column_semicolons_decimal_comma_windows_1252_and_markers(tmp_path, rate):
    csv = ("CODGEO;LIBGEO;an;taux\n62528;Loos-en-Gohelle;2021;12,5\n62510;Liévin;2021;s\n"
           "62041;Arras;2021;nd\n59350;Lille;2021;\n62193;Calais;2021;NA\n")
    run = _run(tmp_path, csv, encoding="cp1252", indicator="chomage")
    assert run.status == ImportStatus.DONE and run.created == 5 and run.errors == 0
    values = _values(rate)
    assert values[("62528", 2021)] == (12.5, ValueStatus.OK)
    assert values[("62510", 2021)] == (None, ValueStatus.SECRET)
    assert values[("62041", 2021)] == (None, ValueStatus.MISSING)
    assert values[("59350", 2021)] == (None, ValueStatus.MISSING)
    # Aggregated: the département of Loos has its (computed) rate.
    dep = IndicatorValue.objects.get(indicator=rate, territory__level=Level.DEPARTEMENT, territory__code="62")
    assert dep.computed and dep.value == pytest.approx(12.5)


def test_one_column_per_year_with_commas_and_decimal_points(tmp_path, rate):
    run = _run(tmp_path, "codgeo,libgeo,tx_2019,tx_2020\n62528,Loos,10.0,11.5\n", indicator="chomage")
    assert run.status == ImportStatus.DONE and run.created == 2
    assert _values(rate)[("62528", 2020)] == (11.5, ValueStatus.OK)


def test_single_value_column_with_the_year_option(tmp_path, rate):
    run = _run(tmp_path, "codgeo;valeur\n62528;3,2\n", indicator="chomage", year=2018)
    assert run.status == ImportStatus.DONE and _values(rate)[("62528", 2018)] == (3.2, ValueStatus.OK)


def test_row_errors_are_reported_and_the_rest_imported(tmp_path, rate):
    run = _run(tmp_path, "codgeo;an;v\n99999;2021;1\n62528;2021;beaucoup\n62510;20x1;2\n62041;2021;4\n",
               indicator="chomage")
    assert run.status == ImportStatus.DONE and run.created == 1 and run.errors == 3
    reasons = " ".join(e["reason"] for e in run.error_sample)
    assert "Code inconnu" in reasons and "Valeur illisible" in reasons and "Année illisible" in reasons


def test_reimporting_is_idempotent_and_a_changed_value_updates(tmp_path, rate):
    _run(tmp_path, "codgeo;an;v\n62528;2021;1\n62510;2021;2\n", indicator="chomage")
    again = _run(tmp_path, "codgeo;an;v\n62528;2021;1\n62510;2021;3\n", indicator="chomage")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert IndicatorValue.objects.filter(indicator=rate, level=Level.COMMUNE).count() == 2


def test_a_former_commune_maps_to_its_current_commune(tmp_path, rate):
    former = Territory.objects.filter(level=Level.COMMUNE, kind=Kind.DELEGATED, parent_commune__isnull=False) \
        .exclude(code__in=Territory.objects.filter(level=Level.COMMUNE, kind=Kind.CURRENT).values("code")).first()
    run = _run(tmp_path, f"codgeo;an;v\n{former.code};2021;7\n", indicator="chomage")
    assert run.created == 1 and run.warnings == 1
    assert _values(rate)[(former.parent_commune.code, 2021)] == (7.0, ValueStatus.OK)


def test_unknown_indicator_and_missing_code_column_fail_the_whole_file(tmp_path, rate):
    assert _run(tmp_path, "codgeo;an;v\n62528;2021;1\n", indicator="nope").status == ImportStatus.FAILED
    failed = _run(tmp_path, "commune;an;v\n62528;2021;1\n", indicator="chomage")
    assert failed.status == ImportStatus.FAILED and "codgeo" in failed.message


def test_the_command(tmp_path, rate, capsys):
    path = tmp_path / "f.csv"
    path.write_text("CODGEO;2021\n62528;4,0\n", encoding="utf-8")
    call_command("import_indicators", str(path), "--indicator", "chomage", "--level", "commune")
    assert "1 valeurs créées" in capsys.readouterr().out
    call_command("import_indicators", str(path), "--indicator", "chomage")
    assert "1 inchangées" in capsys.readouterr().out


def test_layout_and_value_parsing():
    assert detect_layout(["codgeo", "libgeo", "2019", "2020"]).values == {"2019": 2019, "2020": 2020}
    assert detect_layout(["CODGEO_2023", "an", "taux"]).year == "an"
    assert parse_value("1 234,5") == (1234.5, ValueStatus.OK)
    assert parse_value(" S ") == (None, ValueStatus.SECRET)


@pytest.mark.parametrize("seed", [0])
def test_any_separator_decimal_and_encoding_gives_the_same_values(tmp_path, rate, seed):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(sep=st.sampled_from([";", ","]), comma=st.booleans(), encoding=st.sampled_from(["utf-8", "cp1252"]),
           value=st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False))
    def check(sep, comma, encoding, value):
        text = f"{value:.2f}"
        if comma:
            text = text.replace(".", ",")
            text = f'"{text}"' if sep == "," else text
        csv = f"codgeo{sep}libgeo{sep}an{sep}valeur\n62528{sep}Évin-Malmaison{sep}2021{sep}{text}\n"
        run = _run(tmp_path, csv, encoding=encoding, indicator="chomage")
        assert run.status == ImportStatus.DONE and run.errors == 0
        assert _values(rate)[("62528", 2021)][0] == pytest.approx(float(value))

    check()
