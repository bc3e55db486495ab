import datetime as dt

import pytest

from catalyse.actors.models import Organisation, Profile, Source
from catalyse.core.models import ImportStatus

from .import_helpers import SIRENE_HEADER, run_import, sirene_line, siret, write_file

pytestmark = pytest.mark.django_db


def sirene_file(tmp_path, lines, header=SIRENE_HEADER):
    return write_file(tmp_path, "StockEtablissement_utf8.csv", [header, *lines])


def test_sirene_import_keeps_only_rows_matching_the_filters(tmp_path):
    path = sirene_file(tmp_path, [
        sirene_line(siret(1), "TIERS LIEU DU BASSIN"),
        sirene_line(siret(2), "BOULANGERIE", naf="10.71C"),
        sirene_line(siret(3), "AILLEURS", insee="59350"),
        sirene_line(siret(4), "PRIVE", diffusion="P"),
        sirene_line(siret(5), "", enseigne="ENSEIGNE SEULE", naf="88.10A"),
    ])
    run = run_import(path, "sirene", departements=["62"], naf=["88"])
    assert run.status == ImportStatus.DONE
    assert (run.created, run.skipped, run.errors) == (2, 3, 0)
    assert set(Organisation.objects.filter(source=Source.SIRENE).values_list("name", flat=True)) == {
        "TIERS LIEU DU BASSIN", "ENSEIGNE SEULE"}
    org = Organisation.objects.get(siret=siret(1))
    assert org.siren == siret(1)[:9] and org.head_office.code == "62528"
    assert org.address == "3 RUE DES ECOLES" and org.profile == Profile.GENERAL_INTEREST


def test_exact_activity_code_filter_accepts_the_dotted_form(tmp_path):
    path = sirene_file(tmp_path, [sirene_line(siret(1), "A", naf="88.99B"), sirene_line(siret(2), "B", naf="88.99A")])
    run = run_import(path, "sirene", naf=["8899B"])
    assert (run.created, run.skipped) == (1, 1)


def test_closed_establishments_are_marked_dissolved(tmp_path):
    path = sirene_file(tmp_path, [sirene_line(siret(1), "FERMEE", etat="F", date_debut="2019-05-31")])
    run_import(path, "sirene")
    assert Organisation.objects.get(siret=siret(1)).dissolved_on == dt.date(2019, 5, 31)


def test_rerunning_the_same_sirene_file_changes_nothing(tmp_path):
    path = sirene_file(tmp_path, [sirene_line(siret(1), "A"), sirene_line(siret(2), "B")])
    run_import(path, "sirene")
    again = run_import(path, "sirene")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_rows_without_a_name_or_with_a_bad_siret_are_reported(tmp_path):
    bad = sirene_line(siret(2), "MAUVAIS").replace(siret(2), siret(2)[:-1] + "0" if siret(2)[-1] != "0" else "1", 1)
    run = run_import(sirene_file(tmp_path, [sirene_line(siret(1), ""), bad]), "sirene")
    assert run.errors == 2 and run.created == 0
    assert {e["column"] for e in run.error_sample} == {"denominationUsuelleEtablissement", "siret"}


def test_legal_form_filter_needs_the_legal_category_column(tmp_path):
    run = run_import(sirene_file(tmp_path, [sirene_line(siret(1), "A")]), "sirene", legal_forms=["92"])
    assert run.status == ImportStatus.FAILED and "categorieJuridiqueUniteLegale" in run.message


def test_legal_form_filter_keeps_matching_categories_and_guesses_the_profile(tmp_path):
    header = SIRENE_HEADER + ",categorieJuridiqueUniteLegale"
    path = sirene_file(tmp_path, [sirene_line(siret(1), "ASSO", naf="94.99Z") + ",9220",
                                  sirene_line(siret(2), "SARL", naf="62.01Z") + ",5499",
                                  sirene_line(siret(3), "COMMUNE", naf="84.11Z") + ",7210"], header=header)
    run = run_import(path, "sirene", legal_forms=["92", "72"])
    assert (run.created, run.skipped) == (2, 1)
    assert Organisation.objects.get(siret=siret(1)).profile == Profile.GENERAL_INTEREST
    assert Organisation.objects.get(siret=siret(3)).profile == Profile.PUBLIC_ACTOR
