import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalyse.actors.tests.factories import MembershipFactory
from catalyse.core.imports import import_run
from catalyse.core.models import ImportRun, ImportStatus
from catalyse.evaluation import services
from catalyse.evaluation.exports import evaluation_csv, evaluation_xlsx
from catalyse.evaluation.models import Measurement, MeasurementStatus
from catalyse.initiatives.models import Role
from catalyse.initiatives.tests.factories import InitiativeFactory, PartnershipFactory

from .conftest import make_indicator

pytestmark = pytest.mark.django_db
D = dt.date
HEADER = "indicateur_id;debut;fin;valeur;niveau;commentaire;ventilation:genre:femmes;ventilation:genre:hommes\n"


@pytest.fixture
def indicator(initiative):
    return make_indicator(initiative)


@pytest.fixture
def scale(initiative):
    return make_indicator(initiative, name="Confiance entre partenaires", measure="scale",
                          scale_levels=["faible", "moyenne", "forte"], baseline_value=1,
                          targets=[{"date": "2024-12-31", "value": 3}])


def run_import(tmp_path, user, initiative, text: str, *, name="mesures.csv", fmt="csv", dry_run=False) -> ImportRun:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    run = ImportRun.objects.create(kind="measurements", format=fmt, file_name=name, created_by=user,
                                   options={"initiative": initiative.pk}, dry_run=dry_run)
    return import_run(run, path)


def problems(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {e["line"]: (e["column"], e["reason"]) for e in run.error_sample}


def test_rows_become_drafts_under_the_current_definition_authored_by_the_importer(tmp_path, owner, initiative,
                                                                                   indicator):
    run = run_import(tmp_path, owner, initiative, HEADER +
                     f"{indicator.pk};2024-01-01;2024-01-31;12,5;;Premier mois;7;5,5\n"
                     f"{indicator.pk};01/02/2024;29/02/2024;20;;;;\n")

    assert (run.status, run.created, run.errors) == (ImportStatus.DONE, 2, 0)
    first, second = Measurement.objects.filter(indicator=indicator).order_by("period_end")
    assert (first.value, first.status, first.author, first.comment) == (
        Decimal("12.5"), MeasurementStatus.DRAFT, owner, "Premier mois")
    assert first.version.number == indicator.current_version
    assert sorted(first.disaggregations.values_list("dimension", "category", "value")) == [
        ("genre", "femmes", Decimal(7)), ("genre", "hommes", Decimal("5.5"))]
    assert (second.period_start, second.value, second.disaggregations.count()) == (D(2024, 2, 1), 20, 0)


def test_each_bad_row_is_refused_with_its_line_column_and_reason_and_the_others_are_imported(
        tmp_path, owner, initiative, indicator, scale):
    elsewhere = make_indicator(InitiativeFactory(), name="Ailleurs")
    services.framework_lock(initiative=initiative, until=D(2023, 12, 31))
    run = run_import(tmp_path, owner, initiative, HEADER +
                     f"{indicator.pk};2024-01-01;2024-01-31;douze;;;;\n"          # 2 not a number
                     f"{indicator.pk};2024-02-01;2024-02-29;N/A;;;;\n"            # 3 N/A
                     "999999;2024-01-01;2024-01-31;3;;;;\n"                       # 4 unknown indicator
                     f"{elsewhere.pk};2024-01-01;2024-01-31;3;;;;\n"              # 5 another initiative's
                     f"{indicator.pk};2023-12-01;2023-12-31;3;;;;\n"              # 6 locked period
                     f"{indicator.pk};2024-03-31;2024-03-01;3;;;;\n"              # 7 ends before it starts
                     f"{scale.pk};2024-01-01;2024-06-30;;4;;;\n"                  # 8 level out of the scale
                     f"{scale.pk};2024-01-01;2024-06-30;2;;;;\n"                  # 9 a value on a scale
                     f"{indicator.pk};2024-04-01;2024-04-30;;;;;\n"               # 10 no value
                     f"{indicator.pk};2024-05-01;2024-05-31;5;;;beaucoup;\n"      # 11 disaggregation not a number
                     f"{indicator.pk};2024-06-01;le 30 juin;5;;;;\n"              # 12 unreadable date
                     f"{indicator.pk};2024-07-01;2024-07-31;5;;;;\n"              # 13 fine
                     f"{scale.pk};2024-07-01;2024-12-31;;forte;;;\n")             # 14 fine: a level by its label

    assert (run.status, run.created, run.errors) == (ImportStatus.DONE, 2, 11)
    found = problems(run)
    assert found[2] == ("valeur", "« douze » n'est pas un nombre.")
    assert found[3] == ("valeur", "« N/A » n'est pas un nombre.")
    assert found[4] == ("indicateur_id", "L'indicateur 999999 n'est pas un indicateur de cette initiative.")
    assert found[5] == ("indicateur_id", f"L'indicateur {elsewhere.pk} n'est pas un indicateur de cette initiative.")
    assert found[6] == ("fin", "Les périodes jusqu'au 2023-12-31 sont verrouillées.")
    assert found[7] == ("fin", "La période finit après avoir commencé.")
    assert found[8] == ("niveau", "Niveau de 1 à 3.")
    assert found[9][0] == "valeur"
    assert found[10] == ("valeur", "Valeur manquante.")
    assert found[11] == ("ventilation:genre:femmes", "« beaucoup » n'est pas un nombre.")
    assert found[12][0] == "fin"
    assert set(found) == set(range(2, 13))
    assert Measurement.objects.get(indicator=scale).level == 3
    assert not Measurement.objects.filter(indicator=elsewhere).exists()
    # The downloadable report says the same, one line per refused row.
    report = list(csv.reader(io.StringIO(run.error_report.read().decode()), delimiter=";"))
    assert report[0] == ["ligne", "colonne", "motif", "conséquence"]
    assert len(report) == 12 and report[1][3] == "ligne refusée"


def test_indicators_may_be_named_and_a_period_given_twice_in_a_file_is_refused(tmp_path, owner, initiative,
                                                                              indicator):
    run = run_import(tmp_path, owner, initiative,
                     "indicator_name,period_start,period_end,value\n"
                     "personnes accompagnees,2024-01-01,2024-01-31,4\n"
                     "Personnes accompagnées,2024-01-01,2024-01-31,5\n"
                     "Inconnu,2024-01-01,2024-01-31,5\n")

    assert (run.created, run.errors) == (1, 2)
    assert problems(run)[3][1] == "Même indicateur et même période qu'à la ligne 2."
    assert problems(run)[4] == ("indicator_name", "Aucun indicateur de cette initiative ne s'appelle « Inconnu ».")


def test_a_file_without_indicator_or_period_columns_fails_as_a_whole(tmp_path, owner, initiative, indicator):
    run = run_import(tmp_path, owner, initiative, "valeur;debut\n3;2024-01-01\n")

    assert run.status == ImportStatus.FAILED
    assert "indicateur" in run.message
    assert not Measurement.objects.exists()


def test_reimporting_the_same_file_changes_nothing(tmp_path, owner, initiative, indicator):
    text = HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;Note;7;5\n{indicator.pk};2024-02-01;2024-02-29;3;;;;\n"
    run_import(tmp_path, owner, initiative, text)
    again = run_import(tmp_path, owner, initiative, text)

    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, 0)
    assert Measurement.objects.count() == 2


