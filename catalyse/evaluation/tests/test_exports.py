import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from catalyse.evaluation.exports import evaluation_csv, evaluation_xlsx
from catalyse.evaluation.models import Disaggregation, Framework, MeasurementStatus, ReasonCategory
from catalyse.initiatives.tests.factories import InitiativeFactory

from .factories import IndicatorFactory, IndicatorVersionFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def read_csv(chunks) -> list[dict]:
    return list(csv.DictReader(io.StringIO("".join(chunks).removeprefix("\ufeff"))))


@pytest.fixture
def initiative():
    initiative = InitiativeFactory()
    Framework.objects.create(initiative=initiative, tier_names=["But", "Résultat"])
    goal = ObjectiveFactory(initiative=initiative, tier=0, title="Des habitants acteurs", is_public=True)
    ObjectiveFactory(initiative=initiative, tier=1, parent=goal, title="Un objectif sans indicateur", is_public=True)
    counted = IndicatorFactory(initiative=initiative, objective=goal, name="Habitants impliqués", is_public=True)
    first = IndicatorVersionFactory(indicator=counted)
    revised = IndicatorVersionFactory(indicator=counted, number=2, definition="Habitants signataires de la charte.",
                                      reason_category=ReasonCategory.CONTEXT, reason_text="La charte existe.",
                                      targets=[{"date": "2025-12-31", "value": "80"}])
    counted.current_version = 2
    counted.save()
    MeasurementFactory(version=first, value=12, status=MeasurementStatus.APPROVED)
    later = MeasurementFactory(version=revised, value=20, status=MeasurementStatus.APPROVED,
                               period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30))
    Disaggregation.objects.create(measurement=later, dimension="genre", category="femmes", value=11)
    Disaggregation.objects.create(measurement=later, dimension="genre", category="hommes", value=9)
    MeasurementFactory(version=revised, value=3, status=MeasurementStatus.DRAFT,
                       period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 9, 30))
    hidden = IndicatorFactory(initiative=initiative, name="=HYPERLINK(\"https://exemple.org\")", is_public=False)
    MeasurementFactory(version=IndicatorVersionFactory(indicator=hidden), value=5, status=MeasurementStatus.APPROVED)
    return initiative


def test_framework_csv_has_each_indicator_with_its_current_definition(initiative, animator):
    rows = read_csv(evaluation_csv(animator, initiative, "cadre"))

    by_name = {(row["objectif"], row["indicateur"]): row for row in rows}
    counted = by_name[("Des habitants acteurs", "Habitants impliqués")]
    assert (counted["version"], counted["definition"], counted["cibles"]) == (
        "2", "Habitants signataires de la charte.", "2025-12-31 : 80")
    assert (counted["niveau"], counted["motif_changement"]) == ("But", "Changement de contexte")
    assert ("Un objectif sans indicateur", "") in by_name
    # A text a spreadsheet would run as a formula is neutralised.
    assert ("", "'=HYPERLINK(\"https://exemple.org\")") in by_name


def test_measurements_csv_keeps_each_version_status_and_disaggregations(initiative, animator):
    rows = read_csv(evaluation_csv(animator, initiative, "mesures"))

    counted = [(r["version"], r["valeur"], r["statut"], r["desagregations"])
               for r in rows if r["indicateur"] == "Habitants impliqués"]
    assert counted == [("1", "12", "Validée", ""), ("2", "20", "Validée", "genre / femmes : 11 | genre / hommes : 9"),
                       ("2", "3", "Brouillon", "")]


def test_visitor_exports_only_published_indicators_and_approved_measurements(initiative):
    framework = read_csv(evaluation_csv(AnonymousUser(), initiative, "cadre"))
    measurements = read_csv(evaluation_csv(AnonymousUser(), initiative, "mesures"))

    assert {row["indicateur"] for row in framework} == {"Habitants impliqués", ""}
    assert [(r["indicateur"], r["valeur"]) for r in measurements] == [
        ("Habitants impliqués", "12"), ("Habitants impliqués", "20")]


def test_xlsx_has_the_same_cells_and_no_formula(initiative, animator):
    sheet = load_workbook(evaluation_xlsx(animator, initiative, "cadre"), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))

    header = rows[0]
    names = [row[header.index("indicateur")] for row in rows[1:]]
    assert "'=HYPERLINK(\"https://exemple.org\")" in names
    values = read_csv(evaluation_csv(animator, initiative, "mesures"))
    measurements = list(load_workbook(evaluation_xlsx(animator, initiative, "mesures"), read_only=True)
                        .active.iter_rows(values_only=True))
    assert len(measurements) == len(values) + 1
    header = measurements[0]
    counted = [row[header.index("valeur")] for row in measurements[1:]
               if row[header.index("indicateur")] == "Habitants impliqués"]
    assert counted == [12, 20, 3]  # numbers stay numbers


def test_downloads_are_named_after_the_initiative_and_the_table(initiative, animator):
    from django.http import Http404

    from catalyse.evaluation.exports import evaluation_download

    csv_response = evaluation_download(animator, initiative, "mesures", "csv")
    xlsx_response = evaluation_download(animator, initiative, "cadre", "xlsx")

    assert csv_response["Content-Type"].startswith("text/csv")
    assert f'filename="{initiative.slug}-mesures.csv"' in csv_response["Content-Disposition"]
    assert b"Habitants impliqu" in b"".join(csv_response.streaming_content)
    assert f"{initiative.slug}-cadre.xlsx" in xlsx_response["Content-Disposition"]
    with pytest.raises(Http404):
        evaluation_download(animator, initiative, "mesures", "json")
