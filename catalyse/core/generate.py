"""Shared machinery of the synthetic dataset (`catalyse generate`): fast bulk inserts and the text source.

Each app with generated content registers its generator from its ready() (`core.registry`; actors and
initiatives keep theirs in `generate.py`); this module holds what they share. At national scale (a million
rows) the ORM's per-instance work dominates, so rows are built as plain dicts of column values and written
with one prepared statement per batch (SQLite `executemany`) or PostgreSQL `COPY`, with primary keys assigned
up front so that many-to-many rows can be written in the same pass without reading ids back.
"""

import random
import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from . import textgen


def next_pk(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


class BulkWriter:
    """Writes dict rows into one model's table; columns not given take the field's default."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.now = timezone.now()
        self.defaults = {f.attname: self._default(f) for f in self.fields}
        self.written = 0

    def _default(self, field: models.Field):
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            return connection.ops.adapt_datetimefield_value(self.now)
        if not field.has_default() and field.null:
            return None
        return field.get_db_prep_save(field.get_default(), connection)

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        defaults = self.defaults
        attnames = [f.attname for f in self.fields]
        values = [tuple(row[a] if a in row else defaults[a] for a in attnames) for row in rows]
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                # Table and column names come from the model's metadata, never from input.
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, values)
        self.written += len(rows)


def reset_sequences(*models_: type[models.Model]) -> None:
    """PostgreSQL sequences do not move when ids are given explicitly: bring them past the largest id."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyse(*models_: type[models.Model]) -> None:
    """Fresh planner statistics after a bulk load. Without them PostgreSQL took a million published
    organisations for 5,000 and chose bitmap heap scans (a facet count went from 4 s to 0.9 s after
    VACUUM ANALYZE); VACUUM also sets the visibility map that index-only scans need."""
    tables = {m._meta.db_table for m in models_}
    tables |= {f.remote_field.through._meta.db_table for m in models_ for f in m._meta.local_many_to_many}
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("PRAGMA analysis_limit = 1000")  # a sample is enough for the planner, and fast
            cursor.execute("ANALYZE")
            return
        # VACUUM cannot run inside a transaction (tests, or a caller's atomic block): ANALYZE alone then.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in sorted(tables):
            cursor.execute(f"{verb} {connection.ops.quote_name(table)}")


def delete_where_in(model: type[models.Model], column: str, subquery: models.QuerySet) -> int:
    """DELETE … WHERE column IN (subquery), in one statement (the ORM would load every row to cascade)."""
    sql, params = subquery.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        column = connection.ops.quote_name(column)
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)  # noqa: S608
        return cursor.rowcount


def delete_dependents(model: type[models.Model], doomed: models.QuerySet) -> None:
    """Delete (or unlink) the rows of other tables that point at `doomed` rows of `model`, one statement per
    relation, before the rows themselves are deleted."""
    ids = doomed.values("pk")
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            column = next(f.column for f in through._meta.concrete_fields
                          if f.is_relation and f.related_model is model)
            delete_where_in(through, column, ids)
        elif rel.on_delete is models.SET_NULL:
            rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": ids}).update(**{rel.field.name: None})
        else:
            delete_where_in(rel.related_model, rel.field.column, ids)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        delete_where_in(through, field.m2m_column_name(), ids)


# --- text --------------------------------------------------------------------------------------------------
# The generated prose comes from `textgen` (Zipf-weighted French vocabulary, so that search benchmarks meet
# realistic word frequencies).
paragraph = textgen.paragraph
story = textgen.story


# --- small helpers -----------------------------------------------------------------------------------------

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


class SlugAllocator:
    """Unique slugs without a query per row: the taken slugs are read once, then tracked in memory."""

    def __init__(self, taken: Iterable[str], max_length: int = 100):
        self.taken = set(taken)
        self.max_length = max_length
        self.next_suffix: dict[str, int] = {}

    def allocate(self, folded: str) -> str:
        """`folded` is already lowercase ASCII (core.text.fold), so slugifying is a replace."""
        base = _SLUG_JUNK.sub("-", folded)[: self.max_length].strip("-") or "element"
        slug = base
        n = self.next_suffix.get(base, 1)
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.next_suffix[base] = n
        self.taken.add(slug)
        return slug


def growing_date(rng: random.Random, start: date, end: date) -> date:
    """A date in [start, end], more often recent (density grows linearly, like a network that grows)."""
    span = (end - start).days
    return start + timedelta(days=int(span * rng.random() ** 0.5))