def test_a_new_value_for_a_draft_updates_it_rather_than_adding_one(tmp_path, owner, initiative, indicator):
    run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;Note;7;5\n")
    again = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;13;;Revu;8;5\n")

    assert (again.created, again.updated) == (0, 1)
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.comment) == (13, "Revu")
    assert sorted(measurement.disaggregations.values_list("category", "value")) == [("femmes", 8), ("hommes", 5)]


def test_a_file_without_comment_column_keeps_the_comment(tmp_path, owner, initiative, indicator):
    services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 31), value=1,
                                comment="Saisi à la main")
    run = run_import(tmp_path, owner, initiative, f"indicateur_id;debut;fin;valeur\n{indicator.pk};2024-01-01;"
                                                  "2024-01-31;2\n")

    assert run.updated == 1
    assert Measurement.objects.get().comment == "Saisi à la main"


def test_an_approved_measurement_is_never_overwritten_and_the_row_is_reported(tmp_path, owner, initiative,
                                                                              indicator):
    measurement = services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1),
                                              period_end=D(2024, 1, 31), value=12)
    services.measurement_approve(services.measurement_submit(measurement))

    same = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n")
    other = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;99;;;;\n")

    assert (same.unchanged, same.errors) == (1, 0)
    assert (other.updated, other.errors) == (0, 1)
    assert problems(other)[2][1] == "Une mesure validée existe pour cette période : l'import ne la modifie pas."
    assert Measurement.objects.get().value == 12


def test_a_dry_run_counts_and_writes_nothing(tmp_path, owner, initiative, indicator):
    run = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n",
                     dry_run=True)

    assert (run.created, run.errors) == (1, 0)
    assert not Measurement.objects.exists()


def test_a_run_by_someone_who_is_not_a_partner_imports_nothing(tmp_path, outsider, initiative, indicator):
    run = run_import(tmp_path, outsider, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n")

    assert run.status == ImportStatus.FAILED
    assert run.message == "Seuls les partenaires de l'initiative importent ses mesures."
    assert not Measurement.objects.exists()


def _with_measurements(initiative, indicator, scale):
    services.measurement_create(indicator=indicator, period_start=D(2024, 1, 1), period_end=D(2024, 1, 31),
                                value=Decimal("12.5"), comment="=1+1 n'est pas une formule",
                                disaggregations=[{"dimension": "genre", "category": "femmes", "value": 7},
                                                 {"dimension": "âge", "category": "18/25 ans", "value": "5.5"}])
    approved = services.measurement_create(indicator=indicator, period_start=D(2024, 2, 1),
                                           period_end=D(2024, 2, 29), value=-3)
    services.measurement_approve(services.measurement_submit(approved))
    services.measurement_create(indicator=scale, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), level=2)


