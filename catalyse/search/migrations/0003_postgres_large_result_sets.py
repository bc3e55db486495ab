"""PostgreSQL only: what the `postgres` search backend needs to answer result sets of hundreds of thousands of
documents without reading them all (see docs/search.md, "Large result sets").

- `rot` (a uniform hash of the doc id) gets an index and the table is kept in `rot` order (CLUSTER, and a
  fill factor that leaves room for updates in place): `rot < f·2³²` is then a uniform sample stored in a few
  contiguous pages (estimated totals and facet counts), and walking the fair-exposure ring reads the heap in
  order.
- The title tier (`ts_filter(vector, '{a}')`, the weight-A lexemes) gets its own GIN index, whose statistics
  also tell the planner how many titles hold a word.
- "Most recent first" (`updated DESC, doc_id`) gets its index: the page walks it instead of sorting every
  match (all generated initiatives share their `updated`, hence the tie-breaker in the index).
- The facet arrays get one GIN index: a selective filter (a theme, a region) is then found without reading
  every match of the words.

CLUSTER rewrites the table: at 1.1 M documents about 1.5 minutes, during which searches wait."""

from django.db import migrations

CREATE = """
ALTER TABLE search_pg_document SET (fillfactor = 90);
CREATE INDEX search_pg_document_rot ON search_pg_document (rot);
CREATE INDEX search_pg_document_recent ON search_pg_document (updated DESC, doc_id);
CREATE INDEX search_pg_document_title ON search_pg_document USING gin (ts_filter(vector, '{a}'));
CREATE INDEX search_pg_document_facets ON search_pg_document
    USING gin (profile, trades, themes, sdgs, stage, region, departement);
CLUSTER search_pg_document USING search_pg_document_rot;
ANALYZE search_pg_document
"""

DROP = """
DROP INDEX search_pg_document_facets;
DROP INDEX search_pg_document_title;
DROP INDEX search_pg_document_recent;
DROP INDEX search_pg_document_rot;
ALTER TABLE search_pg_document RESET (fillfactor)
"""


def _run(schema_editor, script: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in script.split(";"):
            schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_index")]
    operations = [migrations.RunPython(forwards, backwards)]
