"""A full rebuild's documents, built and encoded in worker processes.

Building a document from the database, analysing its text and encoding it for the engine is pure Python
(tens of µs per document): one process caps a rebuild far below the engine's speed. Worker processes each
take a range of primary keys of one kind ("part"), build its documents, encode them with the engine's
`encode` (a str per document: it crosses processes cheaply, a `tantivy.Document` would not) and count their
words for the vocabulary; the parent only hands the encoded documents to the engine. Parts come back in
order with a bounded number in flight, so memory stays flat whatever the size of the database.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator

from django.db import connection, connections
from django.db.models import Max, Min

from .documents import SearchDocument, territory_index
from .registry import indexed_kinds

PART_SIZE = 10_000  # primary keys per part: a progress step of about a second, ~10 MB in flight per part

Encode = Callable[[SearchDocument, list[str]], str]  # a document → its encoding; collects its words
Part = tuple[str, int, int]  # kind, first and last primary key


def _parts(size: int) -> list[Part]:
    parts = []
    for kind, k in indexed_kinds().items():
        bounds = k.model._default_manager.aggregate(first=Min("pk"), last=Max("pk"))
        if bounds["first"] is not None:
            parts += [(kind, first, min(first + size - 1, bounds["last"]))
                      for first in range(bounds["first"], bounds["last"] + 1, size)]
    return parts


def _encode_part(encode: Encode, kind: str, first: int, last: int) -> tuple[list[str], Counter]:
    words: list[str] = []
    # A part allocates millions of short-lived objects and no reference cycle: the collector's passes
    # would find nothing to free.
    gc.disable()
    try:
        return [encode(d, words) for d in indexed_kinds()[kind].documents_between(first, last)], Counter(words)
    finally:
        gc.enable()


_inherited: list = []  # a worker's copies of the parent's database connections: kept, never used


def _forget_inherited_connections() -> None:
    """In a forked worker, before any query: the parent's connections must not be used (two workers on one
    socket read each other's results), nor closed (closing a PostgreSQL connection ends the parent's
    session). The parent cannot close them all itself: a connection opened in another context (an event
    loop in the same thread, as in the browser tests) is invisible from where the rebuild runs. Django opens
    new ones on the first query."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _inherited.append(conn.connection)
            conn.connection = None


def _may_fork() -> bool:
    """Workers open their own connection: they would not see a transaction's uncommitted rows (tests), nor an
    in-memory SQLite database."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return not connection.in_atomic_block and not in_memory


def _in_order(pool, encode: Encode, parts: list[Part], window: int) -> Iterator[tuple[list[str], Counter]]:
    pending: deque = deque()
    for part in parts:
        pending.append(pool.apply_async(_encode_part, (encode, *part)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


@contextlib.contextmanager
def encoded_documents(encode: Encode, *, workers: int | None = None,
                      part_size: int = PART_SIZE) -> Iterator[Iterator[tuple[list[str], Counter]]]:
    """Every indexed object's document as `encode` makes it, part by part with the part's word counts.

    Enter it before starting the engine's writer: the workers are forked on entry, and a process with
    running writer threads (and their locks) is not safe to fork."""
    parts = _parts(part_size)
    workers = os.cpu_count() or 1 if workers is None else workers
    if workers < 2 or len(parts) < 2 or not _may_fork():
        yield (_encode_part(encode, *part) for part in parts)
        return
    territory_index()  # loaded once here, shared with the forked workers
    # The collector need not scan what the workers inherit (and, by writing to it, copy its memory pages).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_forget_inherited_connections) as pool:
            yield _in_order(pool, encode, parts, window=2 * workers)
    finally:
        gc.unfreeze()
