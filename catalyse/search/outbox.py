"""The outbox: every change to an indexed object leaves a row here; the worker (the index's single writer)
applies the rows in order. Rebuild and check live here too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.dispatch import Signal

from catalyse.core.imports import bulk_insert

from .backends import get_backend
from .backends.base import SearchBackend
from .models import OutboxEntry, OutboxOp
from .registry import indexed_kinds
from .vocabulary import count_words, vocabulary_add, vocabulary_replace

BATCH = 1000

# Sent once changes reached the index, with `kinds` (the document kinds written): caches of pages that read
# the index (the visitors' map grid) are refreshed then, not when the database changed two seconds earlier.
index_changed = Signal()


class _ProcessAfterCommit:
    """The on-commit callback that queues the outbox task; remembered on the connection so that a
    transaction queues it once, however many objects changed (a bulk import must not queue one per row)."""

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        from .tasks import process_outbox_task

        process_outbox_task.enqueue()


def outbox_enqueue(*, kind: str, object_id: int, op: str = OutboxOp.UPSERT) -> None:
    """Record a change; after the transaction commits, the worker drains the outbox."""
    outbox_enqueue_many(kind=kind, object_ids=[object_id], op=op)


def outbox_enqueue_many(*, kind: str, object_ids: list[int], op: str = OutboxOp.UPSERT) -> None:
    """Record changes to many objects of one kind with one INSERT (import batches)."""
    if not object_ids:
        return
    # One executemany: the ORM's bulk_create costs a third of a national import's time on these rows.
    bulk_insert(OutboxEntry, [{"kind": kind, "object_id": pk, "op": op} for pk in object_ids])
    conn = transaction.get_connection()
    pending = getattr(conn, "_catalyse_outbox_callback", None)
    if pending is None or pending.ran or not any(item[1] is pending for item in conn.run_on_commit):
        conn._catalyse_outbox_callback = _ProcessAfterCommit()
        transaction.on_commit(conn._catalyse_outbox_callback)


# Any number of workers may run outbox tasks at once (docs/operations.md, "Several servers"). Two drains side by
# side could each build an object's document, and the one built before its latest change be written last: the
# index would keep the older version while both consumed the entries. PostgreSQL serialises them with this
# advisory lock; SQLite runs on one machine with one worker.
_DRAIN_LOCK = 0x636174616C797365  # "catalyse"


@contextmanager
def _one_drain_at_a_time() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    if connection.in_atomic_block:  # held until that transaction ends, even if it fails
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DRAIN_LOCK])
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_DRAIN_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_DRAIN_LOCK])


def outbox_process(backend: SearchBackend | None = None) -> int:
    """Apply pending changes; returns how many entries were consumed. One drain at a time across processes."""
    backend = backend or get_backend()
    with _one_drain_at_a_time():
        return _drain(backend)


def _drain(backend: SearchBackend) -> int:
    kinds = indexed_kinds()
    done = 0
    while True:
        entries = list(OutboxEntry.objects.order_by("pk")[:BATCH])
        if not entries:
            return done
        latest: dict[tuple[str, int], str] = {}
        for e in entries:  # the last operation on an object wins
            latest[(e.kind, e.object_id)] = e.op
        upserts: dict[str, list[int]] = {}
        deletes: list[str] = []
        for (kind, oid), op in latest.items():
            if op == OutboxOp.UPSERT and kind in kinds:
                upserts.setdefault(kind, []).append(oid)
            else:
                deletes.append(f"{kind}:{oid}")
        docs = []
        for kind, ids in upserts.items():
            built = list(kinds[kind].documents(ids))
            found = {d.object_id for d in built}
            deletes += [f"{kind}:{i}" for i in ids if i not in found]  # deleted since enqueued
            docs += built
        backend.delete_documents(deletes)
        backend.index_documents(docs)
        vocabulary_add(count_words(t for d in docs for t in (d.title, d.summary, d.searched_body)))
        OutboxEntry.objects.filter(pk__lte=entries[-1].pk).delete()
        done += len(entries)
        index_changed.send(sender=type(backend), kinds={kind for kind, _ in latest})


def index_rebuild(backend: SearchBackend | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Re-create the index and the vocabulary from the database."""
    backend = backend or get_backend()
    last_pk = OutboxEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    n, words = backend.rebuild(progress)
    vocabulary_replace(words)
    OutboxEntry.objects.filter(pk__lte=last_pk).delete()  # the rebuild already contains those changes
    return n


def indexed_objects_exist() -> bool:
    return any(k.model._default_manager.exists() for k in indexed_kinds().values())


def index_check(backend: SearchBackend | None = None) -> tuple[set[str], set[str]]:
    """(missing from the index, in the index but no longer in the database)."""
    backend = backend or get_backend()
    expected = {
        f"{k.kind}:{pk}" for k in indexed_kinds().values()
        for pk in k.model._default_manager.values_list("pk", flat=True).iterator(chunk_size=10000)
    }
    actual = backend.doc_ids()
    return expected - actual, actual - expected
