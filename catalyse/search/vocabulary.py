"""The index's own words: accent-free lookups, typo tolerance and the "did you mean" suggestion."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Max
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .analysis import _WORD, fold_word, is_stop_word, term_of
from .models import SearchWord

RELOAD_AFTER_S = 30.0  # other processes' additions show up within this delay


@dataclass
class Entry:
    term: str
    display: str
    freq: int


class Vocabulary:
    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self.terms = {e.term for e in entries.values()}
        self.by_length: dict[int, list[str]] = {}
        for w in entries:
            self.by_length.setdefault(len(w), []).append(w)
        self.loaded_at = time.monotonic()
        self.stamp: int | None = None
        self._by_term: dict[str, list[str]] | None = None

    def words_of(self, term: str) -> list[str]:
        if self._by_term is None:
            by_term: dict[str, list[str]] = {}
            for w, e in self.entries.items():
                by_term.setdefault(e.term, []).append(w)
            self._by_term = by_term
        return self._by_term.get(term, [])

    def knows(self, folded_word: str) -> bool:
        return folded_word in self.entries or term_of(folded_word) in self.terms

    def corrections(self, folded_word: str) -> list[Entry]:
        """Closest known words for a word of 5+ letters: 1 edit up to 7 letters, 2 edits beyond; the nearest
        distance wins, then the most frequent."""
        if len(folded_word) < 5:
            return []
        max_d = 1 if len(folded_word) <= 7 else 2
        # Only words whose length is within the allowed distance can be that close.
        candidates = [w for n in range(len(folded_word) - max_d, len(folded_word) + max_d + 1)
                      for w in self.by_length.get(n, ())]
        found = process.extract(folded_word, candidates, scorer=Levenshtein.distance, score_cutoff=max_d,
                                limit=20)
        if not found:
            return []
        best = min(d for _, d, _ in found)
        nearest = [self.entries[w] for w, d, _ in found if d == best]
        return sorted(nearest, key=lambda e: -e.freq)[:3]


_cache: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """The vocabulary, cached per process; reloaded when another process added words (checked every
    RELOAD_AFTER_S with one indexed max(pk) query: words are only ever added, or all replaced)."""
    global _cache
    if _cache is not None and time.monotonic() - _cache.loaded_at < RELOAD_AFTER_S:
        return _cache
    stamp = SearchWord.objects.aggregate(m=Max("pk"))["m"]
    if _cache is None or _cache.stamp != stamp:
        _cache = Vocabulary({
            w: Entry(t, d, f) for w, t, d, f in SearchWord.objects.values_list("word", "term", "display", "freq")
        })
        _cache.stamp = stamp
    _cache.loaded_at = time.monotonic()
    return _cache


def invalidate() -> None:
    global _cache
    _cache = None


def count_words(texts: Iterable[str], counter: Counter | None = None) -> Counter:
    """Lowercase surface words (stop words and words of 1–2 letters or over 60 excluded) with their counts."""
    counter = counter if counter is not None else Counter()
    for text in texts:
        counter.update(_WORD.findall(text.lower()))
    return counter


def _entries(counter: Counter) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for word, n in counter.most_common():
        if len(word) < 3 or len(word) > 60 or is_stop_word(word) or word.isdigit():
            continue
        folded = fold_word(word)
        if folded in out:
            out[folded].freq += n
        else:  # most_common order: the first spelling seen is the most frequent
            out[folded] = Entry(term_of(word), word, n)
    return out


def vocabulary_add(counter: Counter) -> None:
    """Incremental: add counts, create unseen words."""
    entries = _entries(counter)
    if not entries:
        return
    existing = set(SearchWord.objects.filter(word__in=list(entries)).values_list("word", flat=True))
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, term=e.term, display=e.display, freq=e.freq) for w, e in entries.items()
         if w not in existing],
        ignore_conflicts=True,
    )
    for w in existing:
        SearchWord.objects.filter(word=w).update(freq=F("freq") + entries[w].freq)
    invalidate()


def vocabulary_replace(counter: Counter) -> None:
    """After a full rebuild: the vocabulary is exactly the corpus's words."""
    entries = _entries(counter)
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=w, term=e.term, display=e.display, freq=e.freq) for w, e in entries.items()),
        batch_size=5000,
    )
    invalidate()
