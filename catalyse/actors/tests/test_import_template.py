import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from catalyse.actors.importers import TEMPLATE_COLUMNS, template_example
from catalyse.actors.models import Organisation, Profile, Scope, Source
from catalyse.core.tests.workbooks import crafted_workbook

from .import_helpers import run_import, siret, write_file

pytestmark = pytest.mark.django_db
HEADER = ";".join(c for c, _a, _d in TEMPLATE_COLUMNS)


def row(**values) -> str:
    return ";".join(values.get(c, "") for c, _a, _d in TEMPLATE_COLUMNS)


def test_template_csv_creates_organisations_with_trades_and_territories(tmp_path):
    path = write_file(tmp_path, "orgs.csv", [HEADER, row(
        nom="Alliance des Mines", profil="accompagnateur", metiers="dialogue-territorial|accompagnement",
        perimetre="national", siret=siret(3), code_insee_siege="62528", site_web="https://mines.example",
        courriel="contact@mines.example", adhesion="01/06/2024", catalyseur="oui", latitude="50,45",
        longitude="2.79", territoires="departement:62|commune:59350", description="**Bienvenue**")])
    run = run_import(path, "csv")
    assert (run.created, run.errors, run.warnings) == (1, 0, 0)
    org = Organisation.objects.get(siret=siret(3))
    assert org.profile == Profile.SUPPORT and org.scope == Scope.NATIONAL and org.source == Source.CSV
    assert org.siren == siret(3)[:9] and org.joined_on == dt.date(2024, 6, 1) and org.is_catalyst
    assert (org.latitude, org.longitude) == (50.45, 2.79)
    assert sorted(org.trades.values_list("code", flat=True)) == ["accompagnement", "dialogue-territorial"]
    assert sorted(org.territories.values_list("code", flat=True)) == ["59350", "62"]


def test_rerunning_the_template_changes_nothing_even_without_identifiers(tmp_path):
    path = write_file(tmp_path, "orgs.csv", [HEADER, row(nom="Sans Numéro", code_insee_siege="62528",
                                                         metiers="gestion-lieu"),
                                             row(nom="Numéro", siren=siret(2)[:9])])
    run_import(path, "csv")
    again = run_import(path, "csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Organisation.objects.filter(name="Sans Numéro").count() == 1


def test_rows_without_identifier_nor_commune_are_refused(tmp_path):
    run = run_import(write_file(tmp_path, "orgs.csv", [HEADER, row(nom="Nulle part")]), "csv")
    assert (run.created, run.errors) == (0, 1) and run.error_sample[0]["column"] == "code_insee_siege"


def test_changing_trades_in_the_file_updates_them(tmp_path):
    run_import(write_file(tmp_path, "a.csv", [HEADER, row(nom="X", siret=siret(4), metiers="gestion-lieu")]), "csv")
    run = run_import(write_file(tmp_path, "b.csv", [HEADER, row(nom="X", siret=siret(4), metiers="accompagnement")]),
                     "csv")
    assert run.updated == 1
    assert list(Organisation.objects.get(siret=siret(4)).trades.values_list("code", flat=True)) == ["accompagnement"]


def test_template_rows_with_bad_values_are_refused_or_cleaned(tmp_path):
    path = write_file(tmp_path, "orgs.csv", [
        HEADER,
        row(nom="Profil inconnu", profil="banque", code_insee_siege="62528"),
        row(nom="Métier inconnu", metiers="cuisine", code_insee_siege="62528"),
        row(nom="Site faux", site_web="pas un site", territoires="region:00", code_insee_siege="62528"),
        row(nom="", siret=siret(5)),
    ])
    run = run_import(path, "csv")
    assert (run.created, run.errors, run.warnings) == (1, 3, 2)
    assert Organisation.objects.get(name="Site faux").website == ""


def test_english_headers_and_comma_separated_files_are_accepted(tmp_path):
    path = write_file(tmp_path, "orgs.csv", ["name,profile,siren,head_office",
                                             f"Réseau,reseau_national,{siret(6)[:9]},"])
    run = run_import(path, "csv")
    assert run.created == 1
    assert Organisation.objects.get(name="Réseau").profile == Profile.NATIONAL_NETWORK


def test_missing_name_column_fails_the_import(tmp_path):
    run = run_import(write_file(tmp_path, "orgs.csv", ["profil;siret", "public;"]), "csv")
    assert run.status == "failed" and "nom" in run.message


def test_xlsx_template_with_numbers_and_dates_is_imported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _a, _d in TEMPLATE_COLUMNS])
    values = dict.fromkeys((c for c, _a, _d in TEMPLATE_COLUMNS), None)
    values.update(nom="Classeur", profil="Entreprise", code_insee_siege=1004, adhesion=dt.datetime(2023, 2, 1),
                  siren=int(luhn_siren := siret(8)[:9]), catalyseur="non")
    ws.append(list(values.values()))
    ws.append([None] * len(values))
    path = tmp_path / "orgs.xlsx"
    wb.save(path)
    run = run_import(path, "xlsx")
    assert (run.created, run.errors) == (1, 0), run.error_sample
    org = Organisation.objects.get(name="Classeur")
    assert org.head_office.code == "01004" and org.joined_on == dt.date(2023, 2, 1) and org.siren == luhn_siren
    assert not org.is_catalyst and org.profile == Profile.COMPANY


def test_a_file_that_is_not_xlsx_fails_cleanly(tmp_path):
    run = run_import(write_file(tmp_path, "x.xlsx", ["pas un classeur"]), "xlsx")
    assert run.status == "failed" and "XLSX" in run.message


def test_a_workbook_that_expands_to_a_huge_cell_fails_the_run_with_a_clear_message(tmp_path):
    run = run_import(crafted_workbook(tmp_path / "bombe.xlsx", cell_chars=100 * 1024 * 1024), "xlsx")
    assert run.status == "failed" and run.message.startswith("Classeur refusé")


def test_template_example_is_importable(tmp_path):
    path = write_file(tmp_path, "modele.csv", [";".join(r) for r in template_example()])
    assert run_import(path, "csv").created == 1


def test_command_reports_counts_and_supports_dry_run(tmp_path):
    path = write_file(tmp_path, "orgs.csv", [HEADER, row(nom="Commande", siret=siret(9))])
    out = io.StringIO()
    call_command("import_organisations", str(path), "--format", "csv", "--dry-run", stdout=out)
    assert "1 créées" in out.getvalue() and "Simulation" in out.getvalue()
    assert not Organisation.objects.filter(name="Commande").exists()
    call_command("import_organisations", str(path), "--format", "csv", stdout=io.StringIO())
    assert Organisation.objects.filter(name="Commande").exists()