def _snapshot():
    return sorted(
        (m.indicator_id, m.period_start, m.period_end, m.value, m.level, m.comment,
         tuple(sorted(m.disaggregations.values_list("dimension", "category", "value"))))
        for m in Measurement.objects.all())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_measurements_export_reimports_as_it_was(tmp_path, owner, initiative, indicator, scale, fmt):
    _with_measurements(initiative, indicator, scale)
    before = _snapshot()
    if fmt == "csv":
        exported = "".join(evaluation_csv(owner, initiative, "mesures")).encode("utf-8")
    else:
        exported = evaluation_xlsx(owner, initiative, "mesures").read()

    same = run_import(tmp_path, owner, initiative, exported, name=f"mesures.{fmt}", fmt=fmt)
    assert (same.status, same.created, same.updated, same.unchanged, same.errors) == (ImportStatus.DONE, 0, 0, 3, 0)

    Measurement.objects.filter(status=MeasurementStatus.DRAFT).delete()
    again = run_import(tmp_path, owner, initiative, exported, name=f"mesures.{fmt}", fmt=fmt)
    assert (again.created, again.unchanged, again.errors) == (2, 1, 0)
    assert _snapshot() == before


# --- the pages -------------------------------------------------------------------------------------------------------

def _url(initiative, name="measurements_import", *args):
    return reverse(f"evaluation:{name}", args=[initiative.slug, *args])


def test_a_partner_uploads_a_file_and_sees_the_result_with_its_error_report(client, member, initiative, indicator,
                                                                             django_capture_on_commit_callbacks):
    client.force_login(member)
    upload = SimpleUploadedFile("mesures.csv", (HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n"
                                                f"{indicator.pk};2024-02-01;2024-02-29;N/A;;;;\n").encode())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(initiative), {"format": "csv", "file": upload})

    run = ImportRun.objects.get(kind="measurements")
    assert response.status_code == 302
    assert response["Location"] == _url(initiative, "measurements_import_detail", run.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "« N/A » n&#x27;est pas un nombre." in page.content.decode()
    assert Measurement.objects.get().author == member
    report = client.get(_url(initiative, "measurements_import_errors", run.pk))
    assert report.status_code == 200 and b"N/A" in b"".join(report.streaming_content)
    progress = client.get(_url(initiative, "measurements_import_progress", run.pk)).json()
    assert (progress["finished"], progress["created"], progress["errors"]) == (True, 1, 1)
    listing = client.get(_url(initiative))
    assert "mesures.csv" in listing.content.decode()


def test_the_model_file_lists_the_initiatives_indicators(client, member, initiative, indicator):
    client.force_login(member)

    response = client.get(_url(initiative, "measurements_import_template", "csv"))

    text = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    assert text.splitlines()[0] == "indicateur_id,indicateur,debut,fin,valeur,niveau,commentaire,desagregations"
    assert f"{indicator.pk},Personnes accompagnées" in text


def test_a_member_who_is_not_a_partner_may_not_import_nor_see_the_runs(client, outsider, owner, initiative,
                                                                       indicator, tmp_path):
    run = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n")
    client.force_login(outsider)

    assert client.get(_url(initiative)).status_code == 403
    upload = SimpleUploadedFile("mesures.csv", HEADER.encode())
    assert client.post(_url(initiative), {"format": "csv", "file": upload}).status_code == 403
    assert client.get(_url(initiative, "measurements_import_detail", run.pk)).status_code == 403
    assert client.get(_url(initiative, "measurements_import_progress", run.pk)).status_code == 403
    assert ImportRun.objects.count() == 1


def test_a_partner_of_another_initiative_cannot_reach_this_ones_runs(client, owner, initiative, indicator, tmp_path):
    run = run_import(tmp_path, owner, initiative, HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n")
    other = InitiativeFactory()
    stranger = MembershipFactory().user
    PartnershipFactory(initiative=other, organisation=stranger.memberships.get().organisation, role=Role.PORTEUR)
    client.force_login(stranger)

    assert client.get(_url(other)).status_code == 200
    assert client.get(_url(other, "measurements_import_detail", run.pk)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, initiative):
    response = client.get(_url(initiative))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the command -----------------------------------------------------------------------------------------------------

def test_the_command_imports_for_a_partner_and_refuses_anyone_else(tmp_path, owner, outsider, initiative, indicator):
    path = tmp_path / "mesures.csv"
    path.write_text(HEADER + f"{indicator.pk};2024-01-01;2024-01-31;12;;;;\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_measurements", str(path), "--initiative", initiative.slug, "--user", owner.email, stdout=out)

    assert "1 créées" in out.getvalue()
    assert Measurement.objects.get().author == owner
    with pytest.raises(CommandError, match="n'est pas partenaire"):
        call_command("import_measurements", str(path), "--initiative", initiative.slug, "--user", outsider.email)
