import csv
import io

import pytest
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalyse.actors.models import Organisation
from catalyse.core.imports import (
    BatchResult,
    Cleaned,
    Importer,
    RowError,
    bulk_insert,
    csv_rows,
    detect_encoding,
    import_execute,
)
from catalyse.core.models import ImportRun, ImportStatus
from catalyse.core.slugs import unique_slugs

french_text = st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cs", "Cc")), max_size=40)


@given(st.lists(french_text, min_size=1, max_size=5))
def test_windows_1252_text_is_detected_and_decoded(words):
    text = ";".join(["titre", *words]) + " — élève à l'œuvre"
    data = text.encode("cp1252")
    assert data.decode(detect_encoding(data)) == text


@given(st.text(max_size=200))
def test_utf8_is_always_recognised_even_cut_in_the_middle_of_a_character(text):
    data = text.encode("utf-8")
    assert detect_encoding(data[: max(0, len(data) - 1)] if len(data) > 1 else data) in {"utf-8", "utf-8-sig"} \
        or not data


def test_bom_is_recognised():
    assert detect_encoding(b"\xef\xbb\xbfid;titre") == "utf-8-sig"


cell = st.text(alphabet=st.characters(exclude_characters="\r", exclude_categories=("Cs",)), max_size=15)


@given(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=8), st.sampled_from([";", ","]))
def test_csv_rows_give_back_every_written_row_with_its_starting_line(rows, delimiter):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    parsed = list(csv_rows(io.StringIO(out.getvalue(), newline=""), delimiter=delimiter))
    assert [list(r.values()) for _line, r in parsed] == rows
    # Line numbers are those of the file, values spanning several lines included.
    expected, line = [], 2
    for row in rows:
        expected.append(line)
        line += 1 + sum(v.count("\n") for v in row)
    assert [line for line, _row in parsed] == expected


def test_rows_with_the_wrong_number_of_fields_are_marked_malformed():
    rows = list(csv_rows(io.StringIO("a;b\n1;2\n1;2;3\n\n4;5\n", newline="")))
    assert [line for line, _ in rows] == [2, 3, 5]
    assert "__malformed__" in rows[1][1]


class FakeImporter(Importer):
    """Writes organisations by name; names starting with "!" break a database constraint."""

    kind, format, batch_size = "organisations", "test", 2

    def clean(self, line, row):
        if row["name"] == "":
            raise RowError("name", "vide")
        if row["name"] == "skip":
            return None
        return Cleaned(line, row["name"])

    def write(self, batch, *, dry_run):
        for cleaned in batch:
            if cleaned.data.startswith("!"):
                raise IntegrityError("boom")
            if not dry_run:
                Organisation.objects.create(name=cleaned.data, slug=cleaned.data, profile="public")
        return BatchResult(created=len(batch))


@pytest.mark.django_db
def test_a_row_the_database_refuses_costs_only_that_row(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("name\na\n!b\nc\n\nskip\nd\n", encoding="utf-8")
    run = ImportRun.objects.create(kind="organisations", format="test", file_name="f.csv")
    run = import_execute(run, FakeImporter(), path)
    assert run.status == ImportStatus.DONE
    assert sorted(Organisation.objects.filter(slug__in="acd").values_list("name", flat=True)) == ["a", "c", "d"]
    assert (run.created, run.errors, run.skipped, run.rows_done) == (3, 1, 1, 5)
    assert run.error_sample[0]["line"] == 3 and "base de données" in run.error_sample[0]["reason"]
    assert ImportRun.objects.get(pk=run.pk).rows_total == 6


@pytest.mark.django_db
def test_an_empty_file_fails_the_run(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"")
    run = import_execute(ImportRun.objects.create(kind="organisations", format="test"), FakeImporter(), path)
    assert run.status == ImportStatus.FAILED and run.message


@pytest.mark.django_db
def test_unique_slugs_continue_after_the_highest_number_used():
    for slug in ["alliance", "alliance-4", "alliance-des-mers"]:
        Organisation.objects.create(name=slug, slug=slug, profile="public")
    cache: dict[str, int] = {}
    assert unique_slugs(Organisation, ["Alliance", "Nouveau", "Alliance"], highest=cache) == [
        "alliance-5", "nouveau", "alliance-6"]
    assert unique_slugs(Organisation, ["Alliance"], highest=cache) == ["alliance-7"]


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.text(max_size=30), max_size=12))
def test_unique_slugs_never_repeat(texts):
    slugs = unique_slugs(Organisation, texts)
    assert len(set(slugs)) == len(slugs) and all(slugs)


@pytest.mark.django_db
def test_a_bug_in_an_importer_marks_the_run_failed_before_raising(tmp_path):
    class Broken(FakeImporter):
        def clean(self, line, row):
            raise KeyError("bug")

    path = tmp_path / "f.csv"
    path.write_text("name\na\n", encoding="utf-8")
    run = ImportRun.objects.create(kind="organisations", format="test")
    with pytest.raises(KeyError):
        import_execute(run, Broken(), path)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and run.finished_at


@pytest.mark.django_db
def test_bulk_insert_returns_the_new_ids_in_the_order_of_the_rows():
    Organisation.objects.create(name="before", slug="before", profile="public")
    ids = bulk_insert(Organisation, [{"name": n, "slug": n, "profile": "public"} for n in ["b", "a", "c"]],
                      returning_ids=True)
    assert [Organisation.objects.get(pk=pk).slug for pk in ids] == ["b", "a", "c"]
    after = Organisation.objects.create(name="after", slug="after", profile="public")
    assert after.pk > max(ids)  # the table's own numbering moved past the ids given


@pytest.mark.django_db
def test_any_of_finds_the_same_rows_as_in():
    for slug in ["a", "b", "c"]:
        Organisation.objects.create(name=slug, slug=slug, profile="public", siret="")
    orgs = Organisation.objects.order_by("slug")
    assert list(orgs.filter(slug__any_of={"a", "c", "z", None}).values_list("slug", flat=True)) == ["a", "c"]
    assert not orgs.filter(slug__any_of=[None]).exists()
    ids = [o.pk for o in orgs[:2]]
    assert list(orgs.filter(pk__any_of=ids).values_list("slug", flat=True)) == ["a", "b"]
    assert orgs.exclude(slug__any_of=["a"]).count() == 2
