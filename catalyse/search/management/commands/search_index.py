import sys
import time

from django.core.management.base import BaseCommand, CommandError

from catalyse.search.backends import get_backend
from catalyse.search.outbox import index_check, index_rebuild, indexed_objects_exist, outbox_process


class Command(BaseCommand):
    help = ("Search index: --rebuild from the database, --ensure (rebuild only if it was emptied by a new schema "
            "or is empty while the database is not), --check against it, or --process the outbox.")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true")
        group.add_argument("--ensure", action="store_true", help="rebuild only when needed (after an upgrade)")
        group.add_argument("--check", action="store_true")
        group.add_argument("--process", action="store_true", help="apply pending outbox entries now")
        parser.add_argument("--backend", choices=["tantivy", "postgres"], help="default: CATALYSE_SEARCH_BACKEND")

    def handle(self, *args, rebuild, ensure, check, process, backend, **opts):
        engine = get_backend(backend)
        if ensure:
            if not (engine.needs_rebuild or (not engine.doc_count() and indexed_objects_exist())):
                self.stdout.write("Index à jour : rien à reconstruire.")
                return
            rebuild = True
        if rebuild:
            start = time.perf_counter()

            def progress(n: int) -> None:
                rate = n / max(time.perf_counter() - start, 1e-6)
                sys.stderr.write(f"\r{n:>10,} documents indexés ({rate:,.0f}/s)")
                sys.stderr.flush()

            n = index_rebuild(engine, progress)
            sys.stderr.write("\n")
            elapsed = time.perf_counter() - start
            self.stdout.write(f"{n} documents en {elapsed:.1f} s ({n / max(elapsed, 1e-6):,.0f}/s), "
                              f"{engine.size_bytes() / 1e6:.1f} Mo ({engine.name})")
        elif check:
            missing, stale = index_check(engine)
            for label, ids in (("absents de l'index", missing), ("supprimés en base", stale)):
                if ids:
                    self.stdout.write(f"{len(ids)} {label}: {', '.join(sorted(ids)[:20])}")
            if missing or stale:
                raise CommandError("L'index diffère de la base : lancez search_index --rebuild.")
            self.stdout.write("Index conforme à la base.")
        else:
            self.stdout.write(f"{outbox_process(engine)} changements appliqués.")
