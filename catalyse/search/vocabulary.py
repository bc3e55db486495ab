"""The index's own words: accent-free lookups, typo tolerance and the "did you mean" suggestion."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
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

    def corrections(self, folded_word: str, allowed: Callable[[str], bool] | None = None) -> list[Entry]:
        """Closest known words for a word of 5+ letters: 1 edit up to 7 letters, 2 edits beyond; the nearest
        distance wins, then the most frequent. `allowed(term)`, when given, keeps only the words it accepts."""
        if len(folded_word) < 5:
            return []
        max_d = 1 if len(folded_word) <= 7 else 2
        # Only words whose length is within the allowed distance can be that close.
        candidates = [w for n in range(len(folded_word) - max_d, len(folded_word) + max_d + 1)
                      for w in self.by_length.get(n, ())]
        found = process.extract(folded_word, candidates, scorer=Levenshtein.distance, score_cutoff=max_d,
                                limit=20)
        nearest: list[Entry] = []
        best = max_d
        for w, d, _ in sorted(found, key=lambda f: (f[1], -self.entries[f[0]].freq)):
            if nearest and (d > best or len(nearest) == 3):
                break
            if allowed is None or allowed(self.entries[w].term):
                nearest.append(self.entries[w])
                best = d
        return nearest

    def seen_by(self, grants: list[str], seen: Callable[[list[str], str], bool]) -> ReaderVocabulary:
        """This vocabulary as the holder of `grants` may see it; `seen(grants, term)` asks the index whether a
        document they may see holds `term` (answers are kept RELOAD_AFTER_S)."""
        return ReaderVocabulary(self, grants, seen)


class ReaderVocabulary:
    """The vocabulary as one person may see it.

    Accent-free lookups and highlighting use every word: they only widen a query whose matches are already
    restricted to the person's grants. But "did you mean" tells words, and whether a word gets corrected tells
    whether it is known: both draw only on words found in documents the person may see, or a suggestion (or
    its absence) would reveal the words of partners-only, members-only, draft or pending texts. Asking the
    index per word costs one small query on the rare correction path and one per long word otherwise, cached
    per grants; a per-audience word list would have to be kept up to date with every change of visibility."""

    _answers: dict[tuple[tuple[str, ...], str], tuple[bool, float]] = {}
    MAX_ANSWERS = 20_000

    def __init__(self, vocab: Vocabulary, grants: list[str], seen: Callable[[list[str], str], bool]):
        self.vocab = vocab
        self.entries = vocab.entries
        self.words_of = vocab.words_of
        self._grants = grants
        self._key = tuple(sorted(grants))
        self._seen = seen

    def sees(self, term: str) -> bool:
        now = time.monotonic()
        answer = self._answers.get((self._key, term))
        if answer is None or now - answer[1] > RELOAD_AFTER_S:
            if len(self._answers) >= self.MAX_ANSWERS:
                self._answers.clear()
            answer = (self._seen(self._grants, term), now)
            self._answers[(self._key, term)] = answer
        return answer[0]

    def knows(self, folded_word: str) -> bool:
        entry = self.entries.get(folded_word)
        if entry is not None and self.sees(entry.term):
            return True
        term = term_of(folded_word)
        return term in self.vocab.terms and self.sees(term)

    def corrections(self, folded_word: str) -> list[Entry]:
        return self.vocab.corrections(folded_word, allowed=self.sees)


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
    """After the index changed: reload the words, ask the index again what each person may see."""
    global _cache
    _cache = None
    ReaderVocabulary._answers.clear()


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
        invalidate()  # documents may have been deleted or hidden: what each person sees changed
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
