import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalyse.actors.importers import TEMPLATE_COLUMNS, RnaImporter, SireneImporter, TemplateImporter
from catalyse.actors.models import Organisation, Profile, PublicationStatus, Source
from catalyse.core.imports import RowError
from catalyse.core.models import ImportStatus

from .import_helpers import RNA_HEADER, SIRENE_HEADER, rna_line, run_import, siret, write_file

pytestmark = pytest.mark.django_db


def rna_file(tmp_path, lines, **kwargs):
    return write_file(tmp_path, "rna_waldec_20240101_dpt_62.csv", [RNA_HEADER, *lines], **kwargs)


def test_rna_import_creates_published_located_associations(tmp_path):
    path = rna_file(tmp_path, [
        rna_line("W623000001", "LES AMIS DU TERRIL", siret_value=siret(1), siteweb="www.amis-terril.fr"),
        rna_line("W623000002", "COMITE DES FETES", insee="59350", postal="59000"),
    ])
    run = run_import(path, "rna")
    assert run.status == ImportStatus.DONE
    assert (run.created, run.updated, run.unchanged, run.errors) == (2, 0, 0, 0)
    org = Organisation.objects.get(rna="W623000001")
    assert org.name == "LES AMIS DU TERRIL"
    assert org.source == Source.RNA and org.status == PublicationStatus.PUBLISHED
    assert org.profile == Profile.GENERAL_INTEREST
    assert org.siret == siret(1) and org.siren == siret(1)[:9]
    assert org.website == "http://www.amis-terril.fr"
    assert org.head_office.code == "62528" and org.departement.code == "62" and org.region.code == "32"
    assert org.address == "12 RUE de la Gare" and org.postal_code == "62750"
    assert org.search_name == "les amis du terril"
    assert org.slug == "les-amis-du-terril"


def test_rerunning_the_same_rna_file_changes_nothing(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", "LES AMIS DU TERRIL"), rna_line("W623000002", "AUTRE")])
    run_import(path, "rna")
    before = list(Organisation.objects.order_by("pk").values())
    again = run_import(path, "rna")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_changed_rna_row_updates_the_organisation_and_its_version(tmp_path):
    run_import(rna_file(tmp_path, [rna_line("W623000001", "LES AMIS DU TERRIL")]), "rna")
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "LES AMIS DU TERRIL", insee="59350")]), "rna")
    assert (run.created, run.updated) == (0, 1)
    org = Organisation.objects.get(rna="W623000001")
    assert org.head_office.code == "59350" and org.departement.code == "59" and org.version == 2


def test_dissolved_associations_are_marked_not_deleted(tmp_path):
    run_import(rna_file(tmp_path, [rna_line("W623000001", "ANCIENNE")]), "rna")
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "ANCIENNE", position="D", date_disso="2020-09-30")]),
                     "rna")
    assert run.updated == 1
    assert Organisation.objects.get(rna="W623000001").dissolved_on == dt.date(2020, 9, 30)


def test_malformed_rows_are_reported_and_good_rows_kept(tmp_path):
    path = rna_file(tmp_path, [
        rna_line("W623000001", "BONNE"),
        rna_line("X12", "MAUVAIS NUMERO"),
        "W623000003;trop;court",
        rna_line("W623000004", ""),
        rna_line("W623000005", "SIRET FAUX", siret_value="12345678901234"),
        rna_line("W623000006", "BONNE AUSSI", date_disso="2020-13-45", position="D"),
    ])
    run = run_import(path, "rna")
    assert run.status == ImportStatus.DONE
    assert set(Organisation.objects.values_list("rna", flat=True)) == {"W623000001", "W623000005"}
    problems = {(e["line"], e["column"], e["rejected"]) for e in run.error_sample}
    assert problems == {(3, "id", True), (4, "", True), (5, "titre", True), (6, "siret", False),
                        (7, "date_disso", True)}
    assert (run.errors, run.warnings) == (4, 1)
    report = run.error_report.read().decode()
    assert report.splitlines()[0] == "ligne;colonne;motif;conséquence"
    assert "3;id;" in report


def test_windows_1252_file_with_accents_is_decoded(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", "ASSOCIATION DES PÊCHEURS DE L'ÉTANG", objet="protéger")],
                    encoding="cp1252")
    run_import(path, "rna")
    org = Organisation.objects.get(rna="W623000001")
    assert org.name == "ASSOCIATION DES PÊCHEURS DE L'ÉTANG" and org.description == "protéger"


def test_utf8_file_with_bom_keeps_its_first_column(tmp_path):
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "ÉCOLE DU VENT")], bom=True), "rna")
    assert run.created == 1 and Organisation.objects.get(rna="W623000001").name == "ÉCOLE DU VENT"


def test_dry_run_writes_nothing_but_counts(tmp_path):
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "A"), rna_line("W62300000", "B")]), "rna",
                     dry_run=True)
    assert (run.created, run.errors) == (1, 1)
    assert not Organisation.objects.filter(source=Source.RNA).exists()


def test_unpublished_import_waits_for_moderation(tmp_path):
    run_import(rna_file(tmp_path, [rna_line("W623000001", "A")]), "rna", unpublished=True)
    assert Organisation.objects.get(rna="W623000001").status == PublicationStatus.PENDING


