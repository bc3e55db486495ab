"""PostgreSQL only: the table the `postgres` search backend queries, and its text search configuration.

The tsvector is built from terms analysed in Python (lowercase → stop words → Snowball → accent folding, the
same function as for Tantivy), so the configuration `catalyse_terms` is a copy of `simple`: it must not
stem or fold again. This is what keeps "rénovées"/"rénover" together, unlike a `french_unaccent`
configuration, which folds before stemming."""

from django.db import migrations

CREATE = """
CREATE TEXT SEARCH CONFIGURATION catalyse_terms (COPY = simple);
CREATE TABLE search_pg_document (
    doc_id text PRIMARY KEY,
    kind text NOT NULL,
    title text NOT NULL,
    url text NOT NULL,
    summary text NOT NULL DEFAULT '',
    body text NOT NULL DEFAULT '',
    vector tsvector NOT NULL,
    profile text[] NOT NULL DEFAULT '{}',
    trades text[] NOT NULL DEFAULT '{}',
    themes text[] NOT NULL DEFAULT '{}',
    sdgs text[] NOT NULL DEFAULT '{}',
    stage text[] NOT NULL DEFAULT '{}',
    region text[] NOT NULL DEFAULT '{}',
    departement text[] NOT NULL DEFAULT '{}',
    territories text[] NOT NULL DEFAULT '{}',
    audience text[] NOT NULL DEFAULT '{}',
    lat double precision,
    lon double precision,
    updated bigint NOT NULL DEFAULT 0,
    rot bigint NOT NULL DEFAULT 0
);
CREATE INDEX search_pg_document_vector ON search_pg_document USING gin (vector);
CREATE INDEX search_pg_document_territories ON search_pg_document USING gin (territories);
CREATE INDEX search_pg_document_audience ON search_pg_document USING gin (audience);
CREATE INDEX search_pg_document_kind ON search_pg_document (kind, updated);
CREATE INDEX search_pg_document_point ON search_pg_document (lat, lon);
"""

DROP = """
DROP TABLE IF EXISTS search_pg_document;
DROP TEXT SEARCH CONFIGURATION IF EXISTS catalyse_terms;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