def test_departement_filter_skips_other_departements(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", "A"), rna_line("W593000002", "B", insee="59350")])
    run = run_import(path, "rna", departements=["59"])
    assert (run.created, run.skipped) == (1, 1)
    assert Organisation.objects.get(source=Source.RNA).rna == "W593000002"


def test_former_commune_codes_resolve_to_the_current_commune(tmp_path):
    run_import(rna_file(tmp_path, [rna_line("W751000001", "PARIS ONZE", insee="75111", postal="75011")]), "rna")
    assert Organisation.objects.get(rna="W751000001").head_office.code == "75056"


def test_unknown_commune_is_a_warning_and_the_row_is_kept(tmp_path):
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "A", insee="99999")]), "rna")
    assert (run.created, run.warnings) == (1, 1)
    assert run.error_sample[0]["column"] == "adrs_codeinsee"
    assert Organisation.objects.get(rna="W623000001").head_office is None


def test_same_rna_twice_in_a_file_is_refused_the_second_time(tmp_path):
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "A"), rna_line("W623000001", "A BIS")]), "rna")
    assert (run.created, run.errors) == (1, 1)


def test_rna_row_matches_an_organisation_known_by_its_siret(tmp_path, org):
    org.siret = siret(7)
    org.save()
    run = run_import(rna_file(tmp_path, [rna_line("W623000001", "ALLIANCE", siret_value=siret(7))]), "rna")
    assert (run.created, run.updated) == (0, 1)
    org.refresh_from_db()
    assert org.rna == "W623000001" and org.source != Source.RNA


def test_slugs_stay_unique_for_homonyms(tmp_path):
    run_import(rna_file(tmp_path, [rna_line(f"W62300000{i}", "COMITE DES FETES") for i in range(1, 4)]), "rna")
    assert sorted(Organisation.objects.filter(source=Source.RNA).values_list("slug", flat=True)) == [
        "comite-des-fetes", "comite-des-fetes-2", "comite-des-fetes-3"]


def test_unusable_file_fails_with_a_message(tmp_path):
    run = run_import(write_file(tmp_path, "x.csv", ["a;b;c", "1;2;3"]), "rna")
    assert run.status == ImportStatus.FAILED and "Colonnes manquantes" in run.message


def test_imported_associations_sit_at_their_commune_unless_someone_placed_them(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", "A")])
    run_import(path, "rna")
    org = Organisation.objects.get(rna="W623000001")
    office = org.head_office
    assert (org.latitude, org.longitude) == (office.latitude, office.longitude) and org.latitude is not None
    Organisation.objects.filter(pk=org.pk).update(latitude=50.1, longitude=2.5)
    assert run_import(path, "rna").unchanged == 1
    org.refresh_from_db()
    assert (org.latitude, org.longitude) == (50.1, 2.5)


@pytest.mark.parametrize("importer_class", [RnaImporter, SireneImporter, TemplateImporter])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(max_size=20), min_size=60, max_size=60))
def test_any_row_is_either_cleaned_or_refused_with_a_reason(importer_class, values):
    columns = [*RNA_HEADER.split(";"), *SIRENE_HEADER.split(","), *(c for c, _a, _d in TEMPLATE_COLUMNS)]
    row = dict(zip(columns, values * 2, strict=False))
    try:
        importer_class().clean(2, row)
    except RowError as exc:
        assert exc.reason


def test_a_title_starting_with_a_stray_quote_does_not_swallow_the_next_rows(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", '"LES AMIS DU TERRIL'), rna_line("W623000002", "SUIVANTE")])
    run = run_import(path, "rna")
    assert (run.created, run.errors) == (2, 0)
    assert Organisation.objects.get(rna="W623000001").name == '"LES AMIS DU TERRIL'


def test_fully_quoted_exports_are_read_too(tmp_path):
    quote = lambda line: ";".join(f'"{v}"' for v in line.split(";"))  # noqa: E731
    path = rna_file(tmp_path, [rna_line("W623000001", "A;B")], bom=False)
    path.write_text("\n".join([quote(RNA_HEADER), quote(rna_line("W623000001", "TITRE")).replace("TITRE", "A;B")]),
                    encoding="utf-8")
    run = run_import(path, "rna")
    assert run.created == 1 and Organisation.objects.get(rna="W623000001").name == "A;B"


def test_quoted_fields_containing_the_delimiter_in_an_unquoted_register(tmp_path):
    # The header is not quoted (the register's usual export); one line quotes a title that contains ";".
    path = rna_file(tmp_path, [rna_line("W623000001", '"DUPONT; FILS ET ASSOCIES"'), rna_line("W623000002", "SUIVANTE"),
                               rna_line("W623000003", '"LES AMIS DU TERRIL')])
    run = run_import(path, "rna")
    assert (run.created, run.errors) == (3, 0)
    assert Organisation.objects.get(rna="W623000001").name == "DUPONT; FILS ET ASSOCIES"
    assert Organisation.objects.get(rna="W623000003").name == '"LES AMIS DU TERRIL'


def test_a_line_that_fits_neither_reading_is_refused_with_its_count(tmp_path):
    path = rna_file(tmp_path, [rna_line("W623000001", "A;B;C"), rna_line("W623000002", "SUIVANTE")])
    run = run_import(path, "rna")
    assert (run.created, run.errors) == (1, 1)


def test_an_import_batch_refreshes_the_visitors_map_and_facet_caches(tmp_path):
    from catalyse.actors.browse_cache import DIRECTORY_VERSION

    before = DIRECTORY_VERSION.get()
    run_import(rna_file(tmp_path, [rna_line("W623000001", "LES AMIS DU TERRIL")]), "rna")
    assert DIRECTORY_VERSION.get() > before
